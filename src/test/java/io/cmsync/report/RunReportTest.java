package io.cmsync.report;

import io.cmsync.sync.Conflict;
import io.cmsync.sync.Direction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.cmsync.report.ReportFixtures.EXAMPLE_START;
import static io.cmsync.report.ReportFixtures.failed;
import static io.cmsync.report.ReportFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RunReportTest {

    @Test
    void countsAndRate() {
        RunReport r = RunReport.builder("r", EXAMPLE_START)
                .operation(ok("a@x.fr", Direction.COPPER_TO_MAILCHIMP, "A"))
                .operation(ok("b@x.fr", Direction.COPPER_TO_MAILCHIMP, "B"))
                .operation(ok("c@x.fr", Direction.MAILCHIMP_TO_COPPER, "C"))
                .operation(failed("d@x.fr", Direction.MAILCHIMP_TO_COPPER, "D", "boom"))
                .build();

        assertThat(r.totalOperations()).isEqualTo(4);
        assertThat(r.successCount()).isEqualTo(3);
        assertThat(r.errorCount()).isEqualTo(1);
        assertThat(r.hasErrors()).isTrue();
        assertThat(r.successRate()).isCloseTo(75.0, within(1e-9));
        assertThat(r.copperToMailchimpCount()).isEqualTo(2);
        assertThat(r.mailchimpToCopperCount()).isEqualTo(1);
        assertThat(r.errorCount(Direction.MAILCHIMP_TO_COPPER)).isEqualTo(1);
        assertThat(r.errorCount(Direction.COPPER_TO_MAILCHIMP)).isZero();
        assertThat(r.nothingToSync()).isFalse();
    }

    @Test
    void noOperationsMeansFullSuccessAndNothingToSync() {
        RunReport r = RunReport.builder("r", EXAMPLE_START).identicalSkipped(3)
                .flagged(new FlaggedEntry("f@x.fr", "F", "DELETE")).build();
        assertThat(r.totalOperations()).isZero();
        assertThat(r.successRate()).isEqualTo(100.0);
        assertThat(r.nothingToSync()).isTrue();
        assertThat(r.identicalSkipped()).isEqualTo(3);
        assertThat(r.recommendedActions()).containsExactly(RecommendedAction.REVIEW_FLAGGED);
    }

    @Test
    void allFailedIsZeroPercent() {
        RunReport r = RunReport.builder("r", EXAMPLE_START)
                .operation(failed("d@x.fr", Direction.MAILCHIMP_TO_COPPER, "D", "boom")).build();
        assertThat(r.successRate()).isZero();
        assertThat(r.mailchimpToCopperCount()).isZero();
    }

    @Test
    void recommendedActions() {
        assertThat(RunReport.builder("r", EXAMPLE_START).build().recommendedActions())
                .containsExactly(RecommendedAction.NONE);
        assertThat(ReportFixtures.everything().recommendedActions()).containsExactly(
                RecommendedAction.CHECK_ERRORS, RecommendedAction.FIX_NOT_SYNCED,
                RecommendedAction.SEND_RESUBSCRIBE_LINKS, RecommendedAction.REVIEW_FLAGGED,
                RecommendedAction.REVIEW_CONFLICTS);
        RunReport dry = RunReport.builder("r", EXAMPLE_START).dryRun(true)
                .operation(ok("a@x.fr", Direction.COPPER_TO_MAILCHIMP, "A")).build();
        assertThat(dry.recommendedActions()).containsExactly(RecommendedAction.APPLY_DRY_RUN);
        RunReport dryNothing = RunReport.builder("r", EXAMPLE_START).dryRun(true).build();
        assertThat(dryNothing.recommendedActions()).containsExactly(RecommendedAction.NONE);
    }

    @Test
    void listsAreCopiedAndNullsBecomeEmpty() {
        List<OperationOutcome> ops = new ArrayList<>(List.of(ok("a@x.fr", Direction.COPPER_TO_MAILCHIMP, "A")));
        RunReport r = new RunReport(null, EXAMPLE_START, null, true, false, ops, 0, null, null, null, null, null,
                null, null);
        ops.clear();
        assertThat(r.operations()).hasSize(1);
        assertThat(r.excluded()).isEmpty();
        assertThat(r.conflicts()).isEmpty();
        assertThat(r.generatedFiles()).isEmpty();
        assertThat(r.duration()).isEmpty();
        assertThatThrownBy(() -> r.operations().add(ok("b@x.fr", Direction.COPPER_TO_MAILCHIMP, "B")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> new RunReport(null, null, null, true, false, null, 0, null, null, null, null,
                null, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RunReport(null, EXAMPLE_START, null, true, false, null, -1, null, null, null,
                null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withersAndDuration() {
        RunReport r = ReportFixtures.oldToolExample()
                .withFinishedAt(EXAMPLE_START.plusSeconds(5))
                .withGeneratedFiles(List.of("a.txt"));
        assertThat(r.duration()).contains(Duration.ofSeconds(5));
        assertThat(r.generatedFiles()).containsExactly("a.txt");
        assertThat(r.operations()).hasSize(2);
    }

    @Test
    void builderAcceptsOutcomesFromSeveralThreads() throws Exception {
        RunReport.Builder builder = RunReport.builder("r", EXAMPLE_START);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < 500; i++) {
                    builder.operation(ok(thread + "-" + i + "@x.fr", Direction.COPPER_TO_MAILCHIMP, "N"));
                    builder.conflict(new Conflict("c@x.fr", "tags", "a", "b", "copper"));
                    builder.identicalSkipped(1);
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        RunReport r = builder.build();
        assertThat(r.operations()).hasSize(2000);
        assertThat(r.conflicts()).hasSize(2000);
        assertThat(r.identicalSkipped()).isEqualTo(2000);
    }

    @Test
    void outcomeDefaults() {
        OperationOutcome o = new OperationOutcome(null, Direction.COPPER_TO_MAILCHIMP, null, true, "  Ann  ", null,
                null, null);
        assertThat(o.email()).isEmpty();
        assertThat(o.name()).isEqualTo("Ann");
        assertThat(o.tagsSynced()).isEmpty();
        assertThatThrownBy(() -> new OperationOutcome("a", null, "x", true, "", List.of(), null, null))
                .isInstanceOf(NullPointerException.class);
    }
}

package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.junit.jupiter.api.Test;

import io.cmsync.report.ReportFileNames;
import io.cmsync.run.SyncRun;

/**
 * routes/sync.yaml: sync-run, the story (begin → watermarks → read both sides → other sides → plan → execute →
 * record → reports), and its error handling (routes/errors.yaml run-errors). The step routes are replaced by mocks
 * (advice-with on sync-run); the run lifecycle (syncRuns), the watermarks and write-reports are the real ones.
 */
class SyncRoutesTest extends RouteTestSupport {
    /** The steps sync-run calls, in the story's order. */
    private static final List<String> STEPS = List.of("read-copper", "read-mailchimp", "read-other-sides", "plan",
            "execute-plan", "record-sync");

    private final List<String> called = new CopyOnWriteArrayList<>();

    @Override
    List<String> routeFiles() {
        return List.of("sync.yaml", "reports.yaml");
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        // the daemon's Quartz trigger of sync-run is not under test (autoStartup false outside the daemon anyway)
        configuration.withRouteFilterExcludePattern("sync-schedule");
    }

    /** The given steps replaced by mocks that note the call; write-reports observed, and run for real. */
    private void mockSteps(List<String> steps) throws Exception {
        AdviceWith.adviceWith(context, "sync-run", a -> {
            for (String step : steps) {
                a.mockEndpointsAndSkip("direct:" + step);
            }
            a.mockEndpoints("direct:write-reports");
        });
        for (String step : steps) {
            step(step).whenAnyExchangeReceived(e -> called.add(step));
        }
        step("write-reports").whenAnyExchangeReceived(e -> called.add("write-reports"));
    }

    private MockEndpoint step(String name) {
        return getMockEndpoint("mock:direct:" + name);
    }

    private SyncRun sync() {
        Exchange done = template.send("direct:sync-run", e -> { });
        assertThat(done.getException()).as("sync-run hands no exception back to its caller").isNull();
        return done.getProperty(SyncRun.PROPERTY, SyncRun.class);
    }

    private List<String> reportFiles() throws Exception {
        Path reports = settings.reportsDir();
        if (!Files.isDirectory(reports)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(reports)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> reportFilesOf(SyncRun run) {
        return ReportFileNames.of(run.startedAt(), settings.reportZone()).all();
    }

    private void assertLockReleased() {
        assertThat(runs.beginDetached()).as("a new run can begin").hasValueSatisfying(next -> runs.end(next));
    }

    @Test
    void aRunCallsEachStepOnceInTheStoryOrderThenWritesItsReportsAndEnds() throws Exception {
        mockSteps(STEPS);
        startCamel();

        SyncRun run = sync();

        assertThat(run).as("the run on the exchange").isNotNull();
        assertThat(called).containsExactly("read-copper", "read-mailchimp", "read-other-sides", "plan", "execute-plan",
                "record-sync", "write-reports");
        for (String s : STEPS) {
            assertThat(step(s).getReceivedExchanges()).singleElement()
                    .satisfies(e -> assertThat(e.getProperty(SyncRun.PROPERTY)).as(s + " gets the run").isSameAs(run));
        }
        assertThat(run.exitCode()).isZero();
        assertThat(run.fatalError()).isNull();
        assertThat(reportFiles()).containsExactlyInAnyOrderElementsOf(reportFilesOf(run));
        assertThat(run.ended()).as("ended with its exchange").isTrue();
        assertLockReleased();
    }

    @Test
    void aStepThatThrowsFailsTheRunWithExitCode2AndItsMessageStillWritesTheReportsAndReleasesTheLock() throws Exception {
        mockSteps(STEPS);
        step("plan").whenAnyExchangeReceived(e -> {
            called.add("plan");
            throw new IllegalStateException("le plan a échoué");
        });
        NotifyBuilder reportsWritten = new NotifyBuilder(context).fromRoute("sync-run")
                .wereSentTo("direct:write-reports").whenDone(1).create();
        startCamel();

        SyncRun run = sync();

        assertThat(called).containsExactly("read-copper", "read-mailchimp", "read-other-sides", "plan", "write-reports");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.fatalError()).contains("IllegalStateException").contains("le plan a échoué");
        assertThat(reportsWritten.matches(5, TimeUnit.SECONDS)).as("write-reports ran").isTrue();
        assertThat(reportFiles()).containsExactlyInAnyOrderElementsOf(reportFilesOf(run));
        String report = Files.readString(settings.reportsDir().resolve(
                ReportFileNames.of(run.startedAt(), settings.reportZone()).importReport()));
        assertThat(report).contains("le plan a échoué");
        assertThat(run.ended()).isTrue();
        assertLockReleased();
    }

    @Test
    void aMissingStepRouteFailsTheRunAtOnceAndStillWritesTheReports() throws Exception {
        // direct:plan is not loaded (its route stopped, or dropped by an edit): every other step is there
        mockSteps(STEPS.stream().filter(s -> !s.equals("plan")).toList());
        NotifyBuilder reportsWritten = new NotifyBuilder(context).fromRoute("sync-run")
                .wereSentTo("direct:write-reports").whenDone(1).create();
        startCamel();

        long start = System.nanoTime();
        SyncRun run = sync();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(millis).as("fails at once (direct block=false), not after the direct component's 30 s wait")
                .isLessThan(2_000);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.fatalError()).contains("direct://plan").contains("absente");
        assertThat(called).containsExactly("read-copper", "read-mailchimp", "read-other-sides", "write-reports");
        assertThat(reportsWritten.matches(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reportFiles()).containsExactlyInAnyOrderElementsOf(reportFilesOf(run));
        assertLockReleased();
    }

    @Test
    void aSecondRunWhileTheFirstHoldsTheLockSetsNoRunAndDoesNothing() throws Exception {
        mockSteps(STEPS);
        startCamel();
        SyncRun first = beginRun(); // holds the lock, as a run in progress does

        SyncRun second = sync();

        assertThat(second).isNull();
        assertThat(called).isEmpty();
        assertThat(reportFiles()).isEmpty();
        assertThat(first.ended()).as("the first run goes on").isFalse();
    }
}

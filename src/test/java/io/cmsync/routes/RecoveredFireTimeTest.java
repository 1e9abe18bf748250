package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.quartz.JobDataMap;
import org.quartz.Scheduler;

import io.cmsync.run.SyncRun;
import io.cmsync.run.SyncRuns;
import io.cmsync.state.StateStore;

/**
 * Quartz recovers a dead node's job when the node died before Quartz recorded the job's end, even if the run had
 * ended: a recovered trigger for a fire time whose run already ended is skipped (no duplicate run); one whose run did
 * not end runs.
 */
class RecoveredFireTimeTest extends RouteTestSupport {
    static final Instant FIRE = Instant.parse("2026-11-26T10:00:00Z");

    @Override
    List<String> routeFiles() {
        return List.of("sync.yaml", "reports.yaml");
    }

    private Exchange recoveryOf(Instant fire) {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setHeader("triggerGroup", "RECOVERING_JOBS");
        e.getMessage().setHeader("scheduledFireTime", new Date());
        JobDataMap data = new JobDataMap();
        data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS,
                String.valueOf(fire.toEpochMilli()));
        e.getMessage().setHeader("mergedJobDataMap", data);
        return e;
    }

    @Test
    void aRecoveredFireTimeWhoseRunEndedIsSkippedAndOneThatDidNotEndRuns() throws Exception {
        startCamel();
        List<SyncRuns.Skip> skips = new java.util.concurrent.CopyOnWriteArrayList<>();
        runs.onSkip((exchange, why) -> skips.add(why));
        // a run scheduled at FIRE ends: the state records that fire time as synced
        Exchange scheduled = new DefaultExchange(context);
        scheduled.getMessage().setHeader("scheduledFireTime", Date.from(FIRE));
        runs.begin(scheduled);
        SyncRun first = scheduled.getProperty(SyncRun.PROPERTY, SyncRun.class);
        assertThat(first).isNotNull();
        runs.end(first);
        try (StateStore store = StateStore.open(settings.stateDatabase())) {
            assertThat(store.meta(SyncRuns.LAST_FIRE_SYNCED)).contains(FIRE.toString());
        }

        Exchange again = recoveryOf(FIRE);
        runs.begin(again);
        assertThat(again.getProperty(SyncRun.PROPERTY)).as("the same fire time recovered: no second run").isNull();
        assertThat(skips).as("told why, not as a held lock").containsExactly(SyncRuns.Skip.FIRE_ALREADY_SYNCED);

        Exchange later = recoveryOf(FIRE.plusSeconds(900));
        runs.begin(later);
        SyncRun recovered = later.getProperty(SyncRun.PROPERTY, SyncRun.class);
        assertThat(recovered).as("an interrupted fire time is run again").isNotNull();
        assertThat(recovered.scheduledFire()).isEqualTo(FIRE.plusSeconds(900));
        runs.end(recovered);
    }
}

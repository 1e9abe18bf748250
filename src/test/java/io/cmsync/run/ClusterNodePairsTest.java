package io.cmsync.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.quartz.JobDataMap;
import org.quartz.Scheduler;

import io.cmsync.health.ClusterNode;
import io.cmsync.health.NodeHealthCheck;
import io.cmsync.testsupport.LogCapture;

/**
 * A node running two pairs at once (one of them recovered from a dead node): it knows both runs, and its node check,
 * meters and log name each pair (issue 16: which node runs which pair).
 */
class ClusterNodePairsTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T19:00:00Z"), ZoneOffset.UTC);

    private static SyncRun run(String id) {
        return new SyncRun(id, Instant.parse("2026-11-26T19:00:00Z"), false, false, new io.cmsync.report.RunLog(), null);
    }

    private static Exchange fired(DefaultCamelContext camel, String pair, String group, String name) {
        Exchange e = new DefaultExchange(camel);
        e.setProperty(Pair.PROPERTY, pair);
        e.getMessage().setHeader("triggerGroup", group);
        e.getMessage().setHeader("triggerName", name);
        e.getMessage().setHeader("scheduledFireTime", java.util.Date.from(Instant.parse("2026-11-26T18:59:54Z")));
        return e;
    }

    @Test
    void twoPairsAtOnceOneOfThemRecoveredAreBothNamed() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "node-pairs-test");
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        Scheduler scheduler = new org.quartz.impl.StdSchedulerFactory(p).getScheduler();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            scheduler.start();
            ClusterNode node = new ClusterNode(null, 10_000, clock);
            node.scheduler(() -> scheduler);
            node.pairs(List.of("fr", "en"));
            var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
            NodeHealthCheck.registerMeters(registry, node);
            NodeHealthCheck check = new NodeHealthCheck(node, clock);

            SyncRun fr = run("20261126-200000-aaaaaa");
            node.begun(fr, fired(camel, "fr", "copper-mailchimp-sync", "sync-fr"));
            SyncRun en = run("20261126-200000-bbbbbb");
            Exchange recovery = fired(camel, "en", Scheduler.DEFAULT_RECOVERY_GROUP, "recover_host-a_1");
            JobDataMap data = new JobDataMap();
            data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_NAME, "sync-en");
            data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_GROUP, "copper-mailchimp-sync");
            data.put(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS,
                    String.valueOf(Instant.parse("2026-11-26T18:59:48Z").toEpochMilli()));
            recovery.getMessage().setHeader("mergedJobDataMap", data);
            node.begun(en, recovery);

            assertThat(node.running()).extracting(ClusterNode.Running::pair).containsExactly("en", "fr");
            HealthCheck.Result both = check.call();
            assertThat(both.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(both.getDetails()).containsEntry("node.running.pairs", "en, fr")
                    .containsEntry("node.pair.fr.running", "20261126-200000-aaaaaa")
                    .containsEntry("node.pair.fr.running.trigger", "copper-mailchimp-sync.sync-fr")
                    .containsEntry("node.pair.fr.running.recovering", false)
                    .containsEntry("node.pair.en.running", "20261126-200000-bbbbbb")
                    .containsEntry("node.pair.en.running.trigger", "copper-mailchimp-sync.sync-en")
                    .containsEntry("node.pair.en.running.recovering", true)
                    .containsEntry("node.pair.en.running.scheduled", "2026-11-26T18:59:48Z")
                    .containsEntry("node.pair.en.runs.recovered", 1L)
                    .containsEntry("node.pair.fr.runs.recovered", 0L);
            assertThat(both.getMessage().orElse("")).isEqualTo("Node NON_CLUSTERED: running pair en "
                    + "20261126-200000-bbbbbb (recovered from a dead node), pair fr 20261126-200000-aaaaaa");
            assertThat(registry.scrape()).contains("cmsync_node_running 2.0")
                    .contains("cmsync_node_pair_running{pair=\"fr\"} 1.0")
                    .contains("cmsync_node_pair_running{pair=\"en\"} 1.0")
                    .contains("cmsync_node_pair_runs_recovered_total{pair=\"en\"} 1.0")
                    .contains("cmsync_node_pair_runs_recovered_total{pair=\"fr\"} 0.0");

            // fr ends: en still runs on this node; a trigger of fr that finds fr's lock held counts for fr only, a
            // recovery of en's fire time that had already ended counts for en
            node.ended(fr);
            try (LogCapture log = new LogCapture(Map.of())) {
                node.skipped(fired(camel, "fr", "copper-mailchimp-sync", "sync-fr"), SyncRuns.Skip.LOCK_HELD);
                node.skipped(recovery, SyncRuns.Skip.FIRE_ALREADY_SYNCED);
                // the engineer reads why each trigger started nothing, and the fire time a recovery was for
                assertThat(log.text()).contains("pair fr, scheduled 2026-11-26T18:59:54Z, the run lock is held elsewhere")
                        .contains("pair en, scheduled 2026-11-26T18:59:48Z, recovered from a dead node, but a run of"
                                + " that fire time already ended");
            }
            HealthCheck.Result one = check.call();
            assertThat(one.getDetails()).containsEntry("node.running.pairs", "en")
                    .containsEntry("node.pair.fr.running", "none").containsEntry("node.pair.en.running",
                            "20261126-200000-bbbbbb")
                    .containsEntry("node.pair.fr.triggers.skipped", 1L)
                    .containsEntry("node.pair.en.triggers.skipped", 1L)
                    .doesNotContainKey("node.pair.fr.running.since");
            assertThat(registry.scrape()).contains("cmsync_node_running 1.0")
                    .contains("cmsync_node_pair_running{pair=\"fr\"} 0.0");
            node.ended(en);
            assertThat(check.call().getMessage().orElse("")).isEqualTo("Node NON_CLUSTERED: idle");
        } finally {
            scheduler.shutdown();
        }
    }
}

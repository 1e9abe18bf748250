package io.cmsync.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;

import io.cmsync.config.Secrets;
import io.cmsync.http.ApiException;

/** The product's health checks on their own, with a clock the test moves. */
class HealthChecksTest {
    static final Secrets SECRETS = new Secrets("copper-secret-key", "me@example.com", "mc0secret0key-us1", "us1", "list");

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final MovableClock clock = new MovableClock(Instant.parse("2026-01-05T10:00:00Z"));

    @Test
    void schedulePeriodIsTheGapBetweenTwoFireTimes() {
        TimeZone utc = TimeZone.getTimeZone("UTC");
        Instant at = Instant.parse("2026-01-05T10:07:00Z");
        assertThat(SchedulePeriod.of("0 0/15 * * * ?", at, utc)).isEqualTo(Duration.ofMinutes(15));
        assertThat(SchedulePeriod.of("0/1 * * * * ?", at, utc)).isEqualTo(Duration.ofSeconds(1));
        assertThat(SchedulePeriod.of("0 0 2 * * ?", at, utc)).isEqualTo(Duration.ofDays(1));
        assertThat(SchedulePeriod.of("0 0 3 1 1 ? 2020", at, utc)).isEqualTo(Duration.ZERO);
    }

    private LastSyncHealthCheck lastSync(LastRuns runs) {
        return new LastSyncHealthCheck(runs, "0 0/15 * * * ?", clock, 3);
    }

    private static LastRuns.Summary run(String id, int exit, Instant finished, String error) {
        return new LastRuns.Summary(id, exit, LastRuns.outcome(exit), finished.minusSeconds(30), finished, false, error);
    }

    @Test
    void lastSyncUpWithinThreePeriodsDownAfter() {
        LastRuns runs = new LastRuns(clock, SECRETS);
        LastSyncHealthCheck check = lastSync(runs);
        assertThat(check.call().getState()).as("no run yet, just started").isEqualTo(HealthCheck.State.UP);

        clock.advance(Duration.ofMinutes(46));
        HealthCheck.Result noRun = check.call();
        assertThat(noRun.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(noRun.getMessage().orElse("")).contains("No successful run since the start");

        runs.ended(run("r1", 0, clock.instant(), null));
        HealthCheck.Result fresh = check.call();
        assertThat(fresh.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(fresh.getMessage().orElse("")).contains("r1").contains("success");
        assertThat(fresh.getDetails()).containsEntry("last.run.id", "r1").containsEntry("schedule.period.seconds", 900L)
                .containsEntry("limit.seconds", 2700L);

        clock.advance(Duration.ofMinutes(44));
        assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        clock.advance(Duration.ofMinutes(2));
        HealthCheck.Result stale = check.call();
        assertThat(stale.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(stale.getMessage().orElse("")).contains("Last successful run finished 2760 s ago").contains("2700 s");
    }

    @Test
    void lastSyncDownWhenTheLastRunFailedAndUpWhenOnlyContactsFailed() {
        LastRuns runs = new LastRuns(clock, SECRETS);
        LastSyncHealthCheck check = lastSync(runs);
        runs.ended(run("r1", 1, clock.instant(), null));
        assertThat(check.call().getState()).as("exit 1: the run completed").isEqualTo(HealthCheck.State.UP);

        runs.ended(run("r2", 2, clock.instant(), "Copper a refusé les identifiants (HTTP 401)"));
        HealthCheck.Result failed = check.call();
        assertThat(failed.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(failed.getMessage().orElse("")).contains("r2 failed").contains("HTTP 401");
        assertThat(runs.lastCompleted().orElseThrow().runId()).isEqualTo("r1");
    }

    @Test
    void apiCheckCachesItsAnswerAndNamesNoKey() {
        AtomicInteger calls = new AtomicInteger();
        ApiHealthCheck check = new ApiHealthCheck("copper-api", "Copper", "COPPER_API_KEY", () -> {
            calls.incrementAndGet();
            throw new ApiException("Copper", 401, "Copper GET account: key copper-secret-key refused");
        }, Duration.ofSeconds(60), Duration.ofSeconds(5), clock, SECRETS);
        HealthCheck.Result down = check.call();
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(down.getMessage().orElse("")).contains("refused the credentials (HTTP 401)").doesNotContain("copper-secret-key");
        assertThat(down.getDetails().values().toString()).doesNotContain("copper-secret-key");

        check.call();
        clock.advance(Duration.ofSeconds(59));
        check.call();
        assertThat(calls).as("kept for 60 s").hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        check.call();
        assertThat(calls).hasValue(2);
        check.close();
    }

    @Test
    void apiCheckMasksAKeyThatReachedAnErrorMessage() {
        ApiHealthCheck check = new ApiHealthCheck("mailchimp-api", "Mailchimp", "MAILCHIMP_API_KEY", () -> {
            throw new ApiException("Mailchimp", 0, "no answer from https://x:mc0secret0key-us1@host");
        }, Duration.ofSeconds(60), Duration.ofSeconds(5), clock, SECRETS);
        HealthCheck.Result r = check.call();
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getMessage().orElse("")).contains("no answer").doesNotContain("mc0secret0key-us1");
        check.close();
    }

    /** The health JSON escapes '/' as '\\/': an endpoint path in the message read « people\\/search ». */
    @Test
    void apiCheckMessageNamesTheCauseWithoutTheEndpointPath() {
        ApiHealthCheck check = new ApiHealthCheck("copper-api", "Copper", "COPPER_API_KEY", () -> {
            throw new ApiException("Copper", 0, "Copper POST people/search: no answer after 4 attempts (Connection refused)");
        }, Duration.ofSeconds(60), Duration.ofSeconds(5), clock, SECRETS);
        assertThat(check.call().getMessage().orElse(""))
                .isEqualTo("Copper: no answer after 4 attempts (Connection refused)");
        check.close();
    }

    @Test
    void apiCheckThatTakesTooLongIsDown() {
        ApiHealthCheck check = new ApiHealthCheck("copper-api", "Copper", "COPPER_API_KEY", () -> Thread.sleep(5_000),
                Duration.ofSeconds(60), Duration.ofMillis(200), clock, SECRETS);
        HealthCheck.Result r = check.call();
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getMessage().orElse("")).contains("no answer within");
        check.close();
    }

    @Test
    void ourChecksAreReadinessOnly() {
        LastSyncHealthCheck check = lastSync(new LastRuns(clock, SECRETS));
        assertThat(check.isLiveness()).isFalse();
        assertThat(check.isReadiness()).isTrue();
    }

    @Test
    void inAClusterANodeThatRanNothingIsJudgedByTheClustersLastFire() {
        LastRuns runs = new LastRuns(clock, SECRETS);
        LastSyncHealthCheck check = lastSync(runs);
        java.util.concurrent.atomic.AtomicReference<Instant> fired = new java.util.concurrent.atomic.AtomicReference<>();
        check.clusterLastFire(() -> java.util.Optional.ofNullable(fired.get()));
        clock.advance(Duration.ofMinutes(46));
        assertThat(check.call().getState()).as("no fire anywhere for three periods").isEqualTo(HealthCheck.State.DOWN);

        fired.set(clock.instant().minus(Duration.ofMinutes(5))); // another node ran the schedule 5 min ago
        HealthCheck.Result up = check.call();
        assertThat(up.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(up.getDetails()).containsEntry("cluster.last.fire", fired.get().toString());
    }

    @Test
    void theNodeCheckNamesTheInstanceAndWhatItRuns() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "node-check-test");
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        org.quartz.Scheduler scheduler = new org.quartz.impl.StdSchedulerFactory(p).getScheduler();
        try {
            ClusterNode node = new ClusterNode(null, 10_000, clock);
            node.scheduler(() -> scheduler);
            NodeHealthCheck check = new NodeHealthCheck(node, clock);
            assertThat(check.call().getState()).as("scheduler not started").isEqualTo(HealthCheck.State.DOWN);

            scheduler.start();
            HealthCheck.Result idle = check.call();
            assertThat(idle.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(idle.getDetails()).containsEntry("node.instance.id", "NON_CLUSTERED")
                    .containsEntry("node.job.store", "RAMJobStore").containsEntry("node.clustered", false)
                    .containsEntry("node.running", "none").doesNotContainKey("cluster.nodes");
            assertThat(idle.getMessage().orElse("")).isEqualTo("Node NON_CLUSTERED: idle");

            var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                    io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
            NodeHealthCheck.registerMeters(registry, node);
            NodeHealthCheck.registerInfo(registry, node);
            assertThat(registry.scrape()).contains("cmsync_node_info{clustered=\"false\",instance_id=\"NON_CLUSTERED\","
                    + "job_store=\"RAMJobStore\"} 1").contains("cmsync_node_running 0.0")
                    .contains("cmsync_node_runs_recovered_total 0.0").doesNotContain("cmsync_cluster_nodes_alive");
        } finally {
            scheduler.shutdown();
        }
    }
}

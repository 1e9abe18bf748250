package io.cmsync.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.IntSupplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code last-sync}: DOWN when the last run failed (exit code 2), or when the last completed run (exit 0 or 1)
 * finished more than {@code maxPeriods} schedule periods ago (the period is the gap between two consecutive fire
 * times of {@code sync.cron}); before any run completes, the age counts from the daemon's start. Readiness only: a
 * restart does not bring an API back.
 */
public final class LastSyncHealthCheck extends AbstractHealthCheck {
    public static final String ID = "last-sync";

    private final LastRuns runs;
    private final String cron;
    private final Clock clock;
    private final IntSupplier maxPeriodsSetting;
    private volatile java.util.function.Supplier<java.util.Optional<Instant>> clusterLastFire = java.util.Optional::empty;
    private volatile java.util.function.Supplier<Map<String, Instant>> clusterLastFires = Map::of;

    public LastSyncHealthCheck(LastRuns runs, String cron, Clock clock, int maxPeriods) {
        this(runs, cron, clock, () -> maxPeriods);
    }

    /** Same, with the number of periods read at each check (a setting only known once Camel has started). */
    public LastSyncHealthCheck(LastRuns runs, String cron, Clock clock, IntSupplier maxPeriods) {
        super(ObservabilitySetup.GROUP, ID);
        this.runs = runs;
        this.cron = cron;
        this.clock = clock;
        this.maxPeriodsSetting = maxPeriods;
    }

    /**
     * In a Quartz cluster: when the shared schedule last fired a sync on any node. A node that ran no recent run
     * (another node did) is then judged by the cluster's schedule, not by its own silence.
     */
    public void clusterLastFire(java.util.function.Supplier<java.util.Optional<Instant>> lastFire) {
        this.clusterLastFire = lastFire == null ? java.util.Optional::empty : lastFire;
    }

    /** In a Quartz cluster: when the shared schedule last fired each pair's sync, by pair label. */
    public void clusterLastFires(java.util.function.Supplier<Map<String, Instant>> lastFires) {
        this.clusterLastFires = lastFires == null ? Map::of : lastFires;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant now = clock.instant();
        int maxPeriods = maxPeriodsSetting.getAsInt();
        Duration period = SchedulePeriod.of(cron, now, TimeZone.getDefault());
        Duration limit = period.multipliedBy(maxPeriods);
        builder.detail("schedule.cron", cron);
        builder.detail("schedule.period.seconds", period.toSeconds());
        builder.detail("limit.seconds", limit.toSeconds());

        var last = runs.last();
        last.ifPresent(r -> {
            builder.detail("last.run.id", r.runId());
            builder.detail("last.run.outcome", r.outcome());
            builder.detail("last.run.exit.code", r.exitCode());
            builder.detail("last.run.finished", r.finishedAt().toString());
            builder.detail("last.run.age.seconds", Duration.between(r.finishedAt(), now).toSeconds());
            builder.detail("last.run.dry.run", r.dryRun());
        });
        // with declared sync pairs: each pair's last run (entry "pair.<name>.…")
        runs.byPair().forEach((pair, r) -> {
            builder.detail("pair." + pair + ".last.run.id", r.runId());
            builder.detail("pair." + pair + ".last.run.outcome", r.outcome());
            builder.detail("pair." + pair + ".last.run.exit.code", r.exitCode());
            builder.detail("pair." + pair + ".last.run.finished", r.finishedAt().toString());
        });
        // in a cluster with declared pairs: when the shared schedule last fired each pair, on whichever node
        clusterLastFires.get().forEach((pair, fired) -> {
            if (!"default".equals(pair)) {
                builder.detail("pair." + pair + ".cluster.last.fire", fired.toString());
            }
        });
        Instant reference = runs.lastCompleted().map(LastRuns.Summary::finishedAt).orElse(runs.since());
        var clusterFire = clusterLastFire.get();
        if (clusterFire.isPresent()) {
            builder.detail("cluster.last.fire", clusterFire.get().toString());
            if (clusterFire.get().isAfter(reference)) {
                reference = clusterFire.get();
            }
        }
        Duration age = Duration.between(reference, now);
        runs.lastCompleted().ifPresent(r -> builder.detail("last.success.run.id", r.runId()));
        builder.detail("last.success.age.seconds", age.toSeconds());

        if (last.isPresent() && last.get().exitCode() == io.cmsync.run.SyncRun.FAILED) {
            String error = last.get().error();
            builder.message("Last run " + last.get().runId() + " failed"
                    + (error == null || error.isBlank() ? "" : ": " + error));
            builder.down();
            return;
        }
        if (!period.isZero() && age.compareTo(limit) > 0) {
            builder.message((runs.lastCompleted().isPresent()
                    ? "Last successful run finished " + age.toSeconds() + " s ago"
                    : "No successful run since the start " + age.toSeconds() + " s ago")
                    + ", more than " + maxPeriods + " schedule periods (" + limit.toSeconds() + " s)");
            builder.down();
            return;
        }
        builder.message(last.isPresent() ? "Last run " + last.get().runId() + ": " + last.get().outcome()
                : "No run yet (started " + age.toSeconds() + " s ago)");
        builder.up();
    }
}

package io.cmsync.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.cmsync.http.CallListener;
import io.cmsync.report.OperationOutcome;
import io.cmsync.run.SyncRun;

/**
 * The product's own Micrometer meters (Prometheus names in brackets; documented in docs/operations-health.md):
 * <ul>
 * <li>{@value #RUNS} [cmsync_runs_total] runs ended, tag {@code outcome} = success | contacts_failed | failed |
 * blocked | reports_lost</li>
 * <li>{@value #RUN_DURATION} [cmsync_run_duration_seconds_*] run duration, tag {@code outcome}</li>
 * <li>{@value #CONTACTS_WRITTEN} [cmsync_contacts_written_total] successful contact writes, tags {@code direction}
 * (copper_to_mailchimp | mailchimp_to_copper) and {@code operation} (create | update | other); not counted in dry
 * runs</li>
 * <li>{@value #CONTACTS_FAILED} [cmsync_contacts_failed_total] failed contact writes, tag {@code direction}</li>
 * <li>{@value #ERRORS} [cmsync_errors_total] errors, tag {@code kind} = contact (a failed write) | run (a run stopped
 * by a configuration, connection or state error)</li>
 * <li>{@value #API_CALLS} [cmsync_api_calls_total] every HTTP attempt, tags {@code side} (copper | mailchimp),
 * {@code endpoint} (e.g. "GET account", ids replaced by placeholders) and {@code status} (the HTTP status, or
 * "none" when no answer came)</li>
 * <li>{@value #API_RATE_LIMITED} [cmsync_api_rate_limited_total] 429 answers, tag {@code side} (the endpoint is in
 * {@value #API_CALLS} with status 429)</li>
 * <li>{@value #LAST_RUN_EXIT_CODE} [cmsync_last_run_exit_code] exit code of the last run (-1 before any)</li>
 * <li>{@value #LAST_SUCCESS_AGE} [cmsync_last_success_age_seconds] seconds since the last completed run ended (since
 * the start before any)</li>
 * </ul>
 */
public final class SyncMetrics implements CallListener {
    public static final String RUNS = "cmsync.runs";
    public static final String RUN_DURATION = "cmsync.run.duration";
    public static final String CONTACTS_WRITTEN = "cmsync.contacts.written";
    public static final String CONTACTS_FAILED = "cmsync.contacts.failed";
    public static final String ERRORS = "cmsync.errors";
    public static final String API_CALLS = "cmsync.api.calls";
    public static final String API_RATE_LIMITED = "cmsync.api.rate.limited";
    public static final String LAST_RUN_EXIT_CODE = "cmsync.last.run.exit.code";
    public static final String LAST_SUCCESS_AGE = "cmsync.last.success.age";
    /** With declared sync pairs: runs ended per pair and outcome (label {@code pair}). */
    public static final String PAIR_RUNS = "cmsync.pair.runs";
    /** With declared sync pairs: each pair's last exit code (label {@code pair}). */
    public static final String PAIR_LAST_RUN_EXIT_CODE = "cmsync.pair.last.run.exit.code";
    /** With declared sync pairs: contacts written per pair and direction (label {@code pair}). */
    public static final String PAIR_CONTACTS_WRITTEN = "cmsync.pair.contacts.written";
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> pairExitCodes =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final MeterRegistry registry;
    private final LastRuns lastRuns;
    private final Clock clock;

    public SyncMetrics(MeterRegistry registry, LastRuns lastRuns, Clock clock) {
        this.registry = registry;
        this.lastRuns = lastRuns;
        this.clock = clock;
        Gauge.builder(LAST_RUN_EXIT_CODE, lastRuns, r -> r.last().map(LastRuns.Summary::exitCode).orElse(-1))
                .description("Exit code of the last run: 0 success, 1 some contacts failed, 2 run failed, 3 plan blocked by the safety brake, 5 reports not written; -1 before any")
                .register(registry);
        Gauge.builder(LAST_SUCCESS_AGE, this, SyncMetrics::lastSuccessAgeSeconds)
                .description("Seconds since the last completed run ended (since the start before any)")
                .baseUnit("seconds")
                .register(registry);
        // the run counters exist (at 0) before the first run, so dashboards and alerts see them at once
        for (String outcome : LastRuns.OUTCOMES) {
            runs(outcome);
        }
        errors("contact");
        errors("run");
        rateLimited("copper");
        rateLimited("mailchimp");
    }

    public MeterRegistry registry() {
        return registry;
    }

    private double lastSuccessAgeSeconds() {
        Instant reference = lastRuns.lastCompleted().map(LastRuns.Summary::finishedAt).orElse(lastRuns.since());
        return Duration.between(reference, clock.instant()).toMillis() / 1000.0;
    }

    private Counter runs(String outcome) {
        return Counter.builder(RUNS).description("Sync runs ended, by outcome").tag("outcome", outcome)
                .register(registry);
    }

    /** A run ended (called by {@code SyncRuns.end()} through {@code onEnd}). */
    public void runEnded(SyncRun run) {
        String outcome = LastRuns.outcome(run.exitCode());
        runs(outcome).increment();
        if (run.pair() != null && !run.pair().implicit()) {
            pairEnded(run, run.pair().name(), outcome);
        }
        Instant finished = run.finishedAt() == null ? clock.instant() : run.finishedAt();
        Timer.builder(RUN_DURATION).description("Duration of sync runs").tag("outcome", outcome)
                .register(registry).record(Duration.between(run.startedAt(), finished));
        if (run.fatalError() != null) {
            errors("run").increment();
        }
        for (var tally : run.operationTally().entrySet()) {
            var o = tally.getKey();
            double n = tally.getValue();
            String direction = o.direction().name().toLowerCase(Locale.ROOT);
            if (o.success()) {
                if (!run.dryRun()) {
                    Counter.builder(CONTACTS_WRITTEN).description("Contacts written, by direction and operation")
                            .tag("direction", direction).tag("operation", operation(o.operation()))
                            .register(registry).increment(n);
                }
            } else {
                Counter.builder(CONTACTS_FAILED).description("Contact writes that failed, by direction")
                        .tag("direction", direction).register(registry).increment(n);
                errors("contact").increment(n);
            }
        }
    }

    /**
     * A declared pair's run: meters of their own names with a {@code pair} label (the product's other meters keep
     * their labels, so dashboards made before pairs still read them).
     */
    private void pairEnded(SyncRun run, String pair, String outcome) {
        Counter.builder(PAIR_RUNS).description("Sync runs ended, by pair and outcome").tag("pair", pair)
                .tag("outcome", outcome).register(registry).increment();
        pairExitCodes.computeIfAbsent(pair, p -> {
            var code = new java.util.concurrent.atomic.AtomicInteger(-1);
            Gauge.builder(PAIR_LAST_RUN_EXIT_CODE, code, java.util.concurrent.atomic.AtomicInteger::get)
                    .description("Exit code of each pair's last run").tag("pair", p).register(registry);
            return code;
        }).set(run.exitCode());
        for (var tally : run.operationTally().entrySet()) {
            if (tally.getKey().success() && !run.dryRun()) {
                Counter.builder(PAIR_CONTACTS_WRITTEN).description("Contacts written, by pair and direction")
                        .tag("pair", pair).tag("direction", tally.getKey().direction().name().toLowerCase(Locale.ROOT))
                        .register(registry).increment(tally.getValue());
            }
        }
    }

    private Counter errors(String kind) {
        return Counter.builder(ERRORS).description("Errors: contact = a failed write, run = a run stopped")
                .tag("kind", kind).register(registry);
    }

    private static String operation(String operation) {
        if (OperationOutcome.CREATE.equals(operation)) {
            return "create";
        }
        if (OperationOutcome.UPDATE.equals(operation)) {
            return "update";
        }
        return "other";
    }

    @Override
    public void answered(String side, String endpoint, int status) {
        calls(side, endpoint, String.valueOf(status)).increment();
        if (status == 429) {
            rateLimited(side(side)).increment();
        }
    }

    private Counter rateLimited(String side) {
        return Counter.builder(API_RATE_LIMITED).description("429 Too Many Requests answers, by side")
                .tag("side", side).register(registry);
    }

    @Override
    public void noAnswer(String side, String endpoint) {
        calls(side, endpoint, "none").increment();
    }

    private Counter calls(String side, String endpoint, String status) {
        return Counter.builder(API_CALLS).description("API call attempts, by side, endpoint and HTTP status")
                .tag("side", side(side)).tag("endpoint", endpoint(endpoint)).tag("status", status).register(registry);
    }

    private static String side(String side) {
        return side == null ? "unknown" : side.toLowerCase(Locale.ROOT);
    }

    private static String endpoint(String label) {
        return label == null ? "unknown" : label;
    }
}

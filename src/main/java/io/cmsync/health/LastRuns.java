package io.cmsync.health;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.cmsync.config.Secrets;
import io.cmsync.run.Secretless;
import io.cmsync.run.SyncRun;

/**
 * What the health check and the metrics know about finished runs: the last one, and when the last completed one
 * (exit code 0 or 1: it ran to the end) finished. Fed by {@code SyncRuns.onEnd}; kept in memory, so a restarted
 * daemon counts the age of its last success from its own start.
 */
public final class LastRuns {
    /** A finished run, as the health page may show it (the error is masked against the secrets). */
    public record Summary(String runId, int exitCode, String outcome, Instant startedAt, Instant finishedAt,
                          boolean dryRun, String error) {
    }

    private final Instant since;
    private final Secrets secrets;
    private volatile Summary last;
    private volatile Summary lastCompleted;

    public LastRuns(Clock clock, Secrets secrets) {
        this.since = clock.instant();
        this.secrets = secrets;
    }

    /** Every outcome label, in exit-code order. */
    public static final List<String> OUTCOMES = List.of("success", "contacts_failed", "failed", "blocked", "reports_lost");

    /** Outcome label of an exit code: success (0), contacts_failed (1), failed (2), blocked (3), reports_lost (5). */
    public static String outcome(int exitCode) {
        return switch (exitCode) {
            case SyncRun.SUCCESS -> "success";
            case SyncRun.CONTACTS_FAILED -> "contacts_failed";
            case SyncRun.BRAKED -> "blocked";
            case SyncRun.REPORTS_LOST -> "reports_lost";
            default -> "failed";
        };
    }

    /** The run went to the end and wrote what it planned (its report may be lost, its writes are not). */
    static boolean completed(int exitCode) {
        return exitCode == SyncRun.SUCCESS || exitCode == SyncRun.CONTACTS_FAILED || exitCode == SyncRun.REPORTS_LOST;
    }

    public void ended(SyncRun run) {
        int exit = run.exitCode();
        Instant finished = run.finishedAt() == null ? run.startedAt() : run.finishedAt();
        Summary s = new Summary(run.runId(), exit, outcome(exit), run.startedAt(), finished, run.dryRun(),
                Secretless.mask(run.fatalError(), secrets));
        ended(s);
        if (run.pair() != null && !run.pair().implicit()) {
            byPair.put(run.pair().name(), s);
        }
    }

    /** The last run of each declared sync pair (empty with today's single pair). */
    private final java.util.Map<String, Summary> byPair = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** The last run of each declared pair, by name (empty without declared pairs). */
    public java.util.Map<String, Summary> byPair() {
        return java.util.Collections.unmodifiableMap(byPair);
    }

    void ended(Summary s) {
        int exit = s.exitCode();
        last = s;
        if (completed(exit)) {
            lastCompleted = s;
        }
    }

    /** When this process started watching (the reference while no run has completed). */
    public Instant since() {
        return since;
    }

    public Optional<Summary> last() {
        return Optional.ofNullable(last);
    }

    public Optional<Summary> lastCompleted() {
        return Optional.ofNullable(lastCompleted);
    }
}

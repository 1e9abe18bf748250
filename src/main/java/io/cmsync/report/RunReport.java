package io.cmsync.report;

import io.cmsync.sync.Conflict;
import io.cmsync.sync.Direction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run did, for the text and JSON reports. Immutable; lists are copied (null becomes empty).
 *
 * @param runId            the run's id, carried by every log line and report (may be null)
 * @param startedAt        when the run started (names the report files and fills {@code Date:})
 * @param finishedAt       when it finished (null while unknown)
 * @param testMode         TEST mode (only addresses with the test marker) rather than PRODUCTION
 * @param dryRun           planned and reported, nothing written
 * @param operations       every write attempted, in execution order
 * @param identicalSkipped contacts identical on both sides, left alone
 * @param excluded         contacts left out on purpose
 * @param flagged          contacts carrying the deletion tag
 * @param notSynced        contacts whose data prevented the sync
 * @param conflicts        fields changed on both sides since the last sync
 * @param forgotten        addresses Mailchimp refuses, awaiting resubscription (not errors)
 * @param resubscribed     formerly forgotten addresses that came back (tag removed)
 * @param generatedFiles   files written for this run (log, reports), as they should be shown
 * @param abortedReason    why the run stopped before its end (credentials, connection...), null when it did not
 * @param totals           exact counts when the lists above hold only the first entries of a large run (see
 *                         {@link Totals}); null when the lists are complete (the counts are theirs)
 */
public record RunReport(String runId, Instant startedAt, Instant finishedAt, boolean testMode, boolean dryRun,
                        List<OperationOutcome> operations, int identicalSkipped, List<ExcludedEntry> excluded,
                        List<FlaggedEntry> flagged, List<NotSyncedEntry> notSynced, List<Conflict> conflicts,
                        List<ForgottenEntry> forgotten, List<ResubscribedEntry> resubscribed,
                        List<String> generatedFiles, String abortedReason, Totals totals,
                        List<RefusedValueEntry> refused, long refusedTotal) {

    /** A report without refused values (every mapped value was accepted, or none is mapped). */
    public RunReport(String runId, Instant startedAt, Instant finishedAt, boolean testMode, boolean dryRun,
                     List<OperationOutcome> operations, int identicalSkipped, List<ExcludedEntry> excluded,
                     List<FlaggedEntry> flagged, List<NotSyncedEntry> notSynced, List<Conflict> conflicts,
                     List<ForgottenEntry> forgotten, List<ResubscribedEntry> resubscribed,
                     List<String> generatedFiles, String abortedReason, Totals totals) {
        this(runId, startedAt, finishedAt, testMode, dryRun, operations, identicalSkipped, excluded, flagged, notSynced,
                conflicts, forgotten, resubscribed, generatedFiles, abortedReason, totals, List.of(), 0);
    }

    /** This report with the run's refused values ({@code total}: all of them, the list may hold the first only). */
    public RunReport withRefused(List<RefusedValueEntry> entries, long total) {
        return new RunReport(runId, startedAt, finishedAt, testMode, dryRun, operations, identicalSkipped, excluded,
                flagged, notSynced, conflicts, forgotten, resubscribed, generatedFiles, abortedReason, totals, entries,
                Math.max(total, entries.size()));
    }

    /**
     * The counts of a run whose per-contact lists were capped (a run keeps the first entries of each list, see the
     * setting {@code report.max-detailed-entries}): the report's figures come from here, its lists show the first
     * entries and say how many more there are.
     */
    public record Totals(long copperToMailchimpSuccess, long copperToMailchimpErrors, long mailchimpToCopperSuccess,
                         long mailchimpToCopperErrors, long excluded, long flagged, long notSynced, long conflicts,
                         long forgotten, long forgottenNew, long resubscribed) {
        public long operations() {
            return copperToMailchimpSuccess + copperToMailchimpErrors + mailchimpToCopperSuccess
                    + mailchimpToCopperErrors;
        }
    }

    /** A report whose lists are complete. */
    public RunReport(String runId, Instant startedAt, Instant finishedAt, boolean testMode, boolean dryRun,
                     List<OperationOutcome> operations, int identicalSkipped, List<ExcludedEntry> excluded,
                     List<FlaggedEntry> flagged, List<NotSyncedEntry> notSynced, List<Conflict> conflicts,
                     List<ForgottenEntry> forgotten, List<ResubscribedEntry> resubscribed,
                     List<String> generatedFiles, String abortedReason) {
        this(runId, startedAt, finishedAt, testMode, dryRun, operations, identicalSkipped, excluded, flagged, notSynced,
                conflicts, forgotten, resubscribed, generatedFiles, abortedReason, null);
    }

    /** A run that went to its end. */
    public RunReport(String runId, Instant startedAt, Instant finishedAt, boolean testMode, boolean dryRun,
                     List<OperationOutcome> operations, int identicalSkipped, List<ExcludedEntry> excluded,
                     List<FlaggedEntry> flagged, List<NotSyncedEntry> notSynced, List<Conflict> conflicts,
                     List<ForgottenEntry> forgotten, List<ResubscribedEntry> resubscribed,
                     List<String> generatedFiles) {
        this(runId, startedAt, finishedAt, testMode, dryRun, operations, identicalSkipped, excluded, flagged, notSynced,
                conflicts, forgotten, resubscribed, generatedFiles, null, null);
    }

    public RunReport {
        Objects.requireNonNull(startedAt, "startedAt");
        if (identicalSkipped < 0) {
            throw new IllegalArgumentException("identicalSkipped must be >= 0: " + identicalSkipped);
        }
        operations = copy(operations);
        excluded = copy(excluded);
        flagged = copy(flagged);
        notSynced = copy(notSynced);
        conflicts = copy(conflicts);
        forgotten = copy(forgotten);
        resubscribed = copy(resubscribed);
        generatedFiles = copy(generatedFiles);
        refused = copy(refused);
        refusedTotal = Math.max(refusedTotal, refused.size());
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Number of writes attempted. */
    public int totalOperations() {
        return totals == null ? operations.size() : (int) totals.operations();
    }

    /** Number of successful writes. */
    public int successCount() {
        return totals == null ? (int) operations.stream().filter(OperationOutcome::success).count()
                : (int) (totals.copperToMailchimpSuccess() + totals.mailchimpToCopperSuccess());
    }

    /** Writes attempted that {@link #operations()} does not list (a large run's list holds the first ones). */
    public int unlistedOperations() {
        return totalOperations() - operations.size();
    }

    public int excludedCount() {
        return totals == null ? excluded.size() : (int) totals.excluded();
    }

    public int flaggedCount() {
        return totals == null ? flagged.size() : (int) totals.flagged();
    }

    public int notSyncedCount() {
        return totals == null ? notSynced.size() : (int) totals.notSynced();
    }

    public int conflictCount() {
        return totals == null ? conflicts.size() : (int) totals.conflicts();
    }

    public int forgottenCount() {
        return totals == null ? forgotten.size() : (int) totals.forgotten();
    }

    public int resubscribedCount() {
        return totals == null ? resubscribed.size() : (int) totals.resubscribed();
    }

    /** Number of failed writes. */
    public int errorCount() {
        return totalOperations() - successCount();
    }

    public boolean hasErrors() {
        return errorCount() > 0;
    }

    /** Percentage of successful writes, 0–100; 100.0 when there was nothing to write. */
    public double successRate() {
        int total = totalOperations();
        return total == 0 ? 100.0 : successCount() * 100.0 / total;
    }

    /** Successful writes Copper → Mailchimp. */
    public int copperToMailchimpCount() {
        return successCount(Direction.COPPER_TO_MAILCHIMP);
    }

    /** Successful writes Mailchimp → Copper. */
    public int mailchimpToCopperCount() {
        return successCount(Direction.MAILCHIMP_TO_COPPER);
    }

    /** Successful writes in one direction. */
    public int successCount(Direction direction) {
        if (totals != null) {
            return (int) (direction == Direction.COPPER_TO_MAILCHIMP ? totals.copperToMailchimpSuccess()
                    : totals.mailchimpToCopperSuccess());
        }
        return (int) operations.stream().filter(o -> o.success() && o.direction() == direction).count();
    }

    /** Failed writes in one direction. */
    public int errorCount(Direction direction) {
        if (totals != null) {
            return (int) (direction == Direction.COPPER_TO_MAILCHIMP ? totals.copperToMailchimpErrors()
                    : totals.mailchimpToCopperErrors());
        }
        return (int) operations.stream().filter(o -> !o.success() && o.direction() == direction).count();
    }

    /** Forgotten addresses first seen in this run. */
    public int newlyForgottenCount() {
        return totals == null ? (int) forgotten.stream().filter(ForgottenEntry::newlyDetected).count()
                : (int) totals.forgottenNew();
    }

    /** True when the run had no write at all to make (the report then says every contact is up to date). */
    public boolean nothingToSync() {
        return totalOperations() == 0 && !aborted();
    }

    /** True when the run stopped before its end; see {@link #abortedReason()}. */
    public boolean aborted() {
        return abortedReason != null && !abortedReason.isBlank();
    }

    /** Run duration, when {@link #finishedAt()} is known. */
    public Optional<Duration> duration() {
        return finishedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, finishedAt));
    }

    /** What the reader should do next, most urgent first; {@code [NONE]} when nothing. */
    public List<RecommendedAction> recommendedActions() {
        List<RecommendedAction> actions = new ArrayList<>();
        if (aborted()) {
            actions.add(RecommendedAction.FIX_ABORT_CAUSE);
        }
        if (hasErrors()) {
            actions.add(RecommendedAction.CHECK_ERRORS);
        }
        if (notSyncedCount() > 0) {
            actions.add(RecommendedAction.FIX_NOT_SYNCED);
        }
        if (excluded.stream().anyMatch(e -> Reasons.archivedActive(e.reason()))) {
            actions.add(RecommendedAction.REVIEW_ARCHIVED);
        }
        if (forgottenCount() > 0) {
            actions.add(RecommendedAction.SEND_RESUBSCRIBE_LINKS);
        }
        if (flaggedCount() > 0) {
            actions.add(RecommendedAction.REVIEW_FLAGGED);
        }
        if (conflictCount() > 0) {
            actions.add(RecommendedAction.REVIEW_CONFLICTS);
        }
        if (refusedTotal > 0) {
            actions.add(RecommendedAction.FIX_REFUSED_VALUES);
        }
        if (dryRun && totalOperations() > 0) {
            actions.add(RecommendedAction.APPLY_DRY_RUN);
        }
        if (actions.isEmpty()) {
            actions.add(RecommendedAction.NONE);
        }
        return List.copyOf(actions);
    }

    /** A copy with other generated files (the file names are often known only once the report is built). */
    public RunReport withGeneratedFiles(List<String> files) {
        return new RunReport(runId, startedAt, finishedAt, testMode, dryRun, operations, identicalSkipped, excluded,
                flagged, notSynced, conflicts, forgotten, resubscribed, files, abortedReason, totals, refused,
                refusedTotal);
    }

    /** A copy with the finish time set. */
    public RunReport withFinishedAt(Instant finished) {
        return new RunReport(runId, startedAt, finished, testMode, dryRun, operations, identicalSkipped, excluded,
                flagged, notSynced, conflicts, forgotten, resubscribed, generatedFiles, abortedReason, totals, refused,
                refusedTotal);
    }

    /** A copy with exact counts for capped lists. */
    public RunReport withTotals(Totals counts) {
        return new RunReport(runId, startedAt, finishedAt, testMode, dryRun, operations, identicalSkipped, excluded,
                flagged, notSynced, conflicts, forgotten, resubscribed, generatedFiles, abortedReason, counts, refused,
                refusedTotal);
    }

    public static Builder builder(String runId, Instant startedAt) {
        return new Builder(runId, startedAt);
    }

    /**
     * Collects a run's outcomes as they arrive (for example from an aggregator). Every method is synchronized,
     * so outcomes may be added from several threads; {@link #build()} takes a consistent snapshot.
     */
    public static final class Builder {
        private String abortedReason;
        private final String runId;
        private final Instant startedAt;
        private Instant finishedAt;
        private boolean testMode;
        private boolean dryRun;
        private int identicalSkipped;
        private final List<OperationOutcome> operations = new ArrayList<>();
        private final List<ExcludedEntry> excluded = new ArrayList<>();
        private final List<FlaggedEntry> flagged = new ArrayList<>();
        private final List<NotSyncedEntry> notSynced = new ArrayList<>();
        private final List<Conflict> conflicts = new ArrayList<>();
        private final List<ForgottenEntry> forgotten = new ArrayList<>();
        private final List<ResubscribedEntry> resubscribed = new ArrayList<>();
        private final List<String> generatedFiles = new ArrayList<>();

        private Builder(String runId, Instant startedAt) {
            this.runId = runId;
            this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        }

        public synchronized Builder testMode(boolean value) {
            this.testMode = value;
            return this;
        }

        public synchronized Builder dryRun(boolean value) {
            this.dryRun = value;
            return this;
        }

        public synchronized Builder finishedAt(Instant value) {
            this.finishedAt = value;
            return this;
        }

        public synchronized Builder identicalSkipped(int count) {
            this.identicalSkipped += count;
            return this;
        }

        public synchronized Builder operation(OperationOutcome outcome) {
            operations.add(Objects.requireNonNull(outcome));
            return this;
        }

        public synchronized Builder excluded(ExcludedEntry entry) {
            excluded.add(Objects.requireNonNull(entry));
            return this;
        }

        public synchronized Builder flagged(FlaggedEntry entry) {
            flagged.add(Objects.requireNonNull(entry));
            return this;
        }

        public synchronized Builder notSynced(NotSyncedEntry entry) {
            notSynced.add(Objects.requireNonNull(entry));
            return this;
        }

        public synchronized Builder conflict(Conflict conflict) {
            conflicts.add(Objects.requireNonNull(conflict));
            return this;
        }

        public synchronized Builder conflicts(List<Conflict> list) {
            list.forEach(c -> conflicts.add(Objects.requireNonNull(c)));
            return this;
        }

        public synchronized Builder forgotten(ForgottenEntry entry) {
            forgotten.add(Objects.requireNonNull(entry));
            return this;
        }

        public synchronized Builder resubscribed(ResubscribedEntry entry) {
            resubscribed.add(Objects.requireNonNull(entry));
            return this;
        }

        public synchronized Builder generatedFile(String file) {
            generatedFiles.add(Objects.requireNonNull(file));
            return this;
        }

        public synchronized Builder abortedReason(String reason) {
            this.abortedReason = reason;
            return this;
        }

        public synchronized RunReport build() {
            return new RunReport(runId, startedAt, finishedAt, testMode, dryRun, operations, identicalSkipped,
                    excluded, flagged, notSynced, conflicts, forgotten, resubscribed, generatedFiles, abortedReason);
        }
    }
}

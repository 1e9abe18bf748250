package io.cmsync.run;

import io.cmsync.sync.EchoLedger;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cmsync.report.ExcludedEntry;
import io.cmsync.report.FlaggedEntry;
import io.cmsync.report.ForgottenEntry;
import io.cmsync.report.NotSyncedEntry;
import io.cmsync.report.OperationOutcome;
import io.cmsync.report.ResubscribedEntry;
import io.cmsync.report.RunLog;
import io.cmsync.state.RunStaging;
import io.cmsync.state.StateStore;
import io.cmsync.sync.Conflict;
import io.cmsync.sync.Contact;
import io.cmsync.sync.PlanTotals;
import io.cmsync.sync.Planner;

/**
 * Everything one run gathers, from the first page read to the report. The contacts read are staged in the state
 * database ({@link RunStaging}), not held here; the plan is known by its counts and executed chunk by chunk;
 * outcomes are counted in full and listed up to a cap, so memory does not grow with the number of contacts.
 * <p>
 * The run travels on the exchange (property {@value #PROPERTY}), from {@link SyncRuns#begin} to the end of the
 * exchange; each route step receives it as a parameter ({@code @ExchangeProperty("run")}). Nothing else holds it.
 */
public final class SyncRun {
    /** Exit codes of a run (README.md, « Codes de sortie »). */
    public static final int SUCCESS = 0;
    public static final int CONTACTS_FAILED = 1;
    public static final int FAILED = 2;
    public static final int BRAKED = 3;
    /** Not a run's: the run was not started because another run held the lock. */
    public static final int SKIPPED = 4;
    public static final int REPORTS_LOST = 5;

    /** The exchange property that carries the run through the routes. */
    public static final String PROPERTY = "run";

    private final String runId;
    private final Instant startedAt;
    private final boolean dryRun;
    private final boolean productionMode;
    private final RunLog log;
    private final StateStore store;

    /** The contacts read, staged in the state database (null when the state could not be opened). */
    private final RunStaging staging;
    private final int detailCap;
    private int outsideTestMarker;
    /** The whole plan's counts (first planning pass), the chunks of e-mails it was made of, and its time. */
    private PlanTotals planTotals;
    private List<String> chunkBounds = List.of();
    private Instant plannedAt;
    /** The scope of this run, and what changed since the synced state's (null: nothing, or no state yet). */
    private io.cmsync.sync.StateScope scope;
    private String scopeChange;
    private volatile String resumed;
    private boolean otherBase;
    /** This run's hold on the lock file (null in tests that build a run by hand); released when the run ends. */
    private final io.cmsync.state.RunLock lock;

    private final CappedList<OperationOutcome> operations;
    /** Writes per direction, operation and result (all of them, whatever the cap on the listed ones). */
    private final Map<OperationKey, Long> operationTally = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong operationCount = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong operationErrors = new java.util.concurrent.atomic.AtomicLong();
    private final Set<String> failedEmails = Collections.synchronizedSet(new HashSet<>());
    /** Written, but with a mapped value the other side refused: not recorded as synced (see keepOutOfState). */
    private final Set<String> refusedValueEmails = Collections.synchronizedSet(new HashSet<>());
    /** The first Copper ids created (for tests and diagnostics); every one also goes to the staged targets. */
    private final Map<String, Long> createdCopperIds = Collections.synchronizedMap(new LinkedHashMap<>());
    private final CappedList<FlaggedEntry> flagged;
    private final CappedList<ExcludedEntry> excluded;
    private final CappedList<NotSyncedEntry> notSynced;
    private final CappedList<io.cmsync.report.RefusedValueEntry> refusedValues;
    private volatile io.cmsync.mapping.ResolvedMapping mapping;
    private volatile Instant scheduledFire;
    private final CappedList<ForgottenEntry> forgotten;
    private final CappedList<ResubscribedEntry> resubscribed;
    private final CappedList<Conflict> conflicts;
    /** Addresses Mailchimp refused in this run (forgotten / compliance state), with their Copper person. */
    private final Map<String, Contact> refusedByMailchimp = Collections.synchronizedMap(new LinkedHashMap<>());
    private int identical;
    private final EchoLedger echo;
    private final Progress progress = new Progress(5_000, System::currentTimeMillis);
    /** Where a person watching hears of this run's progress (the console), set when the run starts. */
    private volatile RunConsole console = RunConsole.NONE;
    private int plannedWrites;
    /** Incremental read starts (null: read everything) and the newest change seen on each side. */
    private Long copperSince;
    private String mailchimpSince;
    private boolean copperUpToDate;
    private boolean mailchimpUpToDate;
    private long maxCopperModified = Long.MIN_VALUE;
    private Instant maxMailchimpChanged;
    private String fatalError;
    private volatile String reportsLost;
    private volatile String brakeReason;
    private int fatalExitCode;
    private Instant finishedAt;

    /** Direction, operation and result of writes, for the metrics. */
    public record OperationKey(io.cmsync.sync.Direction direction, String operation, boolean success) {
    }

    SyncRun(String runId, Instant startedAt, boolean dryRun, boolean productionMode, RunLog log, StateStore store) {
        this(runId, startedAt, dryRun, productionMode, log, store, DEFAULT_DETAIL_CAP, 5, null);
    }

    /** Per-contact report entries kept per list when no setting says otherwise. */
    public static final int DEFAULT_DETAIL_CAP = 10_000;

    /**
     * @param detailCap      per-contact entries (operations, excluded, not synced…) kept per list for the reports; the
     *                       rest is only counted
     * @param overlapSeconds sync.incremental-overlap-seconds (the window counted after the run, see {@link EchoLedger})
     */
    SyncRun(String runId, Instant startedAt, boolean dryRun, boolean productionMode, RunLog log, StateStore store,
            int detailCap, long overlapSeconds, io.cmsync.state.RunLock lock) {
        this.lock = lock;
        this.echo = new EchoLedger(overlapSeconds);
        this.runId = runId;
        this.startedAt = startedAt;
        this.dryRun = dryRun;
        this.productionMode = productionMode;
        this.log = log;
        this.store = store;
        this.staging = store == null ? null : store.staging();
        this.detailCap = detailCap;
        this.operations = new CappedList<>(detailCap);
        this.flagged = new CappedList<>(detailCap);
        this.excluded = new CappedList<>(detailCap);
        this.refusedValues = new CappedList<>(detailCap);
        this.notSynced = new CappedList<>(detailCap);
        this.forgotten = new CappedList<>(detailCap, ForgottenEntry::newlyDetected);
        this.resubscribed = new CappedList<>(detailCap);
        this.conflicts = new CappedList<>(detailCap);
    }

    /** The pair this run syncs, with its collaborators; null in tests that build a run without one. */
    private volatile Pair pair;

    /** The pair this run syncs (null: a run built without one, whose steps use their own collaborators). */
    public Pair pair() {
        return pair;
    }

    void pair(Pair pair) {
        this.pair = pair;
    }

    /** The pair's label for metrics, health and console ({@code default} for today's single pair). */
    public String pairLabel() {
        return pair == null ? "default" : pair.label();
    }

    public int detailCap() {
        return detailCap;
    }

    /** The run's staging area (contacts read, planned synced records); null without a state store. */
    public RunStaging staging() {
        return staging;
    }

    public String runId() {
        return runId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** True in a dry run, and in a run whose plan the safety brake stopped. */
    public boolean dryRun() {
        return dryRun || brakeReason != null;
    }

    /** The safety brake stopped this run's plan: nothing is written, the report says why. */
    public void brake(String reason) {
        this.brakeReason = reason;
    }

    /** Why the safety brake stopped the plan, or null. */
    public String brakeReason() {
        return brakeReason;
    }

    public boolean productionMode() {
        return productionMode;
    }

    public RunLog log() {
        return log;
    }

    public StateStore store() {
        return store;
    }

    /** A Copper person read: staged (several people may share an e-mail; the planner reports them). */
    public void addCopper(Contact c) {
        staging.addCopper(Planner.key(c), c);
    }

    /** A Mailchimp member read: staged; the first one read per e-mail counts (default listing before archived). */
    public void addMailchimp(Contact c) {
        staging.addMailchimp(Planner.key(c), c);
    }

    /** An incremental run drops a member it read again unchanged, whose Copper side it did not read. */
    public void dropMailchimp(String email) {
        staging.removeMailchimp(email);
    }

    /** Every Copper person read, loaded from the staging area: for incremental runs, which read only changes. */
    public List<Contact> copper() {
        return staging.copper();
    }

    /** Every Mailchimp member read (one per e-mail), from the staging area: for incremental runs only. */
    public List<Contact> mailchimp() {
        return staging.mailchimp();
    }

    /** Decided when the run starts: null means a full read of that side. */
    public void readFrom(Long copperSince, String mailchimpSince) {
        this.copperSince = copperSince;
        this.mailchimpSince = mailchimpSince;
    }

    /**
     * Decided when the run starts: the count of the last run's changes, made just before, saw nothing newer than the
     * watermark on that side, so its read would return nothing and is not made.
     */
    public void nothingNew(boolean copper, boolean mailchimp) {
        this.copperUpToDate = copper;
        this.mailchimpUpToDate = mailchimp;
    }

    public boolean copperUpToDate() {
        return copperUpToDate;
    }

    public boolean mailchimpUpToDate() {
        return mailchimpUpToDate;
    }

    public Long copperSince() {
        return copperSince;
    }

    public String mailchimpSince() {
        return mailchimpSince;
    }

    public boolean fullSync() {
        return copperSince == null;
    }

    public synchronized void copperModified(long dateModified) {
        maxCopperModified = Math.max(maxCopperModified, dateModified);
    }

    public synchronized void mailchimpChanged(Instant lastChanged) {
        if (lastChanged != null && (maxMailchimpChanged == null || lastChanged.isAfter(maxMailchimpChanged))) {
            maxMailchimpChanged = lastChanged;
        }
    }

    public synchronized Long maxCopperModified() {
        return maxCopperModified == Long.MIN_VALUE ? null : maxCopperModified;
    }

    public synchronized Instant maxMailchimpChanged() {
        return maxMailchimpChanged;
    }

    /** What the run read and wrote on each side's change feed (to move the watermarks past its own writes). */
    public EchoLedger echo() {
        return echo;
    }

    public void countOutsideTestMarker() {
        outsideTestMarker++;
    }

    public int outsideTestMarker() {
        return outsideTestMarker;
    }

    /** The whole plan's counts, known once the first planning pass is done (null before). */
    public PlanTotals planTotals() {
        return planTotals;
    }

    public void planned(PlanTotals totals, List<String> chunkBounds, Instant at) {
        this.planTotals = totals;
        this.chunkBounds = List.copyOf(chunkBounds);
        this.plannedAt = at;
        this.plannedWrites = totals.stats().writes();
        console.planned(this);
    }

    /** The e-mail bounds of the plan's chunks (each chunk ends with its bound), in order. */
    public List<String> chunkBounds() {
        return chunkBounds;
    }

    /** The time the plan was made for (the second pass plans each chunk for the same time). */
    public Instant plannedAt() {
        return plannedAt;
    }

    io.cmsync.state.RunLock lock() {
        return lock;
    }

    /** The run's scope (mode, marker, account, audience), known once the read window is decided. */
    public io.cmsync.sync.StateScope scope() {
        return scope;
    }

    /**
     * @param change    what changed since the scope the synced state records (null: nothing)
     * @param otherBase the state's records are about another account or audience: the plan must not use them
     */
    public void scope(io.cmsync.sync.StateScope scope, String change, boolean otherBase) {
        this.scope = scope;
        this.scopeChange = change;
        this.otherBase = otherBase;
    }

    /** What changed since the synced state's scope, or null. */
    public String scopeChange() {
        return scopeChange;
    }

    /** The synced records describe another account or audience: planned as a first sync, replaced at commit. */
    public boolean otherBase() {
        return otherBase;
    }

    /** The line saying this run finishes a killed run's plan (null when it does not). */
    public String resumed() {
        return resumed;
    }

    public void resumed(String line) {
        this.resumed = line;
    }

    /** True once the run has ended: a step that still holds it (a batch left in an aggregator) must not write. */
    public boolean ended() {
        return finishedAt != null;
    }

    /**
     * True when a batch of {@code count} writes to {@code side} belongs to this run after it ended (a run that failed
     * before flushing its aggregators): it is dropped with a warning, and the next run plans those contacts again.
     */
    public boolean dropsLeftOver(String side, int count) {
        if (!ended()) {
            return false;
        }
        org.slf4j.LoggerFactory.getLogger(SyncRun.class).warn(
                "{} {} write(s) of the ended run {} dropped: the next run plans them again", count, side, runId);
        return true;
    }

    public Progress progress() {
        return progress;
    }

    /** The console told about this run's stages (never null). */
    public RunConsole console() {
        return console;
    }

    void console(RunConsole console) {
        this.console = console == null ? RunConsole.NONE : console;
    }

    public void outcome(OperationOutcome o) {
        operations.add(o);
        operationTally.merge(new OperationKey(o.direction(), o.operation(), o.success()), 1L, Long::sum);
        if (!o.success()) {
            failedEmails.add(o.email());
            operationErrors.incrementAndGet();
        }
        long done = operationCount.incrementAndGet();
        console.written(done, plannedWrites);
        if (plannedWrites > 0 && progress.writeDue(done >= plannedWrites)) {
            log.say(RunLog.Level.INFO, "report.log.progress", done, plannedWrites);
        }
    }

    /** An e-mail whose writes must not be recorded as synced (failed, or waiting for resubscription). */
    public void holdBack(String email) {
        failedEmails.add(email);
    }

    public boolean failed(String email) {
        return failedEmails.contains(email);
    }

    /**
     * A contact written without a mapped value the other side refused: it is not recorded as synced, so the next run
     * compares it again and says the value again until someone fixes it; unlike {@link #holdBack} its other writes of
     * this run (its tags on the other side) still go.
     */
    public void keepOutOfState(String email) {
        refusedValueEmails.add(email);
    }

    /** Whether the synced state must not record this contact at the run's end (failed, held back or refused value). */
    public boolean keptOutOfState(String email) {
        return failedEmails.contains(email) || refusedValueEmails.contains(email);
    }

    /** The e-mails whose writes failed or were held back, and those with a refused value (a copy). */
    public Set<String> failedEmails() {
        Set<String> all = new HashSet<>();
        synchronized (failedEmails) {
            all.addAll(failedEmails);
        }
        synchronized (refusedValueEmails) {
            all.addAll(refusedValueEmails);
        }
        return Set.copyOf(all);
    }

    public void createdCopperPerson(String email, long id) {
        if (createdCopperIds.size() < detailCap) {
            createdCopperIds.put(email, id);
        }
        if (staging != null) {
            staging.createdCopperId(email, id);
        }
    }

    public Long createdCopperId(String email) {
        return createdCopperIds.get(email);
    }

    public void refusedByMailchimp(String email, Contact copperPerson) {
        refusedByMailchimp.put(email, copperPerson);
    }

    public Map<String, Contact> refusedByMailchimp() {
        return refusedByMailchimp;
    }

    /** The Copper person read for an e-mail, if any (first one when duplicated). */
    public Contact copperPerson(String email) {
        return staging == null ? null : staging.copperPerson(email).orElse(null);
    }

    /** The writes made (or planned, in a dry run): the first {@link #detailCap()} listed, all counted. */
    public CappedList<OperationOutcome> operations() {
        return operations;
    }

    /** Every write of the run, counted by direction, operation and result. */
    public Map<OperationKey, Long> operationTally() {
        return Map.copyOf(operationTally);
    }

    public long operationCount() {
        return operationCount.get();
    }

    public CappedList<FlaggedEntry> flagged() {
        return flagged;
    }

    public CappedList<ExcludedEntry> excluded() {
        return excluded;
    }

    /** The Quartz fire time this run was scheduled for; null for a run not fired by Quartz (--once). */
    public Instant scheduledFire() {
        return scheduledFire;
    }

    public void scheduledFire(Instant fire) {
        this.scheduledFire = fire;
    }

    /** The run's field mapping, checked against both accounts when the run began; null before that. */
    public io.cmsync.mapping.ResolvedMapping mapping() {
        return mapping;
    }

    public void mapping(io.cmsync.mapping.ResolvedMapping mapping) {
        this.mapping = mapping;
    }

    /** The mapped fields beyond the names, for the planner (none before the mapping is resolved). */
    public List<io.cmsync.sync.FieldRule> fieldRules() {
        return mapping == null ? List.of() : mapping.rules();
    }

    /** Mapped fields' values one side would refuse (reported per contact and field; the rest of the contact syncs). */
    public CappedList<io.cmsync.report.RefusedValueEntry> refusedValues() {
        return refusedValues;
    }

    /**
     * A mapped field's value one side refuses (the planner's checks, or the side itself at write time): listed in the
     * report, and one WARN line of the sync log, its reason in the log's language.
     */
    public void refusedValue(io.cmsync.report.RefusedValueEntry refused) {
        refusedValues.add(refused);
        log.say(RunLog.Level.WARN, "report.log.refused-value", io.cmsync.sync.Planner.sideName(refused.side()),
                refused.email(), refused.field(), refused.value(),
                io.cmsync.report.FieldRefusals.text(log.language().messages(), refused.reason()));
    }

    public CappedList<NotSyncedEntry> notSynced() {
        return notSynced;
    }

    public CappedList<ForgottenEntry> forgotten() {
        return forgotten;
    }

    public CappedList<ResubscribedEntry> resubscribed() {
        return resubscribed;
    }

    /** Fields both sides changed since the last sync, gathered chunk by chunk while the plan is executed. */
    public CappedList<Conflict> conflicts() {
        return conflicts;
    }

    public synchronized void countIdentical() {
        identical++;
    }

    public synchronized int identical() {
        return identical;
    }

    public void fail(String message, int exitCode) {
        this.fatalError = message;
        this.fatalExitCode = exitCode;
    }

    public String fatalError() {
        return fatalError;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    void finish(Instant at) {
        this.finishedAt = at;
    }

    public long errorCount() {
        return operationErrors.get();
    }

    /** A report file could not be written: the run's writes stand (the synced state is committed), its exit code says so. */
    public void reportsLost(String why) {
        if (reportsLost == null) {
            reportsLost = why;
        }
    }

    public String reportsLost() {
        return reportsLost;
    }

    /**
     * 0 success; 1 some contacts failed; 2 the run stopped (configuration, connection or state error); 3 the safety
     * brake stopped the plan (nothing written); 5 the sync ran but a report could not be written. (4, a run skipped
     * because another holds the lock, is the command's.)
     */
    public int exitCode() {
        if (fatalError != null) {
            return fatalExitCode;
        }
        if (reportsLost != null) {
            return REPORTS_LOST;
        }
        if (errorCount() > 0) {
            return CONTACTS_FAILED;
        }
        return brakeReason != null ? BRAKED : SUCCESS;
    }
}

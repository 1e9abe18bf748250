package io.cmsync.run;

import java.time.Instant;
import java.util.ArrayList;
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
import io.cmsync.state.StateStore;
import io.cmsync.sync.Contact;
import io.cmsync.sync.SyncPlan;

/**
 * Everything one run gathers, from the first page read to the report: the contacts of both sides, the plan, and
 * the outcome of every action. One run at a time (see {@link SyncRuns}), so the route steps share it through
 * {@link SyncRuns#current()}.
 */
public final class SyncRun {
    private final String runId;
    private final Instant startedAt;
    private final boolean dryRun;
    private final boolean productionMode;
    private final RunLog log;
    private final StateStore store;

    private final List<Contact> copper = new ArrayList<>();
    /** Mailchimp is read in two passes (default listing, then archived): keyed by e-mail so a member counts once. */
    private final Map<String, Contact> mailchimp = new LinkedHashMap<>();
    private int outsideTestMarker;
    private SyncPlan plan;

    private final List<OperationOutcome> operations = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> failedEmails = Collections.synchronizedSet(new HashSet<>());
    private final Map<String, Long> createdCopperIds = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<FlaggedEntry> flagged = Collections.synchronizedList(new ArrayList<>());
    private final List<ExcludedEntry> excluded = Collections.synchronizedList(new ArrayList<>());
    private final List<NotSyncedEntry> notSynced = Collections.synchronizedList(new ArrayList<>());
    private final List<ForgottenEntry> forgotten = Collections.synchronizedList(new ArrayList<>());
    private final List<ResubscribedEntry> resubscribed = Collections.synchronizedList(new ArrayList<>());
    /** Addresses Mailchimp refused in this run (forgotten / compliance state), with their Copper person. */
    private final Map<String, Contact> refusedByMailchimp = Collections.synchronizedMap(new LinkedHashMap<>());
    private Map<String, Contact> copperByEmail;
    private int identical;
    private final EchoLedger echo;
    private final Progress progress = new Progress(5_000, System::currentTimeMillis);
    private int plannedWrites;
    /** Incremental read starts (null: read everything) and the newest change seen on each side. */
    private Long copperSince;
    private String mailchimpSince;
    private long maxCopperModified = Long.MIN_VALUE;
    private Instant maxMailchimpChanged;
    private String fatalError;
    private volatile String brakeReason;
    private int fatalExitCode;
    private Instant finishedAt;

    SyncRun(String runId, Instant startedAt, boolean dryRun, boolean productionMode, RunLog log, StateStore store,
            long overlapSeconds) {
        this.echo = new EchoLedger(overlapSeconds);
        this.runId = runId;
        this.startedAt = startedAt;
        this.dryRun = dryRun;
        this.productionMode = productionMode;
        this.log = log;
        this.store = store;
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

    public void addCopper(Contact c) {
        copper.add(c);
    }

    public void addMailchimp(Contact c) {
        mailchimp.putIfAbsent(c.email(), c);
    }

    /** An incremental run drops a member it read again unchanged, whose Copper side it did not read. */
    void dropMailchimp(String email) {
        mailchimp.remove(email);
    }

    public List<Contact> copper() {
        return copper;
    }

    public List<Contact> mailchimp() {
        return new ArrayList<>(mailchimp.values());
    }

    /** Decided when the run starts: null means a full read of that side. */
    void readFrom(Long copperSince, String mailchimpSince) {
        this.copperSince = copperSince;
        this.mailchimpSince = mailchimpSince;
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

    public SyncPlan plan() {
        return plan;
    }

    void plan(SyncPlan plan) {
        this.plan = plan;
        this.plannedWrites = plan.stats().writes();
    }

    Progress progress() {
        return progress;
    }

    public void outcome(OperationOutcome o) {
        operations.add(o);
        if (!o.success()) {
            failedEmails.add(o.email());
        }
        int done = operations.size();
        if (plannedWrites > 0 && progress.writeDue(done >= plannedWrites)) {
            log.info("Progression: " + done + " / " + plannedWrites + " écriture(s) faites");
        }
    }

    /** An e-mail whose writes must not be recorded as synced (failed, or waiting for resubscription). */
    public void holdBack(String email) {
        failedEmails.add(email);
    }

    public boolean failed(String email) {
        return failedEmails.contains(email);
    }

    public void createdCopperPerson(String email, long id) {
        createdCopperIds.put(email, id);
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
    public synchronized Contact copperPerson(String email) {
        if (copperByEmail == null) {
            copperByEmail = new LinkedHashMap<>();
            copper.forEach(c -> copperByEmail.putIfAbsent(c.email(), c));
        }
        return copperByEmail.get(email);
    }

    public List<OperationOutcome> operations() {
        return operations;
    }

    public List<FlaggedEntry> flagged() {
        return flagged;
    }

    public List<ExcludedEntry> excluded() {
        return excluded;
    }

    public List<NotSyncedEntry> notSynced() {
        return notSynced;
    }

    public List<ForgottenEntry> forgotten() {
        return forgotten;
    }

    public List<ResubscribedEntry> resubscribed() {
        return resubscribed;
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
        return operations.stream().filter(o -> !o.success()).count();
    }

    /** SPEC §5: 0 success, 1 some contacts failed, 2 configuration or connection error. */
    public int exitCode() {
        if (fatalError != null) {
            return fatalExitCode;
        }
        return errorCount() > 0 || brakeReason != null ? 1 : 0;
    }
}

package io.cmsync.run;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.config.Secrets;
import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.http.ApiException;
import io.cmsync.report.ExcludedEntry;
import io.cmsync.report.NotSyncedEntry;
import io.cmsync.report.ReportLanguage;
import io.cmsync.report.RunLog;
import io.cmsync.state.RunLock;
import io.cmsync.state.StateException;
import io.cmsync.state.StateStore;
import io.cmsync.sync.Action;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SyncedRecord;

/**
 * Starts and ends runs: never two at once (in-process flag, plus the lock file against other processes), opens the
 * synced state for the run, and keeps the last finished run for the command line's exit code.
 */
public final class SyncRuns {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** Synced-state meta key: set once a PRODUCTION run has executed its plan (safety brake). */
    public static final String PRODUCTION_CONFIRMED = "safety.production-run-executed";
    private static final int COMMIT_PAGE = 1_000;

    private final Settings settings;
    private final Clock clock;
    private final boolean dryRun;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile SyncRun current;
    private volatile SyncRun last;
    private RunLock lock;
    private final java.util.List<java.util.function.Consumer<SyncRun>> endListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public SyncRuns(Settings settings, Clock clock, boolean dryRun) {
        this.settings = settings;
        this.clock = clock;
        this.dryRun = dryRun;
    }

    /** Starts a run; false (and a log line) when one is already in flight here or in another process. */
    public boolean begin() {
        if (!running.compareAndSet(false, true)) {
            LOG.warn("⏭️ Synchronisation déjà en cours: ce déclenchement est ignoré");
            return false;
        }
        Optional<RunLock> acquired;
        try {
            acquired = RunLock.tryAcquire(settings.lockFile());
        } catch (StateException e) {
            running.set(false);
            LOG.error("❌ {}", e.getMessage());
            return false;
        }
        if (acquired.isEmpty()) {
            running.set(false);
            LOG.warn("⏭️ Une autre synchronisation tient le verrou {}: ce déclenchement est ignoré", settings.lockFile());
            return false;
        }
        lock = acquired.get();
        Instant now = clock.instant();
        String runId = RUN_ID.format(now.atZone(ZoneId.systemDefault())) + "-" + UUID.randomUUID().toString().substring(0, 6);
        RunLog log = new RunLog(clock.withZone(settings.reportZone()), runId,
                "en".equals(settings.reportLanguage()) ? ReportLanguage.EN : ReportLanguage.FR);
        StateStore store;
        try {
            store = StateStore.open(settings.stateJdbcUrl());
        } catch (StateException e) {
            store = null;
            current = new SyncRun(runId, now, dryRun, settings.productionMode(), log, null,
                    settings.reportMaxDetailedEntries(), settings.incrementalOverlapSeconds());
            current.fail(e.getMessage(), 2);
            log.error(e.getMessage());
            return true;
        }
        current = new SyncRun(runId, now, dryRun, settings.productionMode(), log, store,
                settings.reportMaxDetailedEntries(), settings.incrementalOverlapSeconds());
        try {
            store.staging().clear();
        } catch (StateException e) {
            current.fail(e.getMessage(), 2);
            log.error(e.getMessage());
            return true;
        }
        log.info("Début de la synchronisation " + runId + " — mode " + settings.modeLabel()
                + (dryRun ? " (simulation: aucune écriture)" : ""));
        return true;
    }

    /** True when the run can go on (begin() succeeded and nothing fatal happened yet). */
    public boolean healthy() {
        SyncRun run = current;
        return run != null && run.fatalError() == null;
    }

    public SyncRun current() {
        return Objects.requireNonNull(current, "no run in progress");
    }

    public Optional<SyncRun> last() {
        return Optional.ofNullable(last);
    }

    /** What the execute route asks per action: the current run's dry-run state (a braked run is dry). */
    public boolean dryRun() {
        SyncRun run = current;
        return run != null ? run.dryRun() : dryRun;
    }

    /** {@code listener} is told about every run that ends (metrics, health); its failures are logged, never thrown. */
    public void onEnd(java.util.function.Consumer<SyncRun> listener) {
        endListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** A run-stopping failure: one clear line, no stack trace for API and state errors. */
    public void fail(Exception e) {
        SyncRun run = current();
        String message;
        if (e instanceof ApiException api && api.authenticationFailure()) {
            String keys = CopperClient.SIDE.equals(api.side())
                    ? Secrets.COPPER_API_KEY + " / " + Secrets.COPPER_API_EMAIL
                    : Secrets.MAILCHIMP_API_KEY + " / " + Secrets.MAILCHIMP_DC;
            message = api.side() + " a refusé les identifiants (HTTP " + api.status() + "): vérifiez " + keys + " dans "
                    + settings.envFile();
        } else if (e instanceof ApiException api) {
            message = "Erreur de connexion " + api.side() + ": " + api.getMessage();
        } else if (e instanceof StateException) {
            message = "État de synchronisation illisible: " + e.getMessage();
        } else {
            message = "Synchronisation interrompue: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("Unexpected failure in run {}", run.runId(), e);
        }
        run.fail(Secretless.mask(message, settings.secrets()), 2);
        run.log().error(run.fatalError());
    }

    /** Read step: a Copper person that passed the read filters. */
    public void addCopper(io.cmsync.sync.Contact contact) {
        current().addCopper(contact);
    }

    /** Read step: a Mailchimp member that passed the read filters. */
    public void addMailchimp(io.cmsync.sync.Contact contact) {
        current().addMailchimp(contact);
    }

    public void identical(Action.SkipIdentical skip) {
        SyncRun run = current();
        run.countIdentical();
        run.log().skip("Contact identique ignoré: " + skip.email());
    }

    /** Decisions that write nothing: exclusions and contacts that cannot be synced. */
    public void recordNotWritten(Action action) {
        SyncRun run = current();
        if (action instanceof Action.Excluded e && Planner.REASON_FORGOTTEN.equals(e.reason())) {
            // remembered from an earlier run: awaiting resubscription, not an error and no Mailchimp call
            io.cmsync.sync.Contact person = run.copperPerson(e.email());
            String url = run.store() == null ? null : run.store().meta("mailchimp.subscribe_url_long").orElse(null);
            run.forgotten().add(new io.cmsync.report.ForgottenEntry(e.email(), person == null ? "" : person.displayName(),
                    url == null ? "" : io.cmsync.mailchimp.MailchimpClient.resubscribeLink(url, e.email()), false));
            run.log().info("En attente de réinscription (adresse refusée par Mailchimp): " + e.email());
        } else if (action instanceof Action.Excluded e) {
            run.excluded().add(new ExcludedEntry(e.email(), e.side(), e.reason()));
            run.log().info("Contact exclu (" + e.side() + "): " + e.email() + " — " + e.reason());
        } else if (action instanceof Action.NotSynced n) {
            run.notSynced().add(new NotSyncedEntry(n.email(), n.side(), n.reason()));
            run.log().warn("Contact non synchronisé (" + n.side() + "): "
                    + (n.email().isEmpty() ? "(sans e-mail)" : n.email()) + " — " + n.reason());
        }
    }

    /**
     * An incremental run does not read again what did not change: the contacts still waiting (flagged for deletion,
     * awaiting resubscription) that it did not read come from the synced state, so every report lists them.
     */
    public void listStillWaiting() {
        SyncRun run = current();
        if (run.fullSync() || run.store() == null) {
            return;
        }
        java.util.Set<String> listed = new java.util.HashSet<>();
        run.flagged().forEach(f -> listed.add(f.email()));
        int carried = 0;
        for (StateStore.PendingFlagged p : run.store().pending()) {
            if (!listed.contains(p.email()) && run.copperPerson(p.email()) == null) {
                run.flagged().add(new io.cmsync.report.FlaggedEntry(p.email(), p.displayName(), p.matchedTag()));
                carried++;
            }
        }
        listed.clear();
        run.forgotten().forEach(f -> listed.add(f.email()));
        String url = run.store().meta("mailchimp.subscribe_url_long").orElse(null);
        for (SyncedRecord r : run.store().withMailchimpStatus(Planner.FORGOTTEN_STATUS)) {
            if (!listed.contains(r.email()) && run.copperPerson(r.email()) == null) {
                run.forgotten().add(new io.cmsync.report.ForgottenEntry(r.email(), r.firstName() + " " + r.lastName(),
                        url == null ? "" : io.cmsync.mailchimp.MailchimpClient.resubscribeLink(url, r.email()), false));
                carried++;
            }
        }
        LOG.debug("{} waiting contact(s) listed from the synced state", carried);
    }

    /**
     * Stores what was synced: the planner's target record (staged chunk by chunk, with the ids of the Copper people
     * created) for every e-mail whose writes all succeeded. Nothing in a dry run, and nothing for an e-mail with a
     * failed write, so the next run sees the difference again. Read from the staging area a page at a time.
     */
    public void commitState() {
        SyncRun run = current();
        if (run.dryRun() || run.planTotals() == null || run.store() == null) {
            return;
        }
        int saved = 0;
        String after = null;
        for (java.util.List<SyncedRecord> page = run.staging().targetsAfter(null, COMMIT_PAGE); !page.isEmpty();
             page = run.staging().targetsAfter(after, COMMIT_PAGE)) {
            for (SyncedRecord record : page) {
                if (run.failed(record.email())) {
                    continue;
                }
                Optional<SyncedRecord> stored = run.store().find(record.email());
                if (stored.isEmpty() || !sameContent(stored.get(), record)) {
                    run.store().save(record);
                    saved++;
                }
            }
            after = page.get(page.size() - 1).email();
        }
        if (run.productionMode() && run.store().meta(PRODUCTION_CONFIRMED).isEmpty()) {
            run.store().putMeta(PRODUCTION_CONFIRMED, run.startedAt().toString());
        }
        LOG.info("Synced state: {} record(s) written", saved);
    }

    private static boolean sameContent(SyncedRecord a, SyncedRecord b) {
        return Objects.equals(a.copperId(), b.copperId()) && a.firstName().equals(b.firstName())
                && a.lastName().equals(b.lastName()) && a.tags().equals(b.tags()) && a.pushedTags().equals(b.pushedTags())
                && Objects.equals(a.mailchimpStatus(), b.mailchimpStatus());
    }

    /** Ends the run: closes the state and frees the lock, whatever happened. */
    public void end() {
        SyncRun run = current;
        try {
            if (run != null) {
                run.finish(clock.instant());
                if (run.store() != null) {
                    try {
                        run.store().staging().clear();
                    } catch (StateException e) {
                        LOG.warn("Staging tables not emptied (the next run empties them): {}", e.getMessage());
                    }
                    run.store().close();
                }
                run.log().discard();
                LOG.info("Run {} finished: {} operation(s), {} error(s), exit code {}", run.runId(),
                        run.operationCount(), run.errorCount(), run.exitCode());
            }
        } finally {
            last = run;
            current = null;
            if (lock != null) {
                lock.close();
                lock = null;
            }
            running.set(false);
        }
        if (run != null) {
            for (var listener : endListeners) {
                try {
                    listener.accept(run);
                } catch (RuntimeException e) {
                    LOG.warn("Run end listener failed: {}", e.toString());
                }
            }
        }
    }
}

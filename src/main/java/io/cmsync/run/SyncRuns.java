package io.cmsync.run;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.config.Secrets;
import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.http.ApiException;
import io.cmsync.report.ReportLanguage;
import io.cmsync.report.RunLog;
import io.cmsync.state.RunLock;
import io.cmsync.state.StateException;
import io.cmsync.state.StateStore;

/**
 * Starts and ends runs. {@link #begin} takes the lock file (never two runs at once, in this process or another), opens
 * the synced state and puts the new {@link SyncRun} on the exchange; the run ends when that exchange is done, whatever
 * happened on the way (a step that threw, a route that was missing), so the lock is always released. Holds no run:
 * only what every run is made with, and who wants to hear that a run ended.
 */
public final class SyncRuns {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRuns.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * A run's id: its start in the settings' zone, the one its report names and the console use (a person compares
     * them), then six random characters.
     */
    static String runId(Instant start, ZoneId zone) {
        return RUN_ID.format(start.atZone(zone)) + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Synced-state meta key: set once a PRODUCTION run has executed its plan (safety brake). */
    public static final String PRODUCTION_CONFIRMED = "safety.production-run-executed";

    private final Settings settings;
    private final Clock clock;
    private final boolean dryRun;
    private final List<Consumer<SyncRun>> endListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<SyncRun, Exchange>> beginListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<Exchange, Skip>> skipListeners = new CopyOnWriteArrayList<>();
    private volatile RunConsole console = RunConsole.NONE;
    /** The deployment's pairs by name ("" for today's single pair); empty: runs carry no pair (tests of steps). */
    private final java.util.Map<String, Pair> pairs = new java.util.concurrent.ConcurrentHashMap<>();

    public SyncRuns(Settings settings, Clock clock, boolean dryRun) {
        this.settings = settings;
        this.clock = clock;
        this.dryRun = dryRun;
    }

    /** The pairs runs are started for: a run's exchange names its pair (property {@value Pair#PROPERTY}). */
    public void pairs(java.util.Collection<Pair> all) {
        for (Pair p : all) {
            pairs.put(p.name(), p);
        }
    }

    /** The deployment's pairs, in no particular order. */
    public java.util.Collection<Pair> pairs() {
        return java.util.List.copyOf(pairs.values());
    }

    /**
     * The pair named {@code name}: null or empty names the single pair (today's implicit one, or the only one
     * declared). Null when no pair is known (runs then use the settings given at construction).
     */
    public Pair pair(String name) {
        if (pairs.isEmpty()) {
            return null;
        }
        if (name == null || name.isEmpty()) {
            Pair implicit = pairs.get("");
            if (implicit != null) {
                return implicit;
            }
            if (pairs.size() == 1) {
                return pairs.values().iterator().next();
            }
            throw new IllegalArgumentException("several sync pairs are declared: the run must name its pair ("
                    + String.join(", ", new java.util.TreeSet<>(pairs.keySet())) + ")");
        }
        Pair p = pairs.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no sync pair named " + name);
        }
        return p;
    }

    /** The settings a run of {@code pair} is made with. */
    private Settings settingsOf(Pair pair) {
        return pair == null ? settings : pair.settings();
    }

    /** Where runs tell a person watching how they go (the application's console). */
    public void console(RunConsole console) {
        this.console = console == null ? RunConsole.NONE : console;
    }

    /** The run knows what it reads (after the watermarks' decision): the console's start line. */
    public void announce(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        if (run != null) {
            run.console().started(run);
        }
    }

    /**
     * Starts a run on {@code exchange} (property {@value SyncRun#PROPERTY}) and ends it when the exchange is done.
     * Sets nothing (and logs why) when another run holds the lock. A synced state that cannot be opened fails the run
     * it has just started (thrown, so the route's error handling reports it).
     */
    public void begin(Exchange exchange) {
        Pair pair = pair(exchange.getProperty(Pair.PROPERTY, String.class));
        Settings settings = settingsOf(pair);
        Optional<RunLock> acquired;
        StateException unusableLock = null;
        try {
            acquired = RunLock.tryAcquire(settings.stateDatabase(), settings.lockFile());
        } catch (StateException e) {
            // not "another run holds it": a run that cannot lock fails (exit code 2, its report says why)
            acquired = Optional.empty();
            unusableLock = e;
        }
        if (acquired.isEmpty() && unusableLock == null) {
            // expected (a cron run during the daemon's): the console says it in the person's words
            String held = RunLock.describe(settings.stateDatabase(), settings.lockFile());
            LOG.info("Another run holds the lock {}: this trigger is skipped", held);
            console.lockHeld(held);
            tell(skipListeners, l -> l.accept(exchange, Skip.LOCK_HELD));
            return;
        }
        Instant fire = recoveredFire(exchange);
        if (fire != null && acquired.isPresent() && alreadySynced(settings, fire)) {
            // Quartz recovers a dead node's job when the node died before Quartz recorded its end, even when the run
            // itself had ended: that fire time is synced already, running it again would be a duplicate run
            LOG.info("Recovered trigger for the fire time {}: a run of it already ended, nothing to recover", fire);
            acquired.get().close();
            tell(skipListeners, l -> l.accept(exchange, Skip.FIRE_ALREADY_SYNCED));
            return;
        }
        Started started = start(acquired.orElse(null), pair);
        SyncRun run = started.run();
        run.scheduledFire(fireTimeOf(exchange));
        exchange.setProperty(SyncRun.PROPERTY, run);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                end(run);
            }
        });
        tell(beginListeners, l -> l.accept(run, exchange));
        StateException cannotGoOn = unusableLock != null ? unusableLock : started.unreadable();
        if (cannotGoOn != null) {
            throw cannotGoOn; // the route's error handling reports it; the run ends with the exchange
        }
        run.store().staging().clear();
    }

    /** Synced-state meta key: the latest scheduled fire time whose run ended (a cluster's recovered job skips it). */
    public static final String LAST_FIRE_SYNCED = "schedule.last-fire-synced";

    /** The fire time a Quartz trigger was scheduled for (header of camel-quartz), null when not fired by Quartz. */
    static Instant scheduledFire(Exchange exchange) {
        Object fire = exchange.getMessage().getHeader("scheduledFireTime");
        return fire instanceof java.util.Date d ? d.toInstant() : null;
    }

    /**
     * The fire time a Quartz trigger's run is for: a recovered job's is the one the dead node did not finish (null
     * when not fired by Quartz).
     */
    public static Instant fireTimeOf(Exchange exchange) {
        Instant recovered = recoveredFire(exchange);
        return recovered != null ? recovered : scheduledFire(exchange);
    }

    /** The scheduled fire time of a job Quartz recovers from a dead node, null for any other trigger. */
    static Instant recoveredFire(Exchange exchange) {
        if (!"RECOVERING_JOBS".equals(exchange.getMessage().getHeader("triggerGroup", String.class))) {
            return null;
        }
        Object data = exchange.getMessage().getHeader("mergedJobDataMap");
        if (data instanceof org.quartz.JobDataMap map) {
            // the recovery trigger carries the fire time the dead node's run was scheduled for
            String original = map.getString(org.quartz.Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
            if (original != null) {
                try {
                    return Instant.ofEpochMilli(Long.parseLong(original));
                } catch (NumberFormatException e) {
                    // fall back on the trigger's own
                }
            }
        }
        return scheduledFire(exchange);
    }

    private static boolean alreadySynced(Settings settings, Instant fire) {
        try (StateStore store = StateStore.open(settings.stateDatabase())) {
            return store.meta(LAST_FIRE_SYNCED).map(Instant::parse).map(done -> !done.isBefore(fire)).orElse(false);
        } catch (RuntimeException e) {
            return false; // the run itself will say what is wrong with the state
        }
    }

    /** A new run, and why its synced state cannot be opened (null when it can). */
    private record Started(SyncRun run, StateException unreadable) {
    }

    /** @param lock the run's lock, or null when it could not be taken (the run then fails at once) */
    private Started start(RunLock lock, Pair pair) {
        Settings settings = settingsOf(pair);
        Instant now = clock.instant();
        String runId = runId(now, settings.zone());
        RunLog log = new RunLog(clock.withZone(settings.reportZone()), runId, ReportLanguage.parse(settings.reportLanguage()));
        StateStore store = null;
        StateException unreadable = null;
        try {
            store = StateStore.open(settings.stateDatabase());
        } catch (StateException e) {
            unreadable = e;
        }
        SyncRun run = new SyncRun(runId, now, dryRun, settings.productionMode(), log, store,
                settings.reportMaxDetailedEntries(), settings.incrementalOverlapSeconds(), lock);
        run.pair(pair);
        run.console(console);
        log.say(RunLog.Level.INFO, dryRun ? "report.log.start-dry-run" : "report.log.start", runId,
                settings.modeLabel());
        return new Started(run, unreadable);
    }

    /**
     * Starts a run outside any route (tests of single steps); end it with {@link #end}. Empty when the lock is held.
     */
    public Optional<SyncRun> beginDetached() {
        return beginDetached(null);
    }

    /** Same, for the pair named {@code pairName} (null: the single pair). */
    public Optional<SyncRun> beginDetached(String pairName) {
        Pair pair = pair(pairName);
        Settings settings = settingsOf(pair);
        Optional<RunLock> acquired = RunLock.tryAcquire(settings.stateDatabase(), settings.lockFile());
        return acquired.map(lock -> {
            Started started = start(lock, pair);
            if (started.unreadable() != null) {
                end(started.run());
                throw started.unreadable();
            }
            started.run().store().staging().clear();
            return started.run();
        });
    }

    /**
     * {@code listener} is told about every run that begins, with the exchange that started it (a Quartz trigger's
     * headers in the daemon: which node, which fire time, a recovery); its failures are logged, never thrown.
     */
    public void onBegin(java.util.function.BiConsumer<SyncRun, Exchange> listener) {
        beginListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Why a trigger started no run. */
    public enum Skip {
        /** another run (another node's, a --once) holds the pair's run lock */
        LOCK_HELD,
        /** a job Quartz recovered from a dead node, for a fire time whose run had already ended */
        FIRE_ALREADY_SYNCED
    }

    /** {@code listener} is told about every trigger that starts no run, and why. */
    public void onSkip(java.util.function.BiConsumer<Exchange, Skip> listener) {
        skipListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private static <T> void tell(List<T> listeners, Consumer<T> call) {
        for (T listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("Run listener failed: {}", e.toString());
            }
        }
    }

    /** {@code listener} is told about every run that ends (metrics, health); its failures are logged, never thrown. */
    public void onEnd(Consumer<SyncRun> listener) {
        endListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * A run-stopping failure: one clear line in the reader's language, no stack trace for API and state errors. The
     * report puts it under « SYNCHRONISATION INTERROMPUE », so it does not say so again; an API's own words come
     * after a line saying what happened.
     */
    public void fail(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, Exception e) {
        Settings settings = settingsOf(run.pair());
        RunLog log = run.log();
        String message;
        if (e instanceof ApiException api && api.authenticationFailure()) {
            String keys = CopperClient.SIDE.equals(api.side())
                    ? Secrets.COPPER_API_KEY + " / " + Secrets.COPPER_API_EMAIL
                    : Secrets.MAILCHIMP_API_KEY + " / " + Secrets.MAILCHIMP_DC;
            message = log.text("report.fail.credentials", api.side(), api.status(), keys, settings.envFile());
        } else if (e instanceof ApiException api && api.status() == 404
                && io.cmsync.mailchimp.MailchimpClient.SIDE.equals(api.side())) {
            // the run's Mailchimp calls are all under /lists/{id}: a 404 there is an audience id Mailchimp does not know
            String listId = settings.secrets() == null ? "" : String.valueOf(settings.secrets().mailchimpListId());
            message = log.text("report.fail.audience", listId, settings.envFile());
        } else if (e instanceof ApiException api && api.status() == 0) {
            message = log.text("report.fail.connection", api.side(), api.getMessage());
        } else if (e instanceof ApiException api) {
            message = log.text("report.fail.api-error", api.side(), api.status(), api.getMessage());
        } else if (e instanceof io.cmsync.read.FieldMappingStep.MappingRefused refused) {
            // one line per problem, each naming the mapping entry and the file (exit 2, nothing written)
            var messages = log.language().messages();
            message = String.join("\n", refused.problems().stream()
                    .map(p -> p.describe(messages, refused.file())).toList());
        } else if (e instanceof StateException) {
            message = log.text("report.fail.state", e.getMessage());
        } else if (e instanceof org.apache.camel.component.direct.DirectConsumerNotAvailableException missing) {
            // a route of routes/ is missing (stopped, or dropped by an edit): say which, the run cannot go on
            var endpoint = java.util.regex.Pattern.compile("direct://[\\w-]+").matcher(String.valueOf(missing.getMessage()));
            message = log.text("report.fail.route", endpoint.find() ? endpoint.group() : "?");
        } else {
            message = log.text("report.fail.unexpected", e.getClass().getSimpleName(), e.getMessage());
            LOG.error("Unexpected failure in run {}", run.runId(), e);
        }
        if ((e instanceof ApiException api && !api.authenticationFailure()) || e instanceof StateException) {
            // engineers get the detail in the technical log (INFO: never on the console, whose summary says it)
            LOG.info("Run {} stopped: {}", run.runId(), Secretless.mask(String.valueOf(e), settings.secrets()), e);
        }
        run.fail(Secretless.mask(message, settings.secrets()), SyncRun.FAILED);
        run.log().error(run.fatalError());
    }

    /** A report file could not be written (report-errors): one clear line, and the run's exit code says so. */
    public void reportsLost(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, Exception e) {
        if (run == null) {
            return;
        }
        Settings settings = settingsOf(run.pair());
        String why = Secretless.mask(e.getMessage(), settings.secrets());
        if (run.reportsLost() == null) {
            LOG.error("❌ Rapports de la synchronisation non écrits dans {}: {} (code de sortie {})",
                    settings.reportsDir(), why, SyncRun.REPORTS_LOST);
        }
        run.reportsLost(why);
    }

    /** Ends the run: closes the state and frees the lock, whatever happened; then tells the listeners. */
    public void end(SyncRun run) {
        if (run.ended()) {
            return;
        }
        try {
            run.finish(clock.instant());
            if (run.store() != null) {
                if (run.scheduledFire() != null && run.fatalError() == null && !run.dryRun()) {
                    try {
                        run.store().putMeta(LAST_FIRE_SYNCED, run.scheduledFire().toString());
                    } catch (StateException e) {
                        LOG.warn("Last synced fire time not recorded: {}", e.getMessage());
                    }
                }
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
        } finally {
            if (run.lock() != null) {
                run.lock().close();
            }
        }
        try {
            run.console().ended(run);
        } catch (RuntimeException e) {
            LOG.warn("Console summary failed", e);
        }
        for (var listener : endListeners) {
            try {
                listener.accept(run);
            } catch (RuntimeException e) {
                LOG.warn("Run end listener failed: {}", e.toString());
            }
        }
    }
}

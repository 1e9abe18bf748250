package io.cmsync.record;

import io.cmsync.run.SyncRun;
import io.cmsync.sync.EchoLedger;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Optional;
import java.util.TimeZone;

import org.apache.camel.ExchangeProperty;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.state.StateStore;
import io.cmsync.sync.StateScope;

/**
 * Incremental reads. Each side has a watermark: the newest server timestamp (Copper {@code date_modified},
 * Mailchimp {@code last_changed}) up to which every change has been synced. A run reads from the watermark minus a
 * small overlap (server commit lag); the watermark only moves when a run ends without failed contacts, so nothing is
 * skipped.
 * <p>
 * The product's own writes come back as changes. Reading them back would cost as many calls as the writes (a whole
 * second read after a first sync), so instead one count per listing (Copper search {@code X-PW-TOTAL}, Mailchimp
 * {@code total_items}) checks the window the run read last and wrote in: when it holds no more than what the run read
 * plus what it wrote ({@link EchoLedger}), nobody else changed anything, and the watermark moves to the newest change,
 * "settled": the next run reads strictly after it, without overlap. Otherwise the watermark stays where the run's read
 * ended and the next run reads the run's writes again with everyone else's.
 * <p>
 * The count needs the overlap (server commit lag) to have passed since the run's last write. The run does not wait for
 * it: it leaves the window ({@link PendingCount}) in the state, and the next run counts it at its start. So that what
 * happens between the two runs is not taken for the run's own writes, the window ends at the server's own time after
 * the run's last answer (its {@code Date} header, {@link io.cmsync.http.ServerClock}): a first count without an end
 * that finds nothing newer than that second settles the watermark and spares the read (nothing newer exists); else a
 * second count, up to that second, settles it and the run reads after it as usual. A server that sends no
 * {@code Date} gets the old way: the run waits out the overlap and counts before it ends. If the next run starts
 * before the overlap has passed, a window that fits one page per listing is read again instead (as many calls as
 * counting it), a larger one is waited for.
 * <p>
 * What no count can see: someone's change, made before the end of the second of the run's last answer, to a contact
 * the run read last or wrote (it changes no count); the old end-of-run count had the same blind spot, up to the
 * overlap after the last write. The periodic full reconciliation catches it. Changes are assumed stamped with the
 * server's clock at the time they are made, as Copper and Mailchimp do.
 * <p>
 * A periodic full reconciliation (cron setting, nightly by default) reads everything again, to catch what incremental
 * reads cannot see (deleted people, changes lost to a crash).
 */
public final class Watermarks {
    private static final Logger LOG = LoggerFactory.getLogger(Watermarks.class);
    static final String COPPER = "copper.watermark";
    static final String MAILCHIMP = "mailchimp.watermark";
    static final String COPPER_SETTLED = "copper.watermark.settled";
    static final String MAILCHIMP_SETTLED = "mailchimp.watermark.settled";
    static final String LAST_FULL = "last-full-sync";
    /** The window the last run left to count ({@link PendingCount}), absent once counted. */
    static final String PENDING = "watermarks.pending-count";
    /** Whether {@code since_last_changed} includes its own second (the docs say "after"): probed once, then kept. */
    static final String MAILCHIMP_SINCE_INCLUSIVE = "mailchimp.since-last-changed-inclusive";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private final Settings settings;
    private final CopperClient copper;
    private final MailchimpClient mailchimp;

    /** The same decisions for each pair, made with that pair's settings and clients (see {@link #of}). */
    private final java.util.Map<io.cmsync.run.Pair, Watermarks> perPair = new java.util.concurrent.ConcurrentHashMap<>();

    public Watermarks(Settings settings, CopperClient copper, MailchimpClient mailchimp) {
        this.settings = settings;
        this.copper = copper;
        this.mailchimp = mailchimp;
    }

    /**
     * The watermarks of the run's pair: the pair's settings (incremental, overlap, full reconciliation, scope) and
     * clients; this one for a run without a pair. Holds no run, like this bean.
     */
    private Watermarks of(SyncRun run) {
        var pair = run.pair();
        if (pair == null || (pair.settings() == settings && pair.copper() == copper)) {
            return this;
        }
        return perPair.computeIfAbsent(pair, p -> new Watermarks(p.settings(), p.copper(), p.mailchimp()));
    }

    /** Start of a run: full read, or incremental from the stored watermarks. */
    public void decide(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        Watermarks pairs = of(run);
        if (pairs != this) {
            pairs.decide(run);
            return;
        }
        StateStore store = run.store();
        if (store == null) {
            return;
        }
        if (scopeChanged(run, store)) {
            run.log().info(run.log().text("report.log.full-scope-changed", run.scopeChange()));
            return;
        }
        if (!settings.incremental()) {
            return;
        }
        Optional<String> copperMark = store.meta(COPPER);
        Optional<String> mailchimpMark = store.meta(MAILCHIMP);
        Optional<Instant> lastFull = store.meta(LAST_FULL).map(Instant::parse);
        if (copperMark.isEmpty() || mailchimpMark.isEmpty() || lastFull.isEmpty()) {
            run.log().info(run.log().text("report.log.full-first"));
            return;
        }
        if (fullReconciliationDue(lastFull.get(), run.startedAt())) {
            run.log().info(run.log().text("report.log.full-periodic", settings.fullReconciliationCron()));
            return;
        }
        // a dry run records nothing: the window is left for the next real run, and this one reads with the overlap
        Settled counted = run.dryRun() ? Settled.NONE : countLeftByLastRun(run, store);
        copperMark = store.meta(COPPER);
        mailchimpMark = store.meta(MAILCHIMP);
        run.nothingNew(counted.copperNothingNew(), counted.mailchimpNothingNew());
        long overlap = settings.incrementalOverlapSeconds();
        // settled: the last run's window was counted after the overlap: read strictly after the mark
        long copperSince = settled(store, COPPER_SETTLED) ? Long.parseLong(copperMark.get()) + 1
                : Long.parseLong(copperMark.get()) - overlap;
        Instant mailchimpFrom = Instant.parse(mailchimpMark.get());
        if (!settled(store, MAILCHIMP_SETTLED)) {
            mailchimpFrom = mailchimpFrom.minusSeconds(overlap);
        } else if (settled(store, MAILCHIMP_SINCE_INCLUSIVE)) {
            mailchimpFrom = mailchimpFrom.plusSeconds(1);
        }
        String mailchimpSince = ISO.format(mailchimpFrom);
        run.readFrom(copperSince, mailchimpSince);
        // a person reads the times in the log's zone, like the line's own stamp (the API calls keep ISO with offset)
        run.log().info(run.log().text("report.log.incremental", run.log().time(Instant.ofEpochSecond(copperSince)),
                run.log().time(mailchimpFrom)));
    }

    /**
     * Meta key set on a state begun by a version that records scopes: its records without a scope are a first run's
     * that did not end, not a state made before scopes (see {@link #scopeChanged}).
     */
    static final String SCOPE_TRACKED = "sync.scope-tracked";

    /** The synced-state meta key of the scope that last wrote the state ({@link StateScope#stored()}). */
    public static final String SCOPE = "sync.scope";

    /** This run's scope, from the settings (and the default field mapping). */
    public StateScope scope() {
        return scope(null);
    }

    /** This run's scope, from the settings and the run's field mapping. */
    public StateScope scope(io.cmsync.mapping.ResolvedMapping mapping) {
        return new StateScope(settings.productionMode() ? "PRODUCTION" : "TEST", settings.testMarker(),
                settings.secrets().copperApiEmail(), settings.secrets().mailchimpListId(),
                (isDefault(mapping) ? "" : mapping.fingerprint())
                        // a pair's Copper tag filter is part of its scope (none: states made before pairs keep theirs)
                        + (settings.copperScopeTag() == null || settings.copperScopeTag().isEmpty() ? ""
                        : "|copper-tag=" + settings.copperScopeTag()));
    }

    /** Names in FNAME and LNAME and nothing else: what every state before field mappings was made with. */
    private static boolean isDefault(io.cmsync.mapping.ResolvedMapping mapping) {
        return mapping == null || mapping.rules().isEmpty() && "FNAME".equals(mapping.firstNameTag())
                && "LNAME".equals(mapping.lastNameTag());
    }

    /**
     * Compares this run's scope with the state's and records both on the run. A state written before scopes were
     * recorded is taken as PRODUCTION if a production run executed its plan on it, else TEST, of this account and
     * audience; an empty state has no scope to differ from.
     */
    private boolean scopeChanged(SyncRun run, StateStore store) {
        StateScope now = scope(run.mapping());
        Optional<StateScope> recorded = store.meta(SCOPE).flatMap(StateScope::parse);
        if (recorded.isEmpty() && store.count() == 0 && !run.dryRun()) {
            // a state this version begins: whatever records it gets before its first scope is written (a first run
            // killed in its commit, or after recording the addresses Mailchimp refused) are of this very scope
            store.putMeta(SCOPE_TRACKED, "true");
        } else if (recorded.isEmpty() && store.count() > 0 && store.meta(SCOPE_TRACKED).isPresent()) {
            LOG.info("Synced state: records of a first run that did not end, no scope recorded yet: not a scope change");
        } else if (recorded.isEmpty() && store.count() > 0) {
            recorded = Optional.of(new StateScope(store.meta(io.cmsync.run.SyncRuns.PRODUCTION_CONFIRMED).isPresent()
                    ? "PRODUCTION" : "TEST", now.testMarker(), now.copperAccount(), now.audienceId()));
        }
        io.cmsync.i18n.Messages messages = run.log().language().messages();
        String change = recorded.map(before -> now.changesSince(before, messages)).filter(c -> !c.isEmpty())
                .orElse(null);
        run.scope(now, change, change != null && now.otherBase(recorded.get()));
        return change != null;
    }

    private static boolean settled(StateStore store, String key) {
        return store.meta(key).map(Boolean::parseBoolean).orElse(false);
    }

    boolean fullReconciliationDue(Instant lastFull, Instant now) {
        try {
            CronExpression cron = new CronExpression(settings.fullReconciliationCron());
            cron.setTimeZone(TimeZone.getTimeZone(settings.reportZone()));
            Date next = cron.getNextValidTimeAfter(Date.from(lastFull));
            return next != null && !next.toInstant().isAfter(now);
        } catch (ParseException e) {
            throw new IllegalStateException("sync.full-reconciliation-cron was validated at start", e);
        }
    }

    /**
     * End of a run without failed contacts: moves the watermarks past what this run saw and wrote. A run with failed
     * contacts, a dry run or an interrupted run leaves them where they were.
     */
    public void advance(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        Watermarks pairs = of(run);
        if (pairs != this) {
            pairs.advance(run);
            return;
        }
        if (run.dryRun() || run.fatalError() != null || run.errorCount() > 0 || run.store() == null
                || !settings.incremental()) {
            return;
        }
        StateStore store = run.store();
        Long storedCopper = store.meta(COPPER).map(Long::parseLong).orElse(null);
        Instant storedMailchimp = store.meta(MAILCHIMP).map(Instant::parse).orElse(null);
        Long seenCopper = run.maxCopperModified();
        Instant seenMailchimp = run.maxMailchimpChanged();
        boolean copperMoved = seenCopper != null && (storedCopper == null || seenCopper > storedCopper);
        boolean mailchimpMoved = seenMailchimp != null && (storedMailchimp == null || seenMailchimp.isAfter(storedMailchimp));
        EchoLedger echo = run.echo();

        Long copperMark = max(seenCopper, storedCopper);
        Instant mailchimpMark = max(seenMailchimp, storedMailchimp);
        boolean copperSettled = settled(store, COPPER_SETTLED);
        boolean mailchimpSettled = settled(store, MAILCHIMP_SETTLED);
        store.removeMeta(PENDING); // this run's own window replaces it (a left one was counted at the start)
        if (echo.wroteSomething() || copperMoved || mailchimpMoved) {
            long wroteAt = echo.wroteSomething() ? echo.lastWriteMillis() : System.currentTimeMillis();
            Instant copperNow = copper.serverTime();
            Instant mailchimpNow = mailchimp.serverTime();

            // Copper: people with date_modified > floor (the search's minimum is inclusive)
            long copperFloor = echo.floor(echo.copperNewest(),
                    run.copperSince() == null ? Long.MIN_VALUE : run.copperSince() - 1);
            Long copperFrom = copperFloor == Long.MIN_VALUE ? null : copperFloor + 1;
            long copperExpected = echo.expectedCopper(copperFloor);

            // Mailchimp: both listings, members with last_changed > floor
            Long mailchimpNewest = echo.mailchimpNewest();
            String mailchimpFrom = run.mailchimpSince();
            long mailchimpFloor = echo.floor(mailchimpNewest, Long.MIN_VALUE);
            if (mailchimpNewest != null) {
                boolean inclusive = sinceIsInclusive(store, mailchimpNewest);
                mailchimpFrom = ISO.format(Instant.ofEpochSecond(mailchimpFloor + (inclusive ? 1 : 0)));
            }
            // a side this run never called holds none of its echo: its marks stay as they were
            PendingCount pending = new PendingCount(wroteAt + settings.incrementalOverlapSeconds() * 1000L,
                    copper.answered() ? new PendingCount.CopperWindow(copperFrom, seconds(copperNow), copperExpected)
                            : null,
                    mailchimp.answered() ? new PendingCount.MailchimpWindow(mailchimpFrom, seconds(mailchimpNow),
                            echo.expectedMailchimp(mailchimpFloor), echo.expectedMailchimpArchived(mailchimpFloor))
                            : null);
            boolean serversTellTime = (copperNow != null || !copper.answered())
                    && (mailchimpNow != null || !mailchimp.answered());
            if (serversTellTime) {
                // counted by the next run once the overlap has passed: this run ends now, its moved marks unsettled
                store.putMeta(PENDING, pending.toJson());
                copperSettled = copperSettled && pending.copper() == null;
                mailchimpSettled = mailchimpSettled && pending.mailchimp() == null;
                LOG.info("Changes of the run left to count at the next run's start: {}", pending.toJson());
            } else {
                // a server that sends no Date: the run's changes cannot be bounded later, so wait and count now
                settle(wroteAt);
                Settled now = count(pending);
                copperSettled = now.copper();
                mailchimpSettled = now.mailchimp();
                copperMark = copperSettled ? max(now.copperNewest(), copperMark) : copperMark;
                mailchimpMark = mailchimpSettled ? max(now.mailchimpNewest(), mailchimpMark) : mailchimpMark;
                othersChanged(run, copperSettled, mailchimpSettled, "report.log.changed-meanwhile");
            }
        }
        if (copperMark != null) {
            store.putMeta(COPPER, Long.toString(copperMark));
            store.putMeta(COPPER_SETTLED, Boolean.toString(copperSettled));
        }
        store.putMeta(MAILCHIMP, (mailchimpMark == null ? run.startedAt() : mailchimpMark).toString());
        store.putMeta(MAILCHIMP_SETTLED, Boolean.toString(mailchimpSettled && mailchimpMark != null));
        if (run.fullSync()) {
            store.putMeta(LAST_FULL, run.startedAt().toString());
        }
        LOG.info("Watermarks: Copper {}{}, Mailchimp {}{}", copperMark, copperSettled ? " (settled)" : "",
                mailchimpMark, mailchimpSettled ? " (settled)" : "");
    }

    /**
     * Whether {@code since_last_changed} includes its own second (the docs say "after"), asked once and kept: the
     * oldest member changed since the second of a change the run read is that very change only if it does. Unclear
     * (that member changed again meanwhile): taken as exclusive this time, which can only cost a settled watermark.
     */
    private boolean sinceIsInclusive(StateStore store, long secondOfAChangeRead) {
        Optional<String> known = store.meta(MAILCHIMP_SINCE_INCLUSIVE);
        if (known.isPresent()) {
            return Boolean.parseBoolean(known.get());
        }
        Instant second = Instant.ofEpochSecond(secondOfAChangeRead);
        MailchimpClient.ChangeCount probe = mailchimp.changedSince(null, ISO.format(second), false);
        MailchimpClient.ChangeCount probeArchived = probe.total() == 0
                ? mailchimp.changedSince("archived", ISO.format(second), false) : probe;
        if (second.equals(probe.newest()) || second.equals(probeArchived.newest())) {
            store.putMeta(MAILCHIMP_SINCE_INCLUSIVE, "true");
        } else if (probe.total() == 0 && probeArchived.total() == 0) {
            store.putMeta(MAILCHIMP_SINCE_INCLUSIVE, "false");
        }
        LOG.info("Mailchimp since_last_changed includes its own second: {}", store.meta(MAILCHIMP_SINCE_INCLUSIVE)
                .orElse("unclear, asked again after the next run"));
        return store.meta(MAILCHIMP_SINCE_INCLUSIVE).map(Boolean::parseBoolean).orElse(false);
    }

    /** Waits until the overlap has passed since {@code fromMillis}: what was written by then is counted. */
    private void settle(long fromMillis) {
        long wait = fromMillis + settings.incrementalOverlapSeconds() * 1000L - System.currentTimeMillis();
        if (wait <= 0) {
            return;
        }
        LOG.info("Waiting {} ms (sync.incremental-overlap-seconds) before counting the changes of the run", wait);
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Start of an incremental run: counts the window the last run left ({@link PendingCount}). Settled, a side's
     * watermark moves past the last run's own writes and this run reads strictly after it. If the overlap has not
     * passed yet, a small window is simply read again (it costs no more calls than counting it); a large one is
     * waited for, as the last run would have.
     */
    private Settled countLeftByLastRun(SyncRun run, StateStore store) {
        PendingCount pending = store.meta(PENDING).map(PendingCount::parse).orElse(null);
        if (pending == null) {
            return Settled.NONE;
        }
        long wait = pending.notBeforeMillis() - System.currentTimeMillis();
        if (wait > 0 && pending.fitsOnePage(settings.copperPageSize(), settings.mailchimpPageSize())) {
            store.removeMeta(PENDING);
            LOG.info("The last run's changes are {} ms too recent to count: read again with the overlap", wait);
            return Settled.NONE;
        }
        settle(pending.notBeforeMillis() - settings.incrementalOverlapSeconds() * 1000L);
        Settled counted = count(pending);
        if (pending.copper() != null && counted.copper()) {
            long mark = max(counted.copperNewest(), store.meta(COPPER).map(Long::parseLong).orElse(null));
            store.putMeta(COPPER, Long.toString(mark));
            store.putMeta(COPPER_SETTLED, "true");
        }
        if (pending.mailchimp() != null && counted.mailchimp()) {
            Instant mark = max(counted.mailchimpNewest(), store.meta(MAILCHIMP).map(Instant::parse).orElse(null));
            store.putMeta(MAILCHIMP, mark.toString());
            store.putMeta(MAILCHIMP_SETTLED, "true");
        }
        store.removeMeta(PENDING);
        othersChanged(run, counted.copper() || pending.copper() == null,
                counted.mailchimp() || pending.mailchimp() == null, "report.log.changed-last-run");
        LOG.info("Watermarks after counting the last run's changes: Copper {}{}, Mailchimp {}{}",
                store.meta(COPPER).orElse(null), counted.copperNothingNew() ? " (nothing newer)" : "",
                store.meta(MAILCHIMP).orElse(null), counted.mailchimpNothingNew() ? " (nothing newer)" : "");
        return counted;
    }

    private static void othersChanged(SyncRun run, boolean copperSettled, boolean mailchimpSettled, String key) {
        if (!copperSettled || !mailchimpSettled) {
            run.log().info(run.log().text(key, (copperSettled ? "" : "Copper")
                    + (copperSettled || mailchimpSettled ? "" : ", ") + (mailchimpSettled ? "" : "Mailchimp")));
        }
    }

    /**
     * What counting a window told, per side: settled (it holds no more than the run's echo, so the watermark may move
     * to its newest change), and, when the server's time bounds the echo, whether anything newer exists at all.
     */
    private record Settled(boolean copper, Long copperNewest, boolean copperNothingNew,
                           boolean mailchimp, Instant mailchimpNewest, boolean mailchimpNothingNew) {
        static final Settled NONE = new Settled(false, null, false, false, null, false);
    }

    /**
     * One count per listing of the window, from its start with no end: if it holds no more than the echo and nothing
     * newer than the server's time at the run's end, the watermark settles there and nothing newer exists (the read
     * that would follow is not made). Otherwise, when the server's time is known, a second count stops at that
     * second: what others changed since the run is left out (it is read after the watermark), and later edits of
     * records the run wrote move out of the window instead of hiding in it.
     */
    private Settled count(PendingCount p) {
        boolean copperSettled = false;
        boolean copperNothingNew = false;
        Long copperNewest = null;
        PendingCount.CopperWindow cw = p.copper();
        if (cw != null) {
            CopperClient.ChangeCount all = copper.changedSince(cw.from());
            boolean within = all.total() >= 0 && all.total() <= cw.expected();
            copperNothingNew = within && cw.upTo() != null && (all.newest() == null || all.newest() <= cw.upTo());
            if (copperNothingNew || cw.upTo() == null) {
                copperSettled = within;
                copperNewest = all.newest();
            } else {
                CopperClient.ChangeCount bounded = copper.changedBetween(cw.from(), cw.upTo()); // inclusive
                copperSettled = bounded.total() >= 0 && bounded.total() <= cw.expected();
                copperNewest = bounded.newest();
            }
            LOG.info("Copper changes counted: {} (the run's own: {}), newest {}", all.total(), cw.expected(), all.newest());
        }
        boolean mailchimpSettled = false;
        boolean mailchimpNothingNew = false;
        Instant mailchimpNewest = null;
        PendingCount.MailchimpWindow mw = p.mailchimp();
        if (mw != null) {
            Listing members = listing(null, mw, mw.expected());
            Listing archived = listing("archived", mw, mw.archivedExpected());
            mailchimpSettled = members.settled() && archived.settled();
            mailchimpNothingNew = members.nothingNew() && archived.nothingNew();
            mailchimpNewest = max(members.newest(), archived.newest());
        }
        return new Settled(copperSettled, copperNewest, copperNothingNew, mailchimpSettled, mailchimpNewest,
                mailchimpNothingNew);
    }

    private record Listing(boolean settled, Instant newest, boolean nothingNew) {
    }

    /** {@link #count} for one Mailchimp listing ({@code status} null: the default one). */
    private Listing listing(String status, PendingCount.MailchimpWindow w, long expected) {
        MailchimpClient.ChangeCount all = mailchimp.changedSince(status, w.since(), true);
        boolean within = all.total() >= 0 && all.total() <= expected;
        LOG.info("Mailchimp {} changes counted: {} (the run's own: {}), newest {}", status == null ? "member" : status,
                all.total(), expected, all.newest());
        boolean nothingNew = within && w.upTo() != null
                && (all.newest() == null || all.newest().getEpochSecond() <= w.upTo());
        if (nothingNew || w.upTo() == null) {
            return new Listing(within, all.newest(), nothingNew);
        }
        // before_last_changed is exclusive ("before"): the next second, so that the run's last one is counted
        MailchimpClient.ChangeCount bounded = mailchimp.changedBetween(status, w.since(),
                ISO.format(Instant.ofEpochSecond(w.upTo() + 1)), true);
        return new Listing(bounded.total() >= 0 && bounded.total() <= expected, bounded.newest(), false);
    }

    private static Long seconds(Instant at) {
        return at == null ? null : at.getEpochSecond();
    }

    private static <T extends Comparable<T>> T max(T a, T b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}

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
 * second read after a first sync), so instead, once the overlap has passed since the run's last write, one count per
 * listing (Copper search {@code X-PW-TOTAL}, Mailchimp {@code total_items}) checks the read window: when it holds no
 * more than what the run read plus what it wrote ({@link EchoLedger}), nobody else changed anything during the run,
 * and the watermark moves to the newest change, "settled": the next run reads strictly after it, without overlap
 * (the wait has already covered commit lag). Otherwise the watermark stays where the run's read ended and the next
 * run reads the run's writes again with everyone else's. The count cannot see a change someone made, during the run,
 * to a contact the run itself wrote (it changes no count); the periodic full reconciliation catches it.
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
    /** Whether {@code since_last_changed} includes its own second (the docs say "after"): probed once, then kept. */
    static final String MAILCHIMP_SINCE_INCLUSIVE = "mailchimp.since-last-changed-inclusive";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private final Settings settings;
    private final CopperClient copper;
    private final MailchimpClient mailchimp;

    public Watermarks(Settings settings, CopperClient copper, MailchimpClient mailchimp) {
        this.settings = settings;
        this.copper = copper;
        this.mailchimp = mailchimp;
    }

    /** Start of a run: full read, or incremental from the stored watermarks. */
    public void decide(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
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
        long overlap = settings.incrementalOverlapSeconds();
        // settled: the overlap was waited out and counted after the last run: read strictly after the mark
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

    /** The synced-state meta key of the scope that last wrote the state ({@link StateScope#stored()}). */
    public static final String SCOPE = "sync.scope";

    /** This run's scope, from the settings. */
    public StateScope scope() {
        return new StateScope(settings.productionMode() ? "PRODUCTION" : "TEST", settings.testMarker(),
                settings.secrets().copperApiEmail(), settings.secrets().mailchimpListId());
    }

    /**
     * Compares this run's scope with the state's and records both on the run. A state written before scopes were
     * recorded is taken as PRODUCTION if a production run executed its plan on it, else TEST, of this account and
     * audience; an empty state has no scope to differ from.
     */
    private boolean scopeChanged(SyncRun run, StateStore store) {
        StateScope now = scope();
        Optional<StateScope> recorded = store.meta(SCOPE).flatMap(StateScope::parse);
        if (recorded.isEmpty() && store.count() > 0) {
            recorded = Optional.of(new StateScope(store.meta(io.cmsync.run.SyncRuns.PRODUCTION_CONFIRMED).isPresent()
                    ? "PRODUCTION" : "TEST", now.testMarker(), now.copperAccount(), now.audienceId()));
        }
        String change = recorded.map(now::changesSince).filter(c -> !c.isEmpty()).orElse(null);
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
        if (echo.wroteSomething() || copperMoved || mailchimpMoved) {
            settle(echo.wroteSomething() ? echo.lastWriteMillis() : System.currentTimeMillis());

            // Copper: people with date_modified > floor (the search's minimum is inclusive)
            long copperFloor = echo.floor(echo.copperNewest(),
                    run.copperSince() == null ? Long.MIN_VALUE : run.copperSince() - 1);
            Long copperFrom = copperFloor == Long.MIN_VALUE ? null : copperFloor + 1;
            CopperClient.ChangeCount c = copper.changedSince(copperFrom);
            long copperExpected = echo.expectedCopper(copperFloor);
            copperSettled = c.total() >= 0 && c.total() <= copperExpected;
            if (copperSettled) {
                copperMark = max(c.newest(), copperMark);
            }

            // Mailchimp: both listings, members with last_changed > floor
            Long mailchimpNewest = echo.mailchimpNewest();
            String mailchimpFrom = run.mailchimpSince();
            long mailchimpFloor = echo.floor(mailchimpNewest, Long.MIN_VALUE);
            if (mailchimpNewest != null) {
                boolean inclusive = sinceIsInclusive(store, mailchimpNewest);
                mailchimpFrom = ISO.format(Instant.ofEpochSecond(mailchimpFloor + (inclusive ? 1 : 0)));
            }
            MailchimpClient.ChangeCount m = mailchimp.changedSince(null, mailchimpFrom, true);
            MailchimpClient.ChangeCount archived = mailchimp.changedSince("archived", mailchimpFrom, true);
            long mailchimpExpected = echo.expectedMailchimp(mailchimpFloor);
            long archivedExpected = echo.expectedMailchimpArchived(mailchimpFloor);
            mailchimpSettled = m.total() >= 0 && m.total() <= mailchimpExpected
                    && archived.total() >= 0 && archived.total() <= archivedExpected;
            if (mailchimpSettled) {
                mailchimpMark = max(max(m.newest(), archived.newest()), mailchimpMark);
            }
            LOG.info("Changes counted after the run: Copper {} (read at the end + own writes: {}), Mailchimp {} + {} "
                            + "archived ({} + {})", c.total(), copperExpected, m.total(), archived.total(),
                    mailchimpExpected, archivedExpected);
            if (!copperSettled || !mailchimpSettled) {
                run.log().info(run.log().text("report.log.changed-meanwhile", (copperSettled ? "" : "Copper")
                        + (copperSettled || mailchimpSettled ? "" : ", ") + (mailchimpSettled ? "" : "Mailchimp")));
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

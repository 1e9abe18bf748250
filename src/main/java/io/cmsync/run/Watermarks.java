package io.cmsync.run;

import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;

import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperMapping;
import io.cmsync.copper.CopperPerson;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.mailchimp.MailchimpMember;
import io.cmsync.state.StateStore;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SyncedRecord;

/**
 * Incremental reads. Each side has a watermark: the newest server timestamp (Copper {@code date_modified},
 * Mailchimp {@code last_changed}) up to which every change has been synced. A run reads from the watermark minus a
 * small overlap (commit lag on the server); the watermark only moves when a run ends without failed contacts, so
 * nothing is skipped. The product's own writes come back as changes: after writing, the run reads its echo once and
 * moves the watermark past it when it holds nothing but the product's own writes (otherwise the next run sees them).
 * A periodic full reconciliation (cron setting, nightly by default) reads everything again, to catch what incremental
 * reads cannot see (deleted people, changes lost to a crash).
 */
public final class Watermarks {
    private static final Logger LOG = LoggerFactory.getLogger(Watermarks.class);
    static final String COPPER = "copper.watermark";
    static final String MAILCHIMP = "mailchimp.watermark";
    static final String LAST_FULL = "last-full-sync";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private final Settings settings;
    private final SyncRuns runs;
    private final CopperClient copper;
    private final MailchimpClient mailchimp;
    private final Planner planner;

    public Watermarks(Settings settings, SyncRuns runs, CopperClient copper, MailchimpClient mailchimp, Planner planner) {
        this.settings = settings;
        this.runs = runs;
        this.copper = copper;
        this.mailchimp = mailchimp;
        this.planner = planner;
    }

    /** Start of a run: full read, or incremental from the stored watermarks. */
    public void decide() {
        SyncRun run = runs.current();
        StateStore store = run.store();
        if (store == null || !settings.incremental()) {
            return;
        }
        Optional<String> copperMark = store.meta(COPPER);
        Optional<String> mailchimpMark = store.meta(MAILCHIMP);
        Optional<Instant> lastFull = store.meta(LAST_FULL).map(Instant::parse);
        if (copperMark.isEmpty() || mailchimpMark.isEmpty() || lastFull.isEmpty()) {
            run.log().info("Synchronisation complète (aucune synchronisation réussie enregistrée)");
            return;
        }
        if (fullReconciliationDue(lastFull.get(), run.startedAt())) {
            run.log().info("Synchronisation complète: réconciliation périodique (" + settings.fullReconciliationCron() + ")");
            return;
        }
        long overlap = settings.incrementalOverlapSeconds();
        long copperSince = Long.parseLong(copperMark.get()) - overlap;
        String mailchimpSince = ISO.format(Instant.parse(mailchimpMark.get()).minusSeconds(overlap));
        run.readFrom(copperSince, mailchimpSince);
        run.log().info("Synchronisation incrémentale: changements Copper depuis "
                + ISO.format(Instant.ofEpochSecond(copperSince)) + ", Mailchimp depuis " + mailchimpSince);
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
    public void advance() {
        SyncRun run = runs.current();
        if (run.dryRun() || run.fatalError() != null || run.errorCount() > 0 || run.store() == null
                || !settings.incremental()) {
            return;
        }
        StateStore store = run.store();
        Long copperMark = max(run.maxCopperModified(), store.meta(COPPER).map(Long::parseLong).orElse(null));
        Instant mailchimpMark = max(run.maxMailchimpChanged(), store.meta(MAILCHIMP).map(Instant::parse).orElse(null));
        if (run.wroteSomething()) {
            Echo<Long> copperEcho = copperEcho(run, copperMark);
            Echo<Instant> mailchimpEcho = mailchimpEcho(run, mailchimpMark);
            copperMark = copperEcho.mark(copperMark);
            mailchimpMark = mailchimpEcho.mark(mailchimpMark);
        }
        if (copperMark != null) {
            store.putMeta(COPPER, Long.toString(copperMark));
        }
        store.putMeta(MAILCHIMP, (mailchimpMark == null ? run.startedAt() : mailchimpMark).toString());
        if (run.fullSync()) {
            store.putMeta(LAST_FULL, run.startedAt().toString());
        }
        LOG.info("Watermarks: Copper {}, Mailchimp {}", copperMark, mailchimpMark);
    }

    /** What the read-back after the writes found: the newest echo, or the oldest foreign change. */
    private record Echo<T extends Comparable<T>>(T newestEcho, T oldestForeign) {
        T mark(T previous) {
            if (oldestForeign != null) {
                return previous; // someone else changed things during the run: next run reads from before them
            }
            return max(newestEcho, previous);
        }
    }

    private Echo<Long> copperEcho(SyncRun run, Long mark) {
        Long newestEcho = null;
        Long oldestForeign = null;
        Long since = mark == null ? null : mark - settings.incrementalOverlapSeconds();
        for (int page = 1; ; page++) {
            List<CopperPerson> people = copper.searchPage(since, page, settings.copperPageSize());
            for (CopperPerson p : people) {
                long modified = p.dateModified() == null ? 0 : p.dateModified();
                if (isCopperEcho(run.store(), CopperMapping.toContact(p))) {
                    newestEcho = max(newestEcho, modified);
                } else if (mark == null || modified > mark) {
                    oldestForeign = oldestForeign == null ? modified : Math.min(oldestForeign, modified);
                }
            }
            if (people.size() < settings.copperPageSize() || (long) page * settings.copperPageSize() >= CopperClient.SEARCH_CAP) {
                break;
            }
        }
        return new Echo<>(newestEcho, oldestForeign);
    }

    private Echo<Instant> mailchimpEcho(SyncRun run, Instant mark) {
        Instant newestEcho = null;
        Instant oldestForeign = null;
        String since = mark == null ? null : ISO.format(mark.minusSeconds(settings.incrementalOverlapSeconds()));
        for (String status : new String[] {null, "archived"}) {
            for (int offset = 0; ; ) {
                MailchimpClient.MembersPage page = mailchimp.membersPage(offset, settings.mailchimpPageSize(), status, since);
                for (MailchimpMember m : page.members()) {
                    Contact c = MailchimpMapping.toContact(m);
                    if (c.modifiedAt() == null) {
                        continue;
                    }
                    if (isMailchimpEcho(run.store(), c)) {
                        newestEcho = max(newestEcho, c.modifiedAt());
                    } else if (mark == null || c.modifiedAt().isAfter(mark)) {
                        oldestForeign = oldestForeign == null || c.modifiedAt().isBefore(oldestForeign) ? c.modifiedAt() : oldestForeign;
                    }
                }
                offset += page.members().size();
                if (page.members().size() < settings.mailchimpPageSize() || offset >= page.totalItems()) {
                    break;
                }
            }
        }
        return new Echo<>(newestEcho, oldestForeign);
    }

    /** The Copper person holds what the synced state says (names and tags): the product's own write. */
    private boolean isCopperEcho(StateStore store, Contact c) {
        Optional<SyncedRecord> r = store.find(c.email());
        return r.isPresent() && r.get().firstName().equals(c.firstName()) && r.get().lastName().equals(c.lastName())
                && lower(planner.desiredTags(c.tags())).equals(lower(r.get().tags()));
    }

    private boolean isMailchimpEcho(StateStore store, Contact c) {
        Optional<SyncedRecord> r = store.find(c.email());
        if (r.isEmpty()) {
            return false;
        }
        if (Planner.FORGOTTEN_STATUS.equals(r.get().mailchimpStatus())) {
            return false;
        }
        return r.get().firstName().equals(c.firstName()) && r.get().lastName().equals(c.lastName())
                && r.get().mailchimpStatus() != null && r.get().mailchimpStatus().equals(c.status())
                && lower(c.tags()).containsAll(lower(r.get().pushedTags()));
    }

    private static Set<String> lower(java.util.Collection<String> tags) {
        return tags.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
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

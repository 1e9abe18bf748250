package io.cmsync.record;

import io.cmsync.run.SyncRun;
import io.cmsync.run.SyncRuns;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.report.FlaggedEntry;
import io.cmsync.report.ForgottenEntry;
import io.cmsync.state.StateStore;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SyncedRecord;

/** The end of a run's writes: what the synced state now holds. Stateless. */
public final class SyncedState {
    private static final Logger LOG = LoggerFactory.getLogger(SyncedState.class);
    private static final int COMMIT_PAGE = 1_000;

    /**
     * An incremental run does not read again what did not change: the contacts still waiting (flagged for deletion,
     * awaiting resubscription) that it did not read come from the synced state, so every report lists them.
     */
    public void listStillWaiting(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        if (run.fullSync() || run.store() == null) {
            return;
        }
        Set<String> listed = new HashSet<>();
        run.flagged().forEach(f -> listed.add(f.email()));
        int carried = 0;
        for (StateStore.PendingFlagged p : run.store().pending()) {
            if (!listed.contains(p.email()) && run.copperPerson(p.email()) == null) {
                run.flagged().add(new FlaggedEntry(p.email(), p.displayName(), p.matchedTag()));
                carried++;
            }
        }
        listed.clear();
        run.forgotten().forEach(f -> listed.add(f.email()));
        String url = run.store().meta("mailchimp.subscribe_url_long").orElse(null);
        for (SyncedRecord r : run.store().withMailchimpStatus(Planner.FORGOTTEN_STATUS)) {
            if (!listed.contains(r.email()) && run.copperPerson(r.email()) == null) {
                run.forgotten().add(new ForgottenEntry(r.email(), r.firstName() + " " + r.lastName(),
                        url == null ? "" : MailchimpClient.resubscribeLink(url, r.email()), false));
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
    public void commit(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        if (run.dryRun() || run.planTotals() == null || run.store() == null) {
            return;
        }
        if (run.otherBase()) {
            run.store().clearRecords(); // made for another account or audience: this run's records replace them
            LOG.info("Synced state: records of the previous scope removed ({})", run.scopeChange());
        }
        int saved = 0;
        String after = null;
        for (List<SyncedRecord> page = run.staging().targetsAfter(null, COMMIT_PAGE); !page.isEmpty();
             page = run.staging().targetsAfter(after, COMMIT_PAGE)) {
            for (SyncedRecord record : page) {
                if (run.keptOutOfState(record.email())) {
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
        if (run.productionMode() && run.store().meta(SyncRuns.PRODUCTION_CONFIRMED).isEmpty()) {
            run.store().putMeta(SyncRuns.PRODUCTION_CONFIRMED, run.startedAt().toString());
        }
        if (run.scope() != null) {
            run.store().putMeta(io.cmsync.record.Watermarks.SCOPE, run.scope().stored());
        }
        // the plan went to its end: what is left of it is what failed, which the next run writes again (the brake
        // does not count those writes as anyone else's change)
        run.store().journal().failed(run.startedAt(), run.failedEmails());
        LOG.info("Synced state: {} record(s) written", saved);
    }

    private static boolean sameContent(SyncedRecord a, SyncedRecord b) {
        return Objects.equals(a.copperId(), b.copperId()) && a.firstName().equals(b.firstName())
                && a.lastName().equals(b.lastName()) && a.tags().equals(b.tags()) && a.pushedTags().equals(b.pushedTags())
                && Objects.equals(a.mailchimpStatus(), b.mailchimpStatus()) && a.fields().equals(b.fields());
    }
}

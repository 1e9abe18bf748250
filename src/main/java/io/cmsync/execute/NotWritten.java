package io.cmsync.execute;

import io.cmsync.run.SyncRun;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.report.ExcludedEntry;
import io.cmsync.report.ForgottenEntry;
import io.cmsync.report.NotSyncedEntry;
import io.cmsync.sync.Action;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Planner;

/** The plan's decisions that write nothing: counted and logged, listed in the report. Stateless. */
public final class NotWritten {

    public void identical(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body Action.SkipIdentical skip) {
        run.countIdentical();
        run.log().skip("Contact identique ignoré: " + skip.email());
    }

    /** Exclusions and contacts that cannot be synced. */
    public void record(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body Action action) {
        if (action instanceof Action.Excluded e && Planner.REASON_FORGOTTEN.equals(e.reason())) {
            // remembered from an earlier run: awaiting resubscription, not an error and no Mailchimp call
            Contact person = run.copperPerson(e.email());
            String url = run.store() == null ? null : run.store().meta("mailchimp.subscribe_url_long").orElse(null);
            run.forgotten().add(new ForgottenEntry(e.email(), person == null ? "" : person.displayName(),
                    url == null ? "" : MailchimpClient.resubscribeLink(url, e.email()), false));
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
}

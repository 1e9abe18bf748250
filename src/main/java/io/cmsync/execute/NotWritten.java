package io.cmsync.execute;

import io.cmsync.run.SyncRun;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.report.ExcludedEntry;
import io.cmsync.report.ForgottenEntry;
import io.cmsync.report.NotSyncedEntry;
import io.cmsync.report.Reasons;
import io.cmsync.report.RunLog;
import io.cmsync.sync.Action;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Planner;

/** The plan's decisions that write nothing: counted and logged, listed in the report. Stateless. */
public final class NotWritten {

    public void identical(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body Action.SkipIdentical skip) {
        run.countIdentical();
        run.log().say(RunLog.Level.SKIP, "report.log.identical", skip.email());
    }

    /** Exclusions and contacts that cannot be synced. */
    public void record(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body Action action) {
        if (action instanceof Action.Excluded e && Planner.REASON_FORGOTTEN.equals(e.reason())) {
            // remembered from an earlier run: awaiting resubscription, not an error and no Mailchimp call
            Contact person = run.copperPerson(e.email());
            String url = run.store() == null ? null : run.store().meta("mailchimp.subscribe_url_long").orElse(null);
            run.forgotten().add(new ForgottenEntry(e.email(), person == null ? "" : person.displayName(),
                    url == null ? "" : MailchimpClient.resubscribeLink(url, e.email()), false));
            run.log().say(RunLog.Level.INFO, "report.log.awaiting-resubscription", e.email());
        } else if (action instanceof Action.Excluded e && Reasons.archivedActive(e.reason())) {
            run.excluded().add(new ExcludedEntry(e.email(), e.side(), e.reason(), e.id()));
            run.log().say(RunLog.Level.WARN, "report.log.archived", e.email());
        } else if (action instanceof Action.Excluded e) {
            run.excluded().add(new ExcludedEntry(e.email(), e.side(), e.reason(), e.id()));
            run.log().say(RunLog.Level.INFO, "report.log.excluded", Planner.sideName(e.side()), e.email(), reason(run, e.reason()));
        } else if (action instanceof Action.FieldRefused f) {
            run.refusedValue(new io.cmsync.report.RefusedValueEntry(f.email(), f.side(), f.field(), f.value(),
                    f.reason(), f.id()));
        } else if (action instanceof Action.NotSynced n) {
            run.notSynced().add(new NotSyncedEntry(n.email(), n.side(), n.reason(), n.id()));
            String who = (n.email().isEmpty() ? run.log().text("report.no-email") : n.email())
                    + (n.id() == null ? "" : " (" + idText(run, n.side(), n.id()) + ")");
            run.log().say(RunLog.Level.WARN, "report.log.not-synced", Planner.sideName(n.side()), who, reason(run, n.reason()));
        }
    }

    private static String reason(SyncRun run, String reason) {
        return Reasons.text(run.log().language().messages(), reason);
    }

    private static String idText(SyncRun run, String side, String id) {
        return run.log().text(Planner.SIDE_COPPER.equalsIgnoreCase(side) ? "report.log.copper-id" : "report.log.mailchimp-id",
                id);
    }

}

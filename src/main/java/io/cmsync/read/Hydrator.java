package io.cmsync.read;

import io.cmsync.sync.Chunks;
import io.cmsync.run.SyncRun;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperMapping;
import io.cmsync.copper.CopperPerson;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SyncedRecord;

/**
 * Incremental runs read what changed on each side; a contact that changed on one side only still needs its other
 * side for the comparison:
 * <ul>
 * <li>changed in Mailchimp only: the real Copper person is fetched by id (200 per call), because a Copper update
 * replaces its whole tag list;</li>
 * <li>changed in Copper only: the member is taken from the synced state (names, pushed tags, status), because it has
 * not changed since that state was written and Mailchimp writes never replace its tags or status (a member the
 * deletion workflow archived is taken as archived).</li>
 * </ul>
 */
public final class Hydrator {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Hydrator.class);
    private static final int IDS_PER_CALL = 200;

    private final CopperClient copper;
    private final SyncScope scope;

    public Hydrator(CopperClient copper, SyncScope scope) {
        this.copper = copper;
        this.scope = scope;
    }

    /** The member holds what the last sync left (names, status, and the tags it pushed): nothing changed. */
    static boolean isEcho(Contact member, SyncedRecord r) {
        if (r.mailchimpStatus() == null || Planner.FORGOTTEN_STATUS.equals(r.mailchimpStatus())
                || Planner.ARCHIVED_BY_SYNC_STATUS.equals(r.mailchimpStatus())) {
            return false;
        }
        return r.mailchimpStatus().equals(member.status()) && java.util.Objects.equals(r.firstName(), member.firstName())
                && java.util.Objects.equals(r.lastName(), member.lastName())
                && lower(member.tags()).containsAll(lower(r.pushedTags()));
    }

    private static Set<String> lower(java.util.Collection<String> tags) {
        Set<String> out = new HashSet<>();
        tags.forEach(t -> out.add(t.strip().toLowerCase(java.util.Locale.ROOT)));
        return out;
    }

    public void hydrate(@org.apache.camel.ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        if (run.fullSync()) {
            return;
        }
        Set<String> copperEmails = new HashSet<>();
        run.copper().forEach(c -> copperEmails.add(c.email()));
        Set<String> mailchimpEmails = new HashSet<>();
        run.mailchimp().forEach(c -> mailchimpEmails.add(c.email()));

        List<Long> ids = new ArrayList<>();
        int echoes = 0;
        for (Contact member : run.mailchimp()) {
            if (copperEmails.contains(member.email())) {
                continue;
            }
            Optional<SyncedRecord> r = run.store().find(member.email());
            if (r.isPresent() && isEcho(member, r.get())) {
                // read again at the edge of the window, unchanged since the last sync: nothing to compare
                run.dropMailchimp(member.email());
                echoes++;
            } else {
                r.map(SyncedRecord::copperId).ifPresent(ids::add);
            }
        }
        int fetched = 0;
        for (List<Long> chunk : Chunks.of(ids, IDS_PER_CALL)) {
            // a failure here stops the run: without the Copper side the plan would be wrong
            List<CopperPerson> people = (run.pair() == null ? copper : run.pair().copper()).byIds(chunk);
            for (CopperPerson p : people) {
                Contact c = CopperMapping.toContact(p, run.mapping());
                if (scope.inScope(run, c) && !copperEmails.contains(c.email())) {
                    run.addCopper(c);
                    fetched++;
                }
            }
        }

        int synthesized = 0;
        for (String email : copperEmails) {
            if (mailchimpEmails.contains(email)) {
                continue;
            }
            Optional<SyncedRecord> r = run.store().find(email);
            if (r.isPresent() && r.get().mailchimpStatus() != null
                    && !Planner.FORGOTTEN_STATUS.equals(r.get().mailchimpStatus())) {
                SyncedRecord s = r.get();
                // a member the deletion workflow archived is still archived: had anyone changed it, it was read
                String status = Planner.ARCHIVED_BY_SYNC_STATUS.equals(s.mailchimpStatus()) ? "archived" : s.mailchimpStatus();
                run.addMailchimp(new Contact(email, email, s.firstName(), s.lastName(), List.copyOf(s.pushedTags()),
                        status, MailchimpMapping.subscriberHash(email), null, s.fields()));
                synthesized++;
            }
        }
        LOG.debug("{} member(s) read again unchanged since the last sync", echoes);
        run.log().info(run.log().text("report.log.hydrated", fetched, synthesized));
    }
}

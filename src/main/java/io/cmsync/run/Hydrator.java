package io.cmsync.run;

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
 * not changed since that state was written and Mailchimp writes never replace its tags or status.</li>
 * </ul>
 */
public final class Hydrator {
    private static final int IDS_PER_CALL = 200;

    private final CopperClient copper;
    private final SyncRuns runs;
    private final SyncScope scope;

    public Hydrator(CopperClient copper, SyncRuns runs, SyncScope scope) {
        this.copper = copper;
        this.runs = runs;
        this.scope = scope;
    }

    public void hydrate() {
        SyncRun run = runs.current();
        if (run.fullSync()) {
            return;
        }
        Set<String> copperEmails = new HashSet<>();
        run.copper().forEach(c -> copperEmails.add(c.email()));
        Set<String> mailchimpEmails = new HashSet<>();
        run.mailchimp().forEach(c -> mailchimpEmails.add(c.email()));

        List<Long> ids = new ArrayList<>();
        for (String email : mailchimpEmails) {
            if (!copperEmails.contains(email)) {
                run.store().find(email).map(SyncedRecord::copperId).ifPresent(ids::add);
            }
        }
        int fetched = 0;
        for (List<Long> chunk : Chunks.of(ids, IDS_PER_CALL)) {
            // a failure here stops the run: without the Copper side the plan would be wrong
            List<CopperPerson> people = copper.byIds(chunk);
            for (CopperPerson p : people) {
                Contact c = CopperMapping.toContact(p);
                if (scope.inScope(c) && !copperEmails.contains(c.email())) {
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
                run.addMailchimp(new Contact(email, email, s.firstName(), s.lastName(), List.copyOf(s.pushedTags()),
                        s.mailchimpStatus(), MailchimpMapping.subscriberHash(email), null));
                synthesized++;
            }
        }
        run.log().info("Incrémental: " + fetched + " personne(s) Copper relue(s) par identifiant, " + synthesized
                + " membre(s) Mailchimp repris de l'état synchronisé");
    }
}

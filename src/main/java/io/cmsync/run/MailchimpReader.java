package io.cmsync.run;

import java.util.List;

import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.sync.Contact;

/**
 * Pages through the audience for the read-mailchimp route. Two passes: the default listing, then
 * {@code status=archived}, because archived members are not listed by default and must be known (never resubscribed).
 */
public final class MailchimpReader {
    private static final String[] PASSES = {null, "archived"};

    private final MailchimpClient client;
    private final SyncRuns runs;
    private final int pageSize;
    private int pass;
    private int offset;
    private boolean more;
    private long read;

    public MailchimpReader(MailchimpClient client, SyncRuns runs, int pageSize) {
        this.client = client;
        this.runs = runs;
        this.pageSize = pageSize;
    }

    public void start() {
        pass = 0;
        offset = 0;
        more = true;
        read = 0;
    }

    public boolean hasMore() {
        return more;
    }

    public List<Contact> nextPage() {
        SyncRun run = runs.current();
        MailchimpClient.MembersPage page = client.membersPage(offset, pageSize, PASSES[pass], run.mailchimpSince());
        offset += page.members().size();
        read += page.members().size();
        boolean archivedPass = PASSES[pass] != null;
        page.members().forEach(m -> run.echo().mailchimpRead(archivedPass, m.emailAddress()));
        if (page.members().size() < pageSize || offset >= page.totalItems()) {
            pass++;
            offset = 0;
            more = pass < PASSES.length;
        }
        if (run.progress().readDue(!more)) {
            run.log().info("Mailchimp: " + read + " membre(s) lus" + (page.totalItems() > 0 ? " (liste de " + page.totalItems()
                    + ")" : "") + (run.mailchimpSince() == null ? "" : " modifié(s) depuis la dernière synchronisation")
                    + (more ? "…" : ""));
        }
        List<Contact> contacts = page.members().stream().map(MailchimpMapping::toContact).toList();
        contacts.forEach(c -> run.mailchimpChanged(c.modifiedAt()));
        return contacts;
    }
}

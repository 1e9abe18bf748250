package io.cmsync.read;

import io.cmsync.run.StepIterator;
import io.cmsync.run.SyncRun;
import java.util.Iterator;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.sync.Contact;

/**
 * Pages through the audience for the read-mailchimp route: {@link #pages} gives the run's pages as an iterator, which
 * the route splits (streaming), then each page into members, staged by {@link #stage}. Two passes: the default
 * listing, then {@code status=archived}, because archived members are not listed by default and must be known (never
 * resubscribed).
 */
public final class MailchimpReader {
    private static final String[] PASSES = {null, "archived"};

    private final MailchimpClient client;
    private final int pageSize;

    public MailchimpReader(MailchimpClient client, int pageSize) {
        this.client = client;
        this.pageSize = pageSize;
    }

    /** The run's pages of members, read one at a time as the route asks for them. */
    public Iterator<List<Contact>> pages(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        return new Pages(run);
    }

    /** A member in scope: staged for the plan; the first one read per e-mail counts (default listing before archived). */
    public void stage(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body Contact member) {
        run.addMailchimp(member);
    }

    /** One run's reading position. */
    private final class Pages extends StepIterator<List<Contact>> {
        private final SyncRun run;
        /** The run's pair's client and page size (this bean's own for a run without a pair). */
        private final MailchimpClient client;
        private final int pageSize;
        private int pass;
        private int offset;
        private long read;

        Pages(SyncRun run) {
            this.run = run;
            this.client = run.pair() == null ? MailchimpReader.this.client : run.pair().mailchimp();
            this.pageSize = run.pair() == null ? MailchimpReader.this.pageSize
                    : run.pair().settings().mailchimpPageSize();
        }

        @Override
        protected List<Contact> produce() {
            if (run.mailchimpUpToDate()) {
                last();
                return List.of();
            }
            boolean archivedPass = PASSES[pass] != null;
            MailchimpClient.MembersPage page = client.membersPage(offset, pageSize, PASSES[pass], run.mailchimpSince());
            offset += page.members().size();
            read += page.members().size();
            // the total known so far: the passes done, and this pass's own total
            run.console().mailchimpRead(read, page.totalItems() > 0 ? read - offset + page.totalItems() : -1);
            if (page.members().size() < pageSize || offset >= page.totalItems()) {
                pass++;
                offset = 0;
                if (pass >= PASSES.length) {
                    last();
                }
            }
            if (run.progress().readDue(!hasNext())) {
                // the count read so far, archived members included: the API's total_items is one listing's only
                run.log().info(run.log().text(run.mailchimpSince() == null ? "report.log.mailchimp-read"
                        : "report.log.mailchimp-read-changed", read) + (hasNext() ? "…" : ""));
            }
            List<Contact> contacts = page.members().stream().map(m -> MailchimpMapping.toContact(m, run.mapping())).toList();
            contacts.forEach(c -> {
                run.mailchimpChanged(c.modifiedAt());
                if (c.modifiedAt() != null) {
                    run.echo().mailchimpRead(archivedPass, c.email(), c.modifiedAt().getEpochSecond());
                }
            });
            return contacts;
        }
    }
}

package io.cmsync.read;

import io.cmsync.run.StepIterator;
import io.cmsync.run.SyncRun;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import java.util.Set;

import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperMapping;
import io.cmsync.copper.CopperPerson;
import io.cmsync.sync.Contact;

/**
 * Pages through Copper people for the read-copper route: {@link #pages} gives the run's pages as an iterator, which the
 * route splits (streaming), then each page into people, staged by {@link #stage}. Sorted by {@code date_modified}; when a search reaches Copper's 100,000-result cap, the next search starts
 * from the last date seen (skipping the people of that second already read), so an account of any size is read whole.
 * An incremental run starts from the run's watermark instead of the beginning.
 */
public final class CopperReader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CopperReader.class);
    private final CopperClient client;
    private final int pageSize;

    public CopperReader(CopperClient client, int pageSize) {
        this.client = client;
        this.pageSize = pageSize;
    }

    /** The run's pages of people, read one at a time as the route asks for them. */
    public Iterator<List<Contact>> pages(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        return new Pages(run);
    }

    /** A person in scope: staged for the plan (several people may share an e-mail; the planner reports them). */
    public void stage(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body Contact person) {
        run.addCopper(person);
    }

    /** One run's reading position. */
    private final class Pages extends StepIterator<List<Contact>> {
        private final SyncRun run;
        /** The run's pair's client and page size (this bean's own for a run without a pair). */
        private final CopperClient client;
        private final int pageSize;
        private Long cursor;
        private int page;
        /** Pages read in all (page restarts at 1 with each new search past the cap). */
        private int pages;
        private long read;
        private long lastModified = Long.MIN_VALUE;
        /** The oldest date of the current search: when a whole capped search holds one second, the cursor cannot move. */
        private long firstModifiedOfSearch = Long.MIN_VALUE;
        private final Set<Long> seenAtLastModified = new HashSet<>();

        Pages(SyncRun run) {
            this.run = run;
            this.client = run.pair() == null ? CopperReader.this.client : run.pair().copper();
            this.pageSize = run.pair() == null ? CopperReader.this.pageSize : run.pair().settings().copperPageSize();
            this.cursor = run.copperSince();
        }

        @Override
        protected List<Contact> produce() {
            if (run.copperUpToDate()) {
                last();
                return List.of();
            }
            page++;
            pages++;
            if ((long) (page - 1) * pageSize >= CopperClient.SEARCH_CAP) {
                if (firstModifiedOfSearch == lastModified) {
                    // 100,000 people modified in the same second: a search from that second lists the same ones again
                    last();
                    LOG.warn("Copper: {} people or more share date_modified {}; Copper's search lists at most {} of them, "
                            + "the others (if any) are not read", CopperClient.SEARCH_CAP, lastModified, CopperClient.SEARCH_CAP);
                    run.log().warn(run.log().text("report.log.copper-cap", CopperClient.SEARCH_CAP));
                    return List.of();
                }
                cursor = lastModified; // past the cap: a new search from the last second read
                page = 1;
            }
            CopperClient.PeoplePage result = client.search(cursor, page, pageSize, "asc");
            List<CopperPerson> people = result.people();
            if (page == 1 && !people.isEmpty()) {
                Long first = people.get(0).dateModified();
                firstModifiedOfSearch = first == null ? 0 : first;
            }
            // stop on a short page (Copper's documented strategy), or when X-PW-TOTAL, an upper bound, says this page
            // was the last one (saves asking for an empty page); past the 100,000 cap the cursor search goes on
            if (people.size() < pageSize || (result.totalUpperBound() >= 0
                    && (long) page * pageSize >= result.totalUpperBound()
                    && (long) page * pageSize < CopperClient.SEARCH_CAP)) {
                last();
            }
            List<Contact> contacts = new ArrayList<>(people.size());
            for (CopperPerson p : people) {
                long modified = p.dateModified() == null ? 0 : p.dateModified();
                if (modified == lastModified && p.id() != null && !seenAtLastModified.add(p.id())) {
                    continue; // read before the cursor moved
                }
                if (modified > lastModified) {
                    lastModified = modified;
                    seenAtLastModified.clear();
                    if (p.id() != null) {
                        seenAtLastModified.add(p.id());
                    }
                }
                run.copperModified(modified);
                Contact contact = CopperMapping.toContact(p, run.mapping());
                run.echo().copperRead(contact.email(), modified);
                contacts.add(contact);
            }
            read += contacts.size();
            run.console().copperRead(read, result.totalUpperBound());
            if (run.progress().readDue(!hasNext())) {
                run.log().info(run.log().text(run.copperSince() == null ? "report.log.copper-read"
                        : "report.log.copper-read-changed", read, pages) + (hasNext() ? "…" : ""));
            }
            return contacts;
        }
    }
}

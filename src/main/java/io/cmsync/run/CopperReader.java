package io.cmsync.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperMapping;
import io.cmsync.copper.CopperPerson;
import io.cmsync.sync.Contact;

/**
 * Pages through Copper people for the read-copper route: {@link #hasMore()} drives the loop, {@link #nextPage()}
 * reads. Sorted by {@code date_modified}; when a search reaches Copper's 100,000-result cap, the next search starts
 * from the last date seen (skipping the people of that second already read), so an account of any size is read whole.
 * An incremental run starts from the run's watermark instead of the beginning.
 */
public final class CopperReader {
    private final CopperClient client;
    private final SyncRuns runs;
    private final int pageSize;
    private Long cursor;
    private int page;
    private boolean more;
    private long read;
    private long lastModified = Long.MIN_VALUE;
    private final Set<Long> seenAtLastModified = new HashSet<>();

    public CopperReader(CopperClient client, SyncRuns runs, int pageSize) {
        this.client = client;
        this.runs = runs;
        this.pageSize = pageSize;
    }

    public void start() {
        cursor = runs.current().copperSince();
        page = 0;
        more = true;
        read = 0;
        lastModified = Long.MIN_VALUE;
        seenAtLastModified.clear();
    }

    public boolean hasMore() {
        return more;
    }

    public List<Contact> nextPage() {
        page++;
        if ((long) (page - 1) * pageSize >= CopperClient.SEARCH_CAP) {
            cursor = lastModified; // past the cap: a new search from the last second read
            page = 1;
        }
        CopperClient.PeoplePage result = client.search(cursor, page, pageSize, "asc");
        List<CopperPerson> people = result.people();
        // stop on a short page (Copper's documented strategy), or when X-PW-TOTAL, an upper bound, says this page
        // was the last one (saves asking for an empty page); past the 100,000 cap the cursor search goes on
        more = people.size() == pageSize && (result.totalUpperBound() < 0
                || (long) page * pageSize < result.totalUpperBound()
                || (long) page * pageSize >= CopperClient.SEARCH_CAP);
        SyncRun run = runs.current();
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
            run.echo().copperRead(p.id());
            contacts.add(CopperMapping.toContact(p));
        }
        read += contacts.size();
        if (run.progress().readDue(!more)) {
            run.log().info("Copper: page " + page + " lue, " + read + " personne(s) au total"
                    + (run.copperSince() == null ? "" : " modifiée(s) depuis la dernière synchronisation")
                    + (more ? "…" : ""));
        }
        return contacts;
    }
}

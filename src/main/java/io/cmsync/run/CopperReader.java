package io.cmsync.run;

import java.util.List;

import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperMapping;
import io.cmsync.copper.CopperPerson;
import io.cmsync.sync.Contact;

/** Pages through Copper people for the read-copper route: {@link #hasMore()} drives the loop, {@link #nextPage()} reads. */
public final class CopperReader {
    private final CopperClient client;
    private final SyncRuns runs;
    private final int pageSize;
    private int page;
    private boolean more;
    private long read;

    public CopperReader(CopperClient client, SyncRuns runs, int pageSize) {
        this.client = client;
        this.runs = runs;
        this.pageSize = pageSize;
    }

    public void start() {
        page = 0;
        more = true;
        read = 0;
    }

    public boolean hasMore() {
        return more;
    }

    public List<Contact> nextPage() {
        page++;
        List<CopperPerson> people = client.searchPage(page, pageSize);
        more = people.size() == pageSize; // Copper's documented strategy: stop on a short page
        read += people.size();
        runs.current().log().info("Copper: page " + page + " lue, " + read + " personne(s) au total");
        return people.stream().map(CopperMapping::toContact).toList();
    }
}

package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cmsync.record.Watermarks;
import io.cmsync.run.SyncRun;
import io.cmsync.sync.SyncedRecord;

/**
 * A first run killed after it saved some records and before it recorded its scope (in its commit, or when it
 * remembers the addresses Mailchimp refused) leaves records without a scope. They are not a state made before scopes
 * existed, whose inferred scope has no field mapping and no Copper tag filter: taken for one, the next run (a
 * cluster's recovery of the killed run) saw a scope change and stopped on the brake, exit 3 (ClusterPairsFailoverIT in
 * CI).
 */
class InterruptedCommitTest extends RouteTestSupport {
    @Override
    List<String> routeFiles() {
        return List.of("sync.yaml", "reports.yaml");
    }

    @Override
    Map<String, String> settingsOverrides() {
        return Map.of("scope.copper-tag", "Newsletter FR"); // part of the scope, as for a pair's filter
    }

    @Test
    void recordsOfAFirstRunThatDidNotEndAreNotAScopeChange() throws Exception {
        startCamel();
        Watermarks watermarks = context.getRegistry().lookupByNameAndType("watermarks", Watermarks.class);
        SyncRun killed = beginRun();
        watermarks.decide(killed);
        // what the killed run saved before it could record its scope
        killed.store().save(new SyncedRecord("a@exemple.fr", 1L, "A", "B", Set.of(), Set.of(), "subscribed",
                Instant.now()));
        runs.end(killed);

        SyncRun next = beginRun();
        watermarks.decide(next);
        assertThat(next.scopeChange()).as("no scope change: the brake does not stop the run that finishes it").isNull();
        assertThat(next.fullSync()).as("a first run that did not end: the next one reads everything").isTrue();
    }

    @Test
    void aStateMadeBeforeScopesIsStillComparedAsBefore() throws Exception {
        startCamel();
        Watermarks watermarks = context.getRegistry().lookupByNameAndType("watermarks", Watermarks.class);
        // records and no scope, in a state this version did not begin (no marker): a state made before scopes
        try (var store = io.cmsync.state.StateStore.open(settings.stateDatabase())) {
            store.save(new SyncedRecord("a@exemple.fr", 1L, "A", "B", Set.of(), Set.of(), "subscribed",
                    Instant.now()));
        }
        SyncRun run = beginRun();
        watermarks.decide(run);
        assertThat(run.scopeChange()).as("its scope had no Copper tag filter").isNotNull();
    }
}

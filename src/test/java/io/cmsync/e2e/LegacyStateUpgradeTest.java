package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.state.PlanJournal;
import io.cmsync.state.StateDatabase;
import io.cmsync.state.StateStore;

/**
 * A synced state written by the product before schema migrations (src/test/resources/legacy-state, see its README)
 * is upgraded in place: its records, meta, journal and flagged contacts survive, the migrations' history starts at
 * the baseline, and the next sync of the same sandbox data finds nothing to do.
 */
class LegacyStateUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void aStateWrittenBeforeMigrationsIsUpgradedInPlaceAndTheNextSyncChangesNothing() throws Exception {
        ObjectNode sandboxData;
        try (InputStream in = getClass().getResourceAsStream("/legacy-state/state.json")) {
            sandboxData = (ObjectNode) new ObjectMapper().readTree(in);
        }
        Files.createDirectories(dir.resolve("data"));
        try (InputStream in = getClass().getResourceAsStream("/legacy-state/sync-state.mv.db")) {
            Files.copy(in, dir.resolve("data/sync-state.mv.db"));
        }
        try (SyncHarness h = new SyncHarness(dir, sandboxData)) {
            StateDatabase db = h.settings().stateDatabase();
            try (StateStore store = StateStore.open(db)) {
                assertThat(store.count()).as("records").isEqualTo(18);
                assertThat(store.find("camille.durand@exemple.com").orElseThrow().mailchimpStatus()).isEqualTo("subscribed");
                assertThat(store.meta("sync.scope")).get().asString().contains("sandbox@example.com");
                assertThat(store.meta("copper.watermark")).contains("1795707156");
                assertThat(store.journal().unfinished()).get().extracting(PlanJournal.Unfinished::interrupted).isEqualTo(false);
                assertThat(store.journal().between(null, "zzz")).containsExactly("oublie.definitif@exemple.fr");
                assertThat(store.pending()).extracting(StateStore.PendingFlagged::email)
                        .containsExactly("gerard.dubois@exemple.fr", "odile.garnier@exemple.fr", "rene.chevalier@exemple.fr");
            }
            try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"type\" = 'BASELINE'")) {
                assertThat(rs.next()).as("a baseline in the migrations history").isTrue();
                assertThat(rs.getString(1)).as("the hand-made schema's version").isEqualTo("1");
                assertThat(rs.next()).isFalse();
            }

            h.sandbox.resetCalls();
            assertThat(h.run()).isZero();
            assertThat(h.writeCalls()).as("writes of the run after the upgrade").isZero();
            assertThat(h.latestReport()).contains("Aucune synchronisation nécessaire");
        }
    }
}

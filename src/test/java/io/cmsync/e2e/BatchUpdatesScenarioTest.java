package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Name changes reach Mailchimp as batch operations: one POST /batches instead of one PUT per member. */
class BatchUpdatesScenarioTest {
    static final String PUT_MEMBER = "PUT /3.0/lists/{list_id}/members/{subscriber_hash}";

    @TempDir
    Path dir;
    SyncHarness h;

    @AfterEach
    void stopSandbox() {
        if (h != null) {
            h.close();
        }
    }

    static String email(int i) {
        return "lot" + i + "@exemple.fr";
    }

    static String status(int i) {
        return i == 0 ? "unsubscribed" : i == 1 ? "archived" : "subscribed";
    }

    /** 30 contacts on both sides with the same names, one unsubscribed and one archived in Mailchimp. */
    static ObjectNode thirtySynced() {
        Seed seed = new Seed();
        for (int i = 0; i < 30; i++) {
            seed.person(email(i), "Prenom" + i, "Nom" + i).member(email(i), status(i), "Prenom" + i, "Nom" + i);
        }
        return seed.build();
    }

    /** Prefixes one name field of every Copper person, modified now (after the first run's own writes). */
    void renameEveryoneInCopper(String field, String prefix) {
        ObjectNode state = h.sandbox.dump();
        for (JsonNode p : state.path("copper").path("people")) {
            ObjectNode person = (ObjectNode) p;
            person.put(field, prefix + person.path(field).asText());
            person.put("name", person.path("first_name").asText() + " " + person.path("last_name").asText())
                    .put("date_modified", System.currentTimeMillis() / 1000);
        }
        h.sandbox.load(state);
        h.sandbox.resetCalls();
    }

    @Test
    void thirtyNameChangesGoThroughOneBatchAndKeepEveryStatus() throws Exception {
        h = new SyncHarness(dir, thirtySynced());
        assertThat(h.run()).isZero();

        // every name changes in Copper
        renameEveryoneInCopper("last_name", "Nouveau-");

        // 30 of 33 renamed: over the safety brake's limit, confirmed as an operator would
        assertThat(h.runConfirmed()).isZero();

        Map<String, Long> calls = h.sandbox.calls();
        for (int i = 0; i < 30; i++) {
            JsonNode m = h.member(email(i));
            assertThat(m.path("merge_fields").path("LNAME").asText()).as(email(i)).isEqualTo("Nouveau-Nom" + i);
            assertThat(m.path("status").asText()).as(email(i)).isEqualTo(status(i));
        }
        assertThat(calls).as("calls: %s", calls)
                .containsEntry("POST /3.0/batches", 1L)
                .doesNotContainKey(PUT_MEMBER);
        assertThat(calls.get("GET /3.0/batches/{batch_id}")).as("polls: %s", calls).isBetween(1L, 3L);
        assertThat(h.latestReport()).contains("✅ SUCCÈS | " + email(5), "Nom: Prenom5 Nouveau-Nom5",
                "✅ SUCCÈS | " + email(0), "✅ SUCCÈS | " + email(1));
        System.out.println("calls of the run with 30 name changes: " + calls);
    }

    @Test
    void theRunsBatchesAreSubmittedFirstThenPolledTogether() throws Exception {
        h = new SyncHarness(dir, thirtySynced());
        h.properties.put("mailchimp.batch-size", "10"); // the 30 renames leave the aggregator as 3 batches
        assertThat(h.run()).isZero();
        renameEveryoneInCopper("first_name", "Autre-");

        assertThat(h.runConfirmed()).isZero();

        Map<String, Long> calls = h.sandbox.calls();
        for (int i = 0; i < 30; i++) {
            JsonNode m = h.member(email(i));
            assertThat(m.path("merge_fields").path("FNAME").asText()).as(email(i)).isEqualTo("Autre-Prenom" + i);
            assertThat(m.path("status").asText()).as(email(i)).isEqualTo(status(i));
        }
        // three submissions, then each poll round is one listing of the account's batches, none per batch
        assertThat(calls).as("calls: %s", calls).containsEntry("POST /3.0/batches", 3L)
                .doesNotContainKey("GET /3.0/batches/{batch_id}").doesNotContainKey(PUT_MEMBER);
        assertThat(calls.get("GET /3.0/batches")).as("polls: %s", calls).isBetween(1L, 3L);
        assertThat(h.latestReport()).contains("✅ SUCCÈS | " + email(29), "Nom: Autre-Prenom29 Nom29");
        // the batches' outcomes reached the synced state: the next run has nothing to do
        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.sandbox.calls()).doesNotContainKeys("POST /3.0/batches", PUT_MEMBER);
    }

    @Test
    void aSingleNameChangeKeepsTheDirectPut() throws Exception {
        h = new SyncHarness(dir, new Seed().person(email(2), "Prenom2", "Nom2").member(email(2), "subscribed", "Prenom2", "Nom2")
                .build());
        assertThat(h.run()).isZero();
        ObjectNode state = h.sandbox.dump();
        ((ObjectNode) state.path("copper").path("people").get(0)).put("first_name", "Autre").put("name", "Autre Nom2")
                .put("date_modified", Seed.now());
        h.sandbox.load(state);
        h.sandbox.resetCalls();

        assertThat(h.run()).isZero();

        assertThat(h.member(email(2)).path("merge_fields").path("FNAME").asText()).isEqualTo("Autre");
        assertThat(h.sandbox.calls()).containsEntry(PUT_MEMBER, 1L).doesNotContainKey("POST /3.0/batches");
    }
}

package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member's {@code tags} holds at most 50 tags (CONTRACT.md §3): a tag the product pushed, placed beyond the first 50,
 * must still be removed when Copper drops it, on a full read and on an incremental one.
 */
class ManyTagsScenarioTest {
    static final String EMAIL = "collectionneur@exemple.fr";
    static final String PUSHED = "Client fidèle";
    static final String TAGS_CALL = "GET /3.0/lists/{list_id}/members/{subscriber_hash}/tags";

    @TempDir
    Path dir;
    SyncHarness h;

    @AfterEach
    void stopSandbox() {
        if (h != null) {
            h.close();
        }
    }

    /** 59 tags a marketer set in Mailchimp, then the first run pushes Copper's tag: the 60th in the member's order. */
    private List<String> firstRunPushesTheSixtiethTag() throws Exception {
        List<String> marketer = new ArrayList<>();
        for (int i = 1; i <= 59; i++) {
            marketer.add(String.format("Marketing %02d", i));
        }
        h = new SyncHarness(dir, new Seed().person(EMAIL, "Colette", "Collet", PUSHED)
                .member(EMAIL, "subscribed", "Colette", "Collet", marketer.toArray(String[]::new)).build());
        assertThat(h.run()).isZero();
        List<String> tags = Seed.tagNames(h.member(EMAIL));
        assertThat(tags).as("pushed by the first run, after the marketer's 59").hasSize(60);
        assertThat(tags.indexOf(PUSHED)).as("beyond the 50 a member's tags array shows").isEqualTo(59);
        return marketer;
    }

    private void removeCopperTag() {
        edit("copper", "people", p -> p.path("emails").path(0).path("email").asText().equalsIgnoreCase(EMAIL), p -> {
            p.putArray("tags");
            p.put("date_modified", Seed.now());
        });
    }

    private void edit(String side, String collection, java.util.function.Predicate<JsonNode> which,
                      Consumer<ObjectNode> change) {
        ObjectNode state = h.sandbox.dump();
        JsonNode items = "copper".equals(side) ? state.path("copper").path(collection)
                : state.path("mailchimp").path("lists").get(0).path(collection);
        for (JsonNode item : items) {
            if (which.test(item)) {
                change.accept((ObjectNode) item);
            }
        }
        h.sandbox.load(state);
    }

    private String syncLog() throws Exception {
        return Files.readString(h.latest("sync_log_"), StandardCharsets.UTF_8);
    }

    @Test
    void aPushedTagBeyondTheFirst50IsRemovedOnAFullRead() throws Exception {
        List<String> marketer = firstRunPushesTheSixtiethTag();
        removeCopperTag();
        // a full reconciliation: every member is read from Mailchimp again
        h.properties.put("sync.full-reconciliation-cron", "* * * * * ?");
        Thread.sleep(1_100);
        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(syncLog()).contains("réconciliation périodique");

        assertThat(Seed.tagNames(h.member(EMAIL))).as("inactive on the member, the marketer's 59 kept")
                .containsExactlyInAnyOrderElementsOf(marketer);
        assertThat(h.sandbox.calls().get(TAGS_CALL)).as("the one member over 50 tags").isEqualTo(1L);
    }

    @Test
    void aPushedTagBeyondTheFirst50IsRemovedOnAnIncrementalRead() throws Exception {
        List<String> marketer = firstRunPushesTheSixtiethTag();
        removeCopperTag();
        // the marketer tags the member once more: the member changed in Mailchimp too, so it is read from there
        edit("mailchimp", "members", m -> m.path("email_address").asText().equalsIgnoreCase(EMAIL), m -> {
            ((ArrayNode) m.path("tags")).addObject().put("name", "Marketing 60");
            m.put("last_changed", Seed.nowIso(0));
        });
        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(syncLog()).contains("depuis la dernière synchronisation").doesNotContain("Synchronisation complète");

        List<String> kept = new ArrayList<>(marketer);
        kept.add("Marketing 60");
        assertThat(Seed.tagNames(h.member(EMAIL))).as("inactive on the member, the marketer's 60 kept")
                .containsExactlyInAnyOrderElementsOf(kept);
        assertThat(h.sandbox.calls().get(TAGS_CALL)).as("the one member over 50 tags").isEqualTo(1L);
    }
}

package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.state.StateStore;
import io.cmsync.sync.SyncedRecord;

/**
 * The plan is made and executed a chunk of e-mails at a time from the staged contacts: however small the chunks, the
 * sandbox ends in the same state, the synced state holds the same records and the report says the same things.
 */
class ChunkedPlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path whole;
    @TempDir
    Path chunked;
    @TempDir
    Path capped;

    /** The demo data with a duplicate Copper e-mail, a Copper person without e-mail and a conflict-free update. */
    private static ObjectNode seed() {
        return new Seed()
                .person("anna@exemple.fr", "Anna", "Arnaud", "vip", "newsletter")
                .person("dup@exemple.fr", "Dup", "One")
                .person("dup@exemple.fr", "Dup", "Two")
                .person("", "Sans", "Adresse")
                .member("bob@exemple.fr", "subscribed", "Bob", "Bernard")
                .member("unsub@exemple.fr", "unsubscribed", "Uma", "Unsub")
                .person("cora@exemple.fr", "Cora", "Colin", "client")
                .member("cora@exemple.fr", "subscribed", "Cora", "Colin")
                .person("dan@exemple.fr", "Dan", "Durand")
                .member("dan@exemple.fr", "subscribed", "Daniel", "Durand")
                .person("eve@exemple.fr", "Eve", "Eden", "inactif")
                .member("fred@exemple.fr", "subscribed", "Fred", "Faure")
                .member("gus@exemple.fr", "subscribed", "Gus", "Garnier")
                .person("hugo@exemple.fr", "Hugo", "Hamel", "salon 2025")
                .build();
    }

    @Test
    void aChunkOfThreeEmailsGivesTheSameSandboxStateSyncedStateAndReportAsOneChunk() throws Exception {
        Result one = syncTwice(whole, null, null);
        Result three = syncTwice(chunked, "3", null);

        assertThat(three.people).isEqualTo(one.people);
        assertThat(three.members).isEqualTo(one.members);
        assertThat(three.state).isEqualTo(one.state);
        assertThat(three.reports).isEqualTo(one.reports);
        assertThat(three.summaries).isEqualTo(one.summaries);
        assertThat(one.reports.get(0)).contains("adresse e-mail partagée par plusieurs personnes Copper", "CONTACTS EXCLUS:");
        assertThat(one.summaries.get(0).path("copperToMailchimp").asInt()).isPositive();
        assertThat(one.summaries.get(0).path("mailchimpToCopper").asInt()).isPositive();
        assertThat(one.summaries.get(1).path("totalOperations").asInt()).isZero();
    }

    @Test
    void cappedDetailsKeepExactCountsAndSayHowManyAreNotListed() throws Exception {
        Result full = syncTwice(whole, "3", null);
        Result few = syncTwice(capped, "3", "1");

        assertThat(few.people).isEqualTo(full.people);
        assertThat(few.members).isEqualTo(full.members);
        assertThat(few.state).isEqualTo(full.state);
        ObjectNode expected = full.summaries.get(0).deepCopy();
        ObjectNode actual = few.summaries.get(0).deepCopy();
        int ops = expected.path("totalOperations").asInt();
        assertThat(actual.path("unlisted").path("operations").asInt()).isEqualTo(ops - 1);
        expected.remove("unlisted");
        actual.remove("unlisted");
        assertThat(actual).isEqualTo(expected);
        assertThat(few.reports.get(0))
                .contains("Total d'opérations: " + ops)
                .contains("… et " + (ops - 1) + " autres opérations, comptées ci-dessus mais non détaillées")
                .contains("… et 1 autre, comptée mais non détaillée (réglage report.max-detailed-entries)");
    }

    private record Result(Object people, Object members, List<SyncedRecord> state, List<String> reports,
                          List<JsonNode> summaries) {
    }

    /** A first sync and a second one (nothing left to do), with the given chunk size and detail cap. */
    private static Result syncTwice(Path dir, String chunkSize, String maxDetailed) throws Exception {
        try (SyncHarness h = new SyncHarness(dir, seed())) {
            if (chunkSize != null) {
                h.properties.put("sync.plan-chunk-size", chunkSize);
            }
            if (maxDetailed != null) {
                h.properties.put("report.max-detailed-entries", maxDetailed);
            }
            List<String> reports = new ArrayList<>();
            List<JsonNode> summaries = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                h.run();
                reports.add(comparable(h.latestReport()));
                summaries.add(JSON.readTree(Files.readString(latestJson(h), StandardCharsets.UTF_8)).path("summary"));
                Thread.sleep(1_100); // report file names carry the second
            }
            List<SyncedRecord> state = new ArrayList<>();
            try (StateStore store = StateStore.open(h.settings().stateJdbcUrl())) {
                for (String email : List.of("anna@exemple.fr", "bob@exemple.fr", "cora@exemple.fr", "dan@exemple.fr",
                        "fred@exemple.fr", "gus@exemple.fr", "hugo@exemple.fr", "dup@exemple.fr", "eve@exemple.fr",
                        "unsub@exemple.fr")) {
                    store.find(email).map(r -> new SyncedRecord(r.email(), r.copperId() == null ? null : 0L,
                            r.firstName(), r.lastName(), r.tags(), r.pushedTags(), r.mailchimpStatus(), null))
                            .ifPresentOrElse(state::add, () -> state.add(null));
                }
            }
            return new Result(SandboxDumps.people(h.sandbox), SandboxDumps.members(h.sandbox), state, reports,
                    summaries);
        }
    }

    private static Path latestJson(SyncHarness h) throws Exception {
        try (var files = Files.list(h.dir.resolve("reports"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("import_report_")
                            && p.toString().endsWith(".json"))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
    }

    /** The report without what differs from run to run: date, duration, run id, file paths. */
    private static String comparable(String report) {
        List<String> kept = new ArrayList<>();
        for (String line : report.split("\n")) {
            if (line.startsWith("Date:") || line.contains("Durée") || line.contains("Identifiant")
                    || line.contains("Run id") || line.contains("/") && line.strip().startsWith("-")) {
                continue;
            }
            kept.add(line);
        }
        return String.join("\n", kept);
    }
}

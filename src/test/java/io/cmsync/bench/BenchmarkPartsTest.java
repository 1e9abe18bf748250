package io.cmsync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The pure parts of the benchmark: lower-bound arithmetic, generated data, GC log parsing. Not the benchmark itself. */
class BenchmarkPartsTest {
    @Test
    void lowerBoundOfTheFirstSyncOfTenThousandHalfOverlapping() {
        DataGenerator d = DataGenerator.halfOverlapping(10_000, 1, "list");
        LowerBound lb = LowerBound.firstSync(d);
        // reads 50 + 10; 5,000 Mailchimp-only people created in Copper 10 a call, 5,000 Copper-only members 500 a call
        assertThat(lb).isEqualTo(new LowerBound(50, 10, 500, 10));
        assertThat(lb.total()).isEqualTo(570);
        assertThat(lb.copperRateFloorSeconds()).isEqualTo(550 * 60.0 / 180);
    }

    @Test
    void lowerBoundRoundsUpAndReadsAtLeastOnePage() {
        assertThat(LowerBound.of(0, 0, 0, 0)).isEqualTo(new LowerBound(1, 1, 0, 0));
        assertThat(LowerBound.of(201, 1001, 11, 501)).isEqualTo(new LowerBound(2, 2, 2, 2));
        assertThat(LowerBound.of(1_000, 1_000, 1_000, 1_000).total()).isEqualTo(5 + 1 + 100 + 2);
        assertThat(LowerBound.firstSync(DataGenerator.halfOverlapping(1_000_000, 1, "l")).total())
                .isEqualTo(5_000 + 1_000 + 50_000 + 1_000);
    }

    @Test
    void halfOfEachSideIsOnTheOtherWithIdenticalNamesAndTags() throws Exception {
        DataGenerator d = DataGenerator.halfOverlapping(1_000, 7, "5a1dbc0c4e");
        JsonNode state = new ObjectMapper().readTree(bytes(d));
        JsonNode people = state.path("copper").path("people");
        JsonNode members = state.path("mailchimp").path("lists").get(0).path("members");
        assertThat(people).hasSize(1_000);
        assertThat(members).hasSize(1_000);
        Set<String> copper = new HashSet<>();
        Map<String, JsonNode> byEmail = new java.util.HashMap<>();
        for (JsonNode p : people) {
            String e = p.path("emails").get(0).path("email").asText();
            copper.add(e);
            byEmail.put(e, p);
        }
        assertThat(copper).hasSize(1_000); // unique e-mails
        int both = 0;
        for (JsonNode m : members) {
            JsonNode p = byEmail.get(m.path("email_address").asText());
            if (p != null) {
                both++;
                assertThat(m.path("merge_fields").path("FNAME").asText()).isEqualTo(p.path("first_name").asText());
                assertThat(m.path("merge_fields").path("LNAME").asText()).isEqualTo(p.path("last_name").asText());
                assertThat(m.path("tags")).isEqualTo(p.path("tags"));
            }
            assertThat(m.path("status").asText()).isEqualTo("subscribed");
        }
        assertThat(both).isEqualTo(500);
        assertThat(d.unique()).isEqualTo(1_500);
        assertThat(people.get(0).path("tags").size()).isBetween(1, 2);
    }

    @Test
    void generationIsDeterministicAndDependsOnTheSeed() throws Exception {
        assertThat(bytes(DataGenerator.halfOverlapping(300, 42, "l"))).isEqualTo(bytes(DataGenerator.halfOverlapping(300, 42, "l")));
        assertThat(bytes(DataGenerator.halfOverlapping(300, 43, "l"))).isNotEqualTo(bytes(DataGenerator.halfOverlapping(300, 42, "l")));
        // contact i does not depend on the size: a larger data set extends a smaller one
        DataGenerator small = DataGenerator.halfOverlapping(10, 42, "l"), large = DataGenerator.halfOverlapping(1_000, 42, "l");
        assertThat(large.email(3)).isEqualTo(small.email(3));
        assertThat(small.email(3)).matches("[a-z]+\\.[a-z]+\\.3@bench-3\\.fr");
    }

    @Test
    void peakHeapIsTheLargestBeforeCollectionOrAtExit() {
        List<String> log = List.of(
                "[0.5s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->5M(256M) 3.1ms",
                "[1.5s][info][gc] GC(1) Pause Full (G1 Compaction Pause) 300M->120M(512M) 80.2ms",
                "[2.0s][info][gc,heap,exit]  garbage-first heap   total 262144K, used 41235K [0x0, 0x1)");
        assertThat(HeapLog.peakBytes(log)).isEqualTo(300L << 20);
        assertThat(HeapLog.peakBytes(List.of(log.get(0),
                "[2.0s][info][gc,heap,exit]  garbage-first heap   total 262144K, used 409600K [0x0, 0x1)"))).isEqualTo(409600L << 10);
        assertThat(HeapLog.peakBytes(List.of())).isEqualTo(-1);
    }

    @Test
    void endpointsAreShortened() {
        assertThat(Benchmark.shortEndpoint("POST /developer_api/v1/people/search")).isEqualTo("C POST people/search");
        assertThat(Benchmark.shortEndpoint("POST /3.0/lists/{list_id}")).isEqualTo("M POST list");
        assertThat(Benchmark.shortEndpoint("PUT /3.0/lists/{list_id}/members/{subscriber_hash}")).isEqualTo("M PUT members/{h}");
    }

    private static byte[] bytes(DataGenerator d) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.write(out);
        return out.toByteArray();
    }
}

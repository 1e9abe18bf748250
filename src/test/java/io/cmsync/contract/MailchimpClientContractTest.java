package io.cmsync.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cmsync.http.ApiException;
import io.cmsync.http.RateLimiter;
import io.cmsync.http.RetryingCaller;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.mailchimp.MailchimpMember;
import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;

/**
 * The product's {@link MailchimpClient}, every method, over a transport of the tests' own that validates each
 * outgoing request and each incoming response against the official spec (trimmed copy). What the client sends is
 * checked as strictly as what the sandbox answers: a body member the spec does not define is a violation.
 */
class MailchimpClientContractTest {
    static SandboxServer server;
    WireTransport transport;
    MailchimpClient client;

    @BeforeAll
    static void start() throws Exception {
        server = SandboxServer.start(new SandboxOptions(0, null, null, false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void setUp() {
        server.faults(FaultConfig.none());
        server.reset();
        server.resetCalls(); // each test counts its own calls, whatever order the tests run in
        transport = new WireTransport(server.mailchimpBaseUrl(), MailchimpSpec::validate,
                "Authorization", Wire.mailchimpAuthorization(), "Accept", "application/json");
        RetryingCaller caller = new RetryingCaller(MailchimpClient.SIDE, transport, 3, Duration.ofMillis(1),
                Duration.ofMillis(5), RateLimiter.unlimited(), ms -> { });
        client = new MailchimpClient(caller, SandboxServer.LIST_ID);
    }

    @AfterEach
    void noViolation() {
        assertThat(transport.violations()).isEmpty();
    }

    Set<String> operationsCalled() {
        Set<String> ops = new TreeSet<>();
        for (Wire.Exchange x : transport.exchanges()) {
            MailchimpSpec.Operation op = MailchimpSpec.operation(x.method(), x.path());
            ops.add(op == null ? "?? " + x.method() + " " + x.path() : op.key());
        }
        return ops;
    }

    @Test
    void pingAndList() {
        assertThat(client.ping().path("health_status").asText()).isEqualTo("Everything's Chimpy!");
        MailchimpClient.ListInfo info = client.list();
        assertThat(info.id()).isEqualTo(SandboxServer.LIST_ID);
        assertThat(info.subscribeUrlLong()).startsWith("https://");
        assertThat(operationsCalled()).containsExactly("GET /lists/{list_id}", "GET /ping");
    }

    @Test
    void mergeFieldsAreReadAndAMissingOneCreated() {
        List<io.cmsync.mapping.Definitions.MergeFieldDef> before = client.mergeFields();
        assertThat(before).extracting(io.cmsync.mapping.Definitions.MergeFieldDef::tag).contains("FNAME", "LNAME");
        var created = client.createMergeField(new io.cmsync.mapping.Definitions.MergeFieldDef("CANAL", "Canal",
                "dropdown", false, "", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                        .set("choices", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()
                                .add("Web").add("Salon"))));
        assertThat(created.tag()).isEqualTo("CANAL");
        assertThat(client.mergeFields()).hasSize(before.size() + 1);
        assertThat(operationsCalled()).containsExactlyInAnyOrder("GET /lists/{list_id}/merge-fields",
                "POST /lists/{list_id}/merge-fields");
    }

    @Test
    void membersPagesWithAndWithoutStatus() {
        MailchimpClient.MembersPage first = client.membersPage(0, 10, null, null);
        assertThat(first.members()).hasSize(10);
        int total = first.totalItems();
        List<String> emails = new ArrayList<>();
        for (int off = 0; off < total; off += 7) {
            client.membersPage(off, 7, null, null).members().forEach(m -> emails.add(m.emailAddress()));
        }
        assertThat(emails).hasSize(total).doesNotHaveDuplicates();
        for (String status : List.of("subscribed", "unsubscribed", "cleaned", "pending", "transactional", "archived")) {
            client.membersPage(0, 1000, status, null).members().forEach(m -> assertThat(m.status()).isEqualTo(status));
        }
        assertThat(client.membersPage(0, 1000, "archived", null).members()).isNotEmpty();
        // the incremental read's filter is a documented parameter
        assertThat(client.membersPage(0, 1000, null, "2000-01-01T00:00:00+00:00").members()).isNotEmpty();
        assertThat(operationsCalled()).containsExactly("GET /lists/{list_id}/members");
    }

    /** Creates a member carrying {@code n} tags ("Tag 0001"…), outside the client under test. */
    static void memberWithTags(String email, int n) {
        List<String> tags = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            tags.add(String.format("Tag %04d", i));
        }
        Wire.Exchange x = Wire.send(server.baseUrl(), "POST", "/3.0/lists/" + SandboxServer.LIST_ID + "/members", null,
                Wire.json(Map.of("email_address", email, "status", "subscribed", "tags", tags)),
                "Authorization", Wire.mailchimpAuthorization(), "Accept", "application/json");
        assertThat(x.status()).as(x.responseBody()).isEqualTo(200);
    }

    long memberTagsCalls() {
        return transport.exchanges().stream().filter(x -> x.method().equals("GET") && x.path().endsWith("/tags")).count();
    }

    @Test
    void onlyAMemberOverFiftyTagsCostsAMemberTagsCallAndIsReadWithAllOfThem() {
        memberWithTags("cinquante@exemple.fr", 50);
        memberWithTags("cinquante.et.un@exemple.fr", 51);
        Map<String, MailchimpMember> byEmail = new LinkedHashMap<>();
        client.membersPage(0, 1000, null, null).members().forEach(m -> byEmail.put(m.emailAddress(), m));
        assertThat(byEmail.get("cinquante@exemple.fr").tags()).hasSize(50);
        assertThat(byEmail.get("cinquante@exemple.fr").tagsCount()).isEqualTo(50);
        assertThat(byEmail.get("cinquante.et.un@exemple.fr").tags()).extracting(MailchimpMember.Tag::name)
                .hasSize(51).contains("Tag 0051");
        assertThat(memberTagsCalls()).as("50 tags and fewer: the listing holds them all, no extra call").isEqualTo(1);
        assertThat(operationsCalled()).containsExactly("GET /lists/{list_id}/members",
                "GET /lists/{list_id}/members/{subscriber_hash}/tags");
    }

    @Test
    void aMemberOverAThousandTagsIsReadPageByPage() {
        memberWithTags("mille@exemple.fr", 1001);
        List<MailchimpMember> members = client.membersPage(0, 1000, null, null).members();
        MailchimpMember m = members.stream().filter(x -> x.emailAddress().equals("mille@exemple.fr")).findFirst()
                .orElseThrow();
        assertThat(m.tags()).extracting(MailchimpMember.Tag::name).hasSize(1001).doesNotHaveDuplicates()
                .contains("Tag 0001", "Tag 1001");
        assertThat(memberTagsCalls()).as("pages of 1000").isEqualTo(2);
    }

    @Test
    void aSingleMemberReadCarriesAllItsTags() {
        memberWithTags("soixante@exemple.fr", 60);
        com.fasterxml.jackson.databind.JsonNode m = client.member("soixante@exemple.fr").orElseThrow();
        assertThat(m.path("tags_count").asInt()).isEqualTo(60);
        assertThat(m.path("tags")).hasSize(60);
        assertThat(m.path("tags").get(59).path("name").asText()).isEqualTo("Tag 0060");
        client.member("sophie.bernard@exemple.fr").orElseThrow();
        assertThat(memberTagsCalls()).as("only for the member over 50 tags").isEqualTo(1);
    }

    @Test
    void batchSubscribeReportsEachMember() {
        List<Map<String, Object>> members = new ArrayList<>();
        for (String email : List.of("lot.un@exemple.fr", "sophie.bernard@exemple.fr", "oublie.definitif@exemple.fr",
                "faux@example.com")) {
            // built as the product's MailchimpWriter builds them
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("email_address", email);
            m.put("status", "subscribed");
            m.put("merge_fields", MailchimpMapping.mergeFields("Prénom", "Nom"));
            members.add(m);
        }
        List<MailchimpClient.MemberResult> results = client.batchSubscribe(members);
        assertThat(results).extracting(MailchimpClient.MemberResult::ok).containsExactly(true, false, false, false);
        assertThat(results.get(2).error().forgotten()).isTrue();
        assertThat(operationsCalled()).containsExactly("POST /lists/{list_id}");
    }

    @Test
    void updateMemberSuccessAndRefusals() {
        assertThat(client.updateMember("lucas.petit@exemple.fr", "subscribed", "Luc", "Petit").ok()).isTrue();
        assertThat(client.updateMember("tout.nouveau@exemple.fr", "pending", "Tout", "Nouveau").ok()).isTrue();
        MailchimpClient.MemberResult forgotten = client.updateMember("oublie.definitif@exemple.fr", "subscribed", "G", "O");
        assertThat(forgotten.ok()).isFalse();
        assertThat(forgotten.error().forgotten()).isTrue();
        // a 255-byte merge value cut on a character boundary is still a valid request
        String longName = "é".repeat(200);
        assertThat(client.updateMember("long.nom@exemple.fr", "subscribed", longName, longName).ok()).isTrue();
        assertThat(operationsCalled()).containsExactly("PUT /lists/{list_id}/members/{subscriber_hash}");
    }

    MailchimpClient batchClient(java.time.Duration maxWait, List<Long> sleeps) {
        RetryingCaller caller = new RetryingCaller(MailchimpClient.SIDE, transport, 3, Duration.ofMillis(1),
                Duration.ofMillis(5), RateLimiter.unlimited(), ms -> { });
        return new MailchimpClient(caller, SandboxServer.LIST_ID, MailchimpClient.httpDownloader(Duration.ofSeconds(10)),
                sleeps::add, maxWait);
    }

    /** Submits the updates as batch operations and waits for their results, as the writer does over a run. */
    static List<MailchimpClient.MemberResult> submitAndAwait(MailchimpClient client,
                                                             List<MailchimpClient.MemberUpdate> updates) {
        return client.awaitMemberUpdates(List.of(client.submitMemberUpdates(updates))).get(0);
    }

    /** n name updates: {@code <prefix><i>@exemple.fr}, first name L<i>. */
    static List<MailchimpClient.MemberUpdate> updates(String prefix, String lastName, int n) {
        List<MailchimpClient.MemberUpdate> updates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            updates.add(new MailchimpClient.MemberUpdate(prefix + i + "@exemple.fr", "subscribed", "L" + i, lastName));
        }
        return updates;
    }

    @Test
    void batchUpdatesReportEachMemberAndNeverChangeAStatus() throws Exception {
        List<Long> sleeps = new ArrayList<>();
        MailchimpClient batch = batchClient(Duration.ofMinutes(10), sleeps);
        List<MailchimpClient.MemberUpdate> updates = List.of(
                new MailchimpClient.MemberUpdate("lucas.petit@exemple.fr", "subscribed", "Luc", "Petit"),
                new MailchimpClient.MemberUpdate("claire.robin@exemple.fr", "subscribed", "Claire", "Robin-Lot"),
                new MailchimpClient.MemberUpdate("sylvie.simon@exemple.fr", "subscribed", "Sylvie", "Simon-Lot"),
                new MailchimpClient.MemberUpdate("oublie.definitif@exemple.fr", "subscribed", "G", "O"),
                new MailchimpClient.MemberUpdate("lot.nouveau@exemple.fr", "pending", "Lot", "Nouveau"));
        List<MailchimpClient.MemberResult> results = submitAndAwait(batch, updates);
        assertThat(results).extracting(MailchimpClient.MemberResult::email).containsExactly("lucas.petit@exemple.fr",
                "claire.robin@exemple.fr", "sylvie.simon@exemple.fr", "oublie.definitif@exemple.fr", "lot.nouveau@exemple.fr");
        assertThat(results).extracting(MailchimpClient.MemberResult::ok).containsExactly(true, true, true, false, true);
        assertThat(results.get(3).error().forgotten()).isTrue();
        assertThat(results.get(3).error().needsResubscription()).isTrue();
        assertThat(member("claire.robin@exemple.fr").path("status").asText()).isEqualTo("unsubscribed");
        assertThat(member("claire.robin@exemple.fr").path("merge_fields").path("LNAME").asText()).isEqualTo("Robin-Lot");
        assertThat(member("sylvie.simon@exemple.fr").path("status").asText()).isEqualTo("archived");
        assertThat(member("lot.nouveau@exemple.fr").path("status").asText()).isEqualTo("pending");
        // every PUT inside the batch is the body updateMember sends: status_if_new, never status
        for (Wire.Exchange x : transport.exchanges()) {
            if (x.method().equals("POST")) {
                for (com.fasterxml.jackson.databind.JsonNode op : Wire.JSON.readTree(x.requestBody()).path("operations")) {
                    assertThat(op.path("method").asText()).isEqualTo("PUT");
                    com.fasterxml.jackson.databind.JsonNode body = Wire.JSON.readTree(op.path("body").asText());
                    assertThat(body.has("status")).isFalse();
                    assertThat(body.has("status_if_new")).isTrue();
                }
            }
        }
        assertThat(operationsCalled()).contains("GET /batches/{batch_id}", "POST /batches")
                .doesNotContain("PUT /lists/{list_id}/members/{subscriber_hash}");
        assertThat(sleeps).containsExactly(500L);
    }

    @Test
    void batchUpdatesSplitAt500Operations() {
        List<MailchimpClient.MemberResult> results = submitAndAwait(batchClient(Duration.ofMinutes(10), new ArrayList<>()),
                updates("lot", "Lot", 501));
        assertThat(results).hasSize(501).allMatch(MailchimpClient.MemberResult::ok);
        // both batches are submitted before the first poll, and one listing polls the two of them
        assertThat(server.calls()).containsEntry("POST /3.0/batches", 2L).containsEntry("GET /3.0/batches", 1L)
                .doesNotContainKey("GET /3.0/batches/{batch_id}")
                .doesNotContainKey("PUT /3.0/lists/{list_id}/members/{subscriber_hash}");
        assertThat(operationsCalled()).contains("GET /batches");
    }

    @Test
    void aBatchMissingFromTheListingIsPolledById() throws Exception {
        // 1,000 older batches of the account fill the listing's only page (count 1000): ours are not in it
        for (int i = 0; i < 1000; i++) {
            Wire.send(server.baseUrl(), "POST", "/3.0/batches", null, Wire.json(Map.of("operations", List.of())),
                    "Authorization", Wire.mailchimpAuthorization());
        }
        server.resetCalls();
        List<MailchimpClient.MemberResult> results = submitAndAwait(batchClient(Duration.ofMinutes(10), new ArrayList<>()),
                updates("liste", "Liste", 501));
        assertThat(results).hasSize(501).allMatch(MailchimpClient.MemberResult::ok);
        assertThat(member("liste500@exemple.fr").path("merge_fields").path("FNAME").asText()).isEqualTo("L500");
        assertThat(server.calls()).containsEntry("POST /3.0/batches", 2L).containsEntry("GET /3.0/batches", 1L)
                .containsEntry("GET /3.0/batches/{batch_id}", 2L);
    }

    @Test
    void aFailedListingFallsBackToPollingEachBatch() {
        // the listing answers 500 on every attempt; everything else reaches the sandbox
        io.cmsync.http.ApiTransport listingDown = r -> r.label().equals("GET batches")
                ? new io.cmsync.http.ApiResponse(500, "{}", Map.of()) : transport.send(r);
        RetryingCaller caller = new RetryingCaller(MailchimpClient.SIDE, listingDown, 2, Duration.ofMillis(1),
                Duration.ofMillis(5), RateLimiter.unlimited(), ms -> { });
        MailchimpClient batch = new MailchimpClient(caller, SandboxServer.LIST_ID,
                MailchimpClient.httpDownloader(Duration.ofSeconds(10)), ms -> { }, Duration.ofMinutes(10));
        List<MailchimpClient.MemberResult> results = submitAndAwait(batch, updates("panne", "Panne", 501));
        assertThat(results).hasSize(501).allMatch(MailchimpClient.MemberResult::ok);
        assertThat(server.calls()).containsEntry("POST /3.0/batches", 2L).containsEntry("GET /3.0/batches/{batch_id}", 2L)
                .doesNotContainKey("GET /3.0/batches");
    }

    @Test
    void aBatchThatNeverFinishesIsGivenUpAfterTheMaximumWait() {
        server.batchProcessingMs(600_000);
        try {
            List<Long> sleeps = new ArrayList<>();
            List<MailchimpClient.MemberResult> results = submitAndAwait(batchClient(Duration.ofSeconds(20), sleeps),
                    List.of(new MailchimpClient.MemberUpdate("lucas.petit@exemple.fr", "subscribed", "Luc", "Petit")));
            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.ok()).isFalse();
                assertThat(r.error().text()).contains("not finished after 20 s");
            });
            assertThat(sleeps).startsWith(500L, 1000L, 2000L, 4000L, 8000L);
            assertThat(sleeps.stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000L);
        } finally {
            server.batchProcessingMs(0);
        }
    }

    com.fasterxml.jackson.databind.JsonNode member(String email) {
        return client.member(email).orElseThrow();
    }

    @Test
    void tagsAsStaticSegments() {
        Map<String, Long> tags = client.tagSegments();
        assertThat(tags).containsKey("webinar 2025");
        long id = client.createTag("Salon 2026", List.of("sophie.bernard@exemple.fr", "lucas.petit@exemple.fr"));
        assertThat(client.tagSegments()).containsEntry("salon 2026", id);
        Map<String, String> refused = client.updateTag(id, List.of("camille.durand@exemple.com", "inconnu@exemple.fr"),
                List.of("lucas.petit@exemple.fr"));
        assertThat(refused).containsOnlyKeys("inconnu@exemple.fr");
        assertThat(operationsCalled()).containsExactly("GET /lists/{list_id}/segments", "POST /lists/{list_id}/segments",
                "POST /lists/{list_id}/segments/{segment_id}");
    }

    @Test
    void errorAnswersReachTheClientAsProblems() {
        MailchimpClient other = new MailchimpClient(new RetryingCaller(MailchimpClient.SIDE, transport, 1,
                Duration.ofMillis(1), Duration.ofMillis(1), RateLimiter.unlimited(), ms -> { }), "0000000000");
        assertThatThrownBy(other::list).isInstanceOf(ApiException.class).hasMessageContaining("404")
                .hasMessageContaining("Resource Not Found");
        assertThatThrownBy(() -> other.membersPage(0, 10, null, null)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> other.createTag("X", List.of())).isInstanceOf(ApiException.class);
        // a duplicate tag name
        assertThatThrownBy(() -> client.createTag("Webinar 2025", List.of())).isInstanceOf(ApiException.class)
                .hasMessageContaining("400");
        // 429 and 500 from the fault injector are retried, and follow the spec too
        server.faults(new FaultConfig(0, 0, 0, 1.0, 0.0, 0.0, 30000, 7));
        assertThatThrownBy(client::ping).isInstanceOf(ApiException.class);
        server.faults(FaultConfig.none());
    }
}

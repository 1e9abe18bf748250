package io.cmsync.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperMapping;
import io.cmsync.copper.CopperPerson;
import io.cmsync.http.RateLimiter;
import io.cmsync.http.RetryingCaller;
import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;

/**
 * The product's {@link CopperClient}, every method, over a transport of the tests' own that checks each exchange
 * against the Copper contract: the four headers, JSON bodies that only use the attributes the contract lists, and
 * answers shaped like the official examples.
 */
class CopperClientContractTest {
    static SandboxServer server;
    WireTransport transport;
    CopperClient client;

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
        // what the product's CamelApiTransport sends: the X-PW trio (SyncApplication) and Accept
        String[] headers = new String[] {"X-PW-AccessToken", SandboxServer.COPPER_API_KEY,
                "X-PW-Application", "developer_api", "X-PW-UserEmail", SandboxServer.COPPER_USER_EMAIL,
                "Accept", "application/json"};
        transport = new WireTransport(server.copperBaseUrl(), CopperClientContractTest::check, headers);
        RetryingCaller caller = new RetryingCaller(CopperClient.SIDE, transport, 3, Duration.ofMillis(1),
                Duration.ofMillis(5), RateLimiter.unlimited(), ms -> { });
        client = new CopperClient(caller, RateLimiter.unlimited());
    }

    @AfterEach
    void noViolation() {
        assertThat(transport.violations()).isEmpty();
    }

    /** Contract findings for one exchange. */
    static List<String> check(Wire.Exchange x) {
        List<String> out = new ArrayList<>();
        if (!SandboxServer.COPPER_API_KEY.equals(x.requestHeader("X-PW-AccessToken"))) {
            out.add("X-PW-AccessToken missing or wrong");
        }
        if (!"developer_api".equals(x.requestHeader("X-PW-Application"))) {
            out.add("X-PW-Application is not developer_api: " + x.requestHeader("X-PW-Application"));
        }
        if (x.requestHeader("X-PW-UserEmail") == null || !x.requestHeader("X-PW-UserEmail").contains("@")) {
            out.add("X-PW-UserEmail missing");
        }
        String path = x.path().substring("/developer_api/v1/".length());
        if (x.requestBody() != null) {
            if (!"application/json".equals(x.requestHeader("Content-Type"))) {
                out.add("Content-Type is not application/json: " + x.requestHeader("Content-Type"));
            }
            JsonNode body;
            try {
                body = Wire.JSON.readTree(x.requestBody());
            } catch (Exception e) {
                out.add("request body is not JSON");
                return out;
            }
            switch (path) {
                case "people/search" -> {
                    unknown(body, CopperReference.SEARCH_FIELDS, "search body", out);
                    if (body.has("sort_by") && !CopperReference.SORT_BY.contains(body.get("sort_by").asText())) {
                        out.add("sort_by not in the contract: " + body.get("sort_by"));
                    }
                    if (body.has("page_size") && (body.get("page_size").asInt() < 1 || body.get("page_size").asInt() > 200)) {
                        out.add("page_size out of 1..200: " + body.get("page_size"));
                    }
                    if (body.has("sort_direction") && !Set.of("asc", "desc").contains(body.get("sort_direction").asText())) {
                        out.add("sort_direction not asc/desc");
                    }
                }
                case "people/bulk_create", "people/bulk_update" -> {
                    unknown(body, Set.of("people"), "bulk body", out);
                    if (body.path("people").size() > CopperClient.BULK_LIMIT) {
                        out.add("more than 10 people in a bulk call");
                    }
                    for (JsonNode p : body.path("people")) {
                        if (path.endsWith("create")) {
                            unknown(p, CopperReference.WRITABLE_PERSON, "bulk_create person", out);
                            if (!p.path("name").isTextual() || p.path("name").asText().isBlank()) {
                                out.add("bulk_create person without name (required on create): " + p);
                            }
                        } else {
                            Set<String> allowed = new java.util.HashSet<>(CopperReference.WRITABLE_PERSON);
                            allowed.add("id");
                            unknown(p, allowed, "bulk_update person", out);
                            if (!p.path("id").isIntegralNumber()) {
                                out.add("bulk_update person without an integer id: " + p);
                            }
                        }
                        for (JsonNode e : p.path("emails")) {
                            unknown(e, Set.of("email", "category"), "email", out);
                            if (!Set.of("work", "personal", "other").contains(e.path("category").asText())) {
                                out.add("email category not in the contract: " + e);
                            }
                        }
                        if (p.has("tags") && (!p.get("tags").isArray()
                                || !iterable(p.get("tags")).stream().allMatch(JsonNode::isTextual))) {
                            out.add("tags is not a string array: " + p.get("tags"));
                        }
                    }
                }
                default -> out.add("unexpected body on " + path);
            }
        }
        // the answers
        if (x.status() == 200) {
            JsonNode r = x.json();
            JsonNode example = CopperSandboxContractTest.SEARCH_EXAMPLE_PERSON;
            switch (path) {
                case "people/search" -> {
                    if (!r.isArray()) {
                        out.add("search answer is not a bare array");
                    } else {
                        r.forEach(p -> out.addAll(CopperReference.shapeDiff(example, p)));
                    }
                    if (x.responseHeader("X-PW-TOTAL") == null || !x.responseHeader("X-PW-TOTAL").matches("\\d+")) {
                        out.add("X-PW-TOTAL missing");
                    }
                }
                case "people/bulk_create", "people/bulk_update" -> r.forEach(item -> {
                    if (!item.has("success")) {
                        out.addAll(CopperReference.shapeDiff(example, item));
                    } else {
                        String ref = path.endsWith("create") ? "docs__bulk-create-item-failure.json"
                                : "docs__bulk-update-item-failure.json";
                        out.addAll(CopperReference.bulkFailureDiff(CopperReference.errorBody(ref), item));
                    }
                });
                case "account" -> out.addAll(CopperReference.shapeDiff(
                        CopperReference.example("1-account-and-users-fetch-account-details.json"), r));
                default -> out.add("unexpected call " + x);
            }
        }
        return out;
    }

    static List<JsonNode> iterable(JsonNode n) {
        List<JsonNode> l = new ArrayList<>();
        n.forEach(l::add);
        return l;
    }

    static void unknown(JsonNode body, Set<String> allowed, String what, List<String> out) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                out.add(what + " uses an attribute the contract does not list: " + f);
            }
        }
    }

    @Test
    void accountAndSearchPages() {
        assertThat(client.account().path("id").isIntegralNumber()).isTrue();
        List<CopperPerson> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            List<CopperPerson> p = client.searchPage(null, page, 7);
            all.addAll(p);
            if (p.size() < 7) {
                break;
            }
        }
        assertThat(all).hasSizeGreaterThan(20);
        assertThat(all).extracting(CopperPerson::id).doesNotHaveDuplicates();
        assertThat(client.searchPage(null, 1, 200)).hasSize(all.size());
        // the incremental read and the read of people by id send only documented attributes too
        long newest = all.stream().mapToLong(CopperPerson::dateModified).max().orElseThrow();
        assertThat(client.searchPage(newest, 1, 200)).isNotEmpty()
                .allSatisfy(p -> assertThat(p.dateModified()).isGreaterThanOrEqualTo(newest));
        assertThat(client.byIds(List.of(all.get(0).id(), all.get(1).id()))).extracting(CopperPerson::id)
                .containsExactlyInAnyOrder(all.get(0).id(), all.get(1).id());
    }

    @Test
    void bulkCreateAndUpdateWithTheProductsBodies() {
        List<Map<String, Object>> create = List.of(
                CopperMapping.newPerson("bulk.un@exemple.fr", "Bulk", "Un", List.of("newsletter")),
                CopperMapping.newPerson("bulk.deux@exemple.fr", "", "", List.of()),
                CopperMapping.newPerson("sophie.bernard@exemple.fr", "Sophie", "Bernard", List.of()));
        List<CopperClient.BulkItem> created = client.bulkCreate(create);
        assertThat(created).extracting(CopperClient.BulkItem::ok).containsExactly(true, true, false);
        long id = created.get(0).person().id();
        List<CopperClient.BulkItem> updated = client.bulkUpdate(List.of(
                CopperMapping.personUpdate(id, "Bulk", "Premier", true, List.of("newsletter", "vip")),
                CopperMapping.personUpdate(id, null, null, false, List.of()),
                CopperMapping.personUpdate(99999999L, "X", "Y", true, null)));
        assertThat(updated).extracting(CopperClient.BulkItem::ok).containsExactly(true, true, false);
        assertThat(updated.get(0).person().lastName()).isEqualTo("Premier");
    }
}

package io.cmsync.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;

/**
 * Every Mailchimp operation the sandbox emulates, on success and on its main error paths: the request sent and the
 * sandbox's response are validated against the official Swagger 2.0 document (trimmed copy in
 * {@code src/test/resources/contract/}) with swagger-request-validator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailchimpSandboxContractTest {
    static final String LIST = SandboxServer.LIST_ID;
    static final String L = "/lists/" + LIST;
    static SandboxServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SandboxServer.start(new SandboxOptions(0, null, null, false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.faults(FaultConfig.none());
        server.reset();
    }

    static String hash(String email) {
        return MailchimpMapping.subscriberHash(email);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Wire.Exchange mc(String method, String path, String query, String body) {
        return Wire.send(server.baseUrl(), method, "/3.0" + path, query, body,
                "Authorization", Wire.mailchimpAuthorization(), "Accept", "application/json");
    }

    /** The status is the expected one and request and response follow the spec. */
    static JsonNode conforms(Wire.Exchange x, int status) {
        assertThat(x.status()).as(x + " body " + x.responseBody()).isEqualTo(status);
        assertThat(MailchimpSpec.validate(x)).as("contract violations of " + x + "\n" + x.responseBody()).isEmpty();
        return checkProblem(x);
    }

    /** For requests that break the spec on purpose: only the response is validated. */
    static JsonNode responseConforms(Wire.Exchange x, int status) {
        assertThat(x.status()).as(x + " body " + x.responseBody()).isEqualTo(status);
        assertThat(MailchimpSpec.validateResponse(x)).as("contract violations of " + x + "\n" + x.responseBody())
                .isEmpty();
        return checkProblem(x);
    }

    private static JsonNode checkProblem(Wire.Exchange x) {
        JsonNode n = x.json();
        if (x.status() >= 400) {
            // the spec's ProblemDetailDocument, as application/problem+json (validated above); plus what the docs add
            assertThat(x.responseHeader("Content-Type")).startsWith("application/problem+json");
            assertThat(n.path("status").asInt()).isEqualTo(x.status());
            assertThat(n.path("type").asText()).startsWith("https://");
            assertThat(n.path("instance").asText()).isNotBlank();
            assertThat(MailchimpSpec.problemErrorsShape(n)).isEmpty();
        } else if (x.status() == 204) {
            assertThat(x.responseBody()).isEmpty();
        } else {
            assertThat(x.responseHeader("Content-Type")).startsWith("application/json");
        }
        return n;
    }

    // ----------------------------------------------------------------------------------------------- ping, lists

    @Test
    void ping() {
        assertThat(conforms(mc("GET", "/ping", null, null), 200).path("health_status").asText())
                .isEqualTo("Everything's Chimpy!");
        Wire.Exchange missing = Wire.send(server.baseUrl(), "GET", "/3.0/ping", null, null);
        assertThat(responseConforms(missing, 401).path("title").asText()).isEqualTo("API Key Missing");
        Wire.Exchange wrong = Wire.send(server.baseUrl(), "GET", "/3.0/ping", null, null,
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("x:wrong0key-us1".getBytes()));
        assertThat(conforms(wrong, 401).path("title").asText()).isEqualTo("API Key Invalid");
    }

    @Test
    void getLists() {
        JsonNode all = conforms(mc("GET", "/lists", null, null), 200);
        assertThat(all.path("lists").get(0).path("id").asText()).isEqualTo(LIST);
        conforms(mc("GET", "/lists", "count=5&offset=0&fields=lists.id,lists.name,total_items", null), 200);
        Wire.Exchange unauth = Wire.send(server.baseUrl(), "GET", "/3.0/lists", null, null);
        responseConforms(unauth, 401);
    }

    @Test
    void getList() {
        JsonNode l = conforms(mc("GET", L, null, null), 200);
        assertThat(l.path("stats").path("member_count").asInt()).isPositive();
        JsonNode f = conforms(mc("GET", L, "fields=id,name,subscribe_url_long", null), 200);
        assertThat(f.size()).isEqualTo(3);
        conforms(mc("GET", "/lists/0000000000", null, null), 404);
    }

    @Test
    void getMergeFields() {
        JsonNode n = conforms(mc("GET", L + "/merge-fields", null, null), 200);
        assertThat(n.path("merge_fields")).extracting(f -> f.path("tag").asText())
                .containsExactly("FNAME", "LNAME", "ADDRESS", "PHONE", "COMPANY", "SECTEUR", "CLIENTDEP");
        assertThat(n.path("total_items").asInt()).isEqualTo(7);
        JsonNode page = conforms(mc("GET", L + "/merge-fields", "count=2&offset=4", null), 200);
        assertThat(page.path("merge_fields")).extracting(f -> f.path("tag").asText()).containsExactly("COMPANY", "SECTEUR");
        assertThat(page.path("total_items").asInt()).isEqualTo(7);
        JsonNode dropdowns = conforms(mc("GET", L + "/merge-fields", "type=dropdown&required=false", null), 200);
        assertThat(dropdowns.path("merge_fields")).hasSize(1);
        assertThat(dropdowns.path("merge_fields").get(0).path("options").path("choices")).hasSize(5);
        conforms(mc("GET", L + "/merge-fields", "fields=merge_fields.tag,merge_fields.type,total_items", null), 200);
        conforms(mc("GET", "/lists/0000000000/merge-fields", null, null), 404);
    }

    @Test
    void addMergeField() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Ville");
        body.put("type", "text");
        body.put("tag", "VILLE");
        body.put("required", false);
        body.put("public", true);
        body.put("options", Map.of("size", 40));
        JsonNode f = conforms(mc("POST", L + "/merge-fields", null, Wire.json(body)), 200);
        assertThat(f.path("tag").asText()).isEqualTo("VILLE");
        assertThat(f.path("merge_id").asInt()).isEqualTo(8);
        JsonNode dd = conforms(mc("POST", L + "/merge-fields", null, Wire.json(Map.of("name", "Taille", "type", "radio",
                "options", Map.of("choices", List.of("S", "M", "L"))))), 200);
        assertThat(dd.path("tag").asText()).isEqualTo("MMERGE9");
        JsonNode birthday = conforms(mc("POST", L + "/merge-fields", null, Wire.json(Map.of("name", "Anniversaire",
                "type", "birthday", "tag", "BIRTHDAY"))), 200);
        assertThat(birthday.path("options").path("date_format").asText()).isEqualTo("MM/DD");
        assertThat(conforms(mc("POST", L + "/merge-fields", null, Wire.json(body)), 400).path("detail").asText())
                .contains("VILLE");
        conforms(mc("POST", "/lists/0000000000/merge-fields", null, Wire.json(body)), 404);
        // name and type are required by the spec: the request breaks it, the error must follow it
        JsonNode noType = responseConforms(mc("POST", L + "/merge-fields", null, Wire.json(Map.of("name", "X"))), 400);
        assertThat(noType.path("errors").get(0).path("field").asText()).isEqualTo("type");
    }

    @Test
    void theThirtyFirstMergeFieldIsRefused() {
        for (int i = 8; i <= 30; i++) {
            conforms(mc("POST", L + "/merge-fields", null, Wire.json(Map.of("name", "Champ " + i, "type", "text"))), 200);
        }
        assertThat(conforms(mc("GET", L + "/merge-fields", "count=100", null), 200).path("total_items").asInt()).isEqualTo(30);
        JsonNode refused = conforms(mc("POST", L + "/merge-fields", null, Wire.json(Map.of("name", "Trop", "type", "text"))), 400);
        assertThat(refused.path("detail").asText()).contains("30");
    }

    @Test
    void invalidMergeValuesGetTheDocumentedProblem() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email_address", "champs@exemple.fr");
        body.put("status_if_new", "subscribed");
        body.put("merge_fields", Map.of("SECTEUR", "Agriculture", "INCONNU", "x"));
        JsonNode p = conforms(mc("PUT", L + "/members/" + hash("champs@exemple.fr"), null, Wire.json(body)), 400);
        assertThat(p.path("title").asText()).isEqualTo("Invalid Resource");
        assertThat(p.path("detail").asText()).isEqualTo("Your merge fields were invalid.");
        assertThat(p.path("errors")).extracting(e -> e.path("field").asText()).containsExactlyInAnyOrder("SECTEUR", "INCONNU");
        // typed values are answered in their type, and follow the member schema
        body.put("merge_fields", Map.of("SECTEUR", "Santé", "CLIENTDEP", "31/12/2025", "COMPANY", "Clinique",
                "ADDRESS", Map.of("addr1", "1 rue Haute", "city", "Nancy", "state", "Grand Est", "zip", "54000")));
        JsonNode m = conforms(mc("PUT", L + "/members/" + hash("champs@exemple.fr"), null, Wire.json(body)), 200);
        assertThat(m.path("merge_fields").path("ADDRESS").path("city").asText()).isEqualTo("Nancy");
        conforms(mc("GET", L + "/members/" + hash("champs@exemple.fr"), null, null), 200);
        conforms(mc("PATCH", L + "/members/" + hash("champs@exemple.fr"), "skip_merge_validation=true",
                Wire.json(Map.of("merge_fields", Map.of("COMPANY", "")))), 200);
        conforms(mc("POST", L + "/members", "skip_merge_validation=false", Wire.json(Map.of("email_address",
                "champs2@exemple.fr", "status", "subscribed", "merge_fields", Map.of("PHONE", List.of("pas", "un", "texte"))))), 400);
    }

    // ----------------------------------------------------------------------------------------------- members

    @Test
    void listMembers() {
        JsonNode page = conforms(mc("GET", L + "/members", "count=5&offset=0", null), 200);
        assertThat(page.path("members")).hasSize(5);
        conforms(mc("GET", L + "/members", "count=1000&offset=20&status=subscribed", null), 200);
        for (String status : List.of("subscribed", "unsubscribed", "cleaned", "pending", "transactional", "archived")) {
            conforms(mc("GET", L + "/members", "status=" + status, null), 200);
        }
        // the product's own field selection
        conforms(mc("GET", L + "/members", "count=100&offset=0&fields=" + enc("members.id,members.email_address,"
                + "members.status,members.merge_fields,members.tags,members.tags_count,members.last_changed,total_items"),
                null), 200);
        conforms(mc("GET", L + "/members", "exclude_fields=_links,members._links&sort_field=last_changed&sort_dir=DESC"
                + "&since_last_changed=" + enc("2020-01-01T00:00:00+00:00"), null), 200);
        conforms(mc("GET", "/lists/0000000000/members", null, null), 404);
        // beyond the spec's maximum of 1000, and an unknown status: the request breaks the spec, the error must not
        responseConforms(mc("GET", L + "/members", "count=1001", null), 400);
        responseConforms(mc("GET", L + "/members", "status=gone", null), 400);
    }

    @Test
    void getMember() {
        JsonNode m = conforms(mc("GET", L + "/members/" + hash("sophie.bernard@exemple.fr"), null, null), 200);
        assertThat(m.path("email_address").asText()).isEqualTo("sophie.bernard@exemple.fr");
        conforms(mc("GET", L + "/members/" + hash("sylvie.simon@exemple.fr"), null, null), 200); // archived
        conforms(mc("GET", L + "/members/" + hash("manon.henry@exemple.fr"), "fields=id,status", null), 200);
        conforms(mc("GET", L + "/members/" + hash("nobody@exemple.fr"), null, null), 404);
        conforms(mc("GET", L + "/members/" + hash("oublie.definitif@exemple.fr"), null, null), 404);
    }

    @Test
    void addMember() {
        String body = Wire.json(Map.of("email_address", "nouveau@exemple.fr", "status", "subscribed",
                "merge_fields", Map.of("FNAME", "Nouveau", "LNAME", "Membre"), "tags", List.of("Salon 2026")));
        JsonNode m = conforms(mc("POST", L + "/members", null, body), 200);
        assertThat(m.path("tags").get(0).path("name").asText()).isEqualTo("Salon 2026");
        assertThat(conforms(mc("POST", L + "/members", null, body), 400).path("title").asText()).isEqualTo("Member Exists");
        assertThat(conforms(mc("POST", L + "/members", null, Wire.json(Map.of("email_address",
                "oublie.definitif@exemple.fr", "status", "subscribed"))), 400).path("title").asText())
                .isEqualTo("Forgotten Email Not Subscribed");
        assertThat(conforms(mc("POST", L + "/members", null, Wire.json(Map.of("email_address", "x@example.com",
                "status", "subscribed"))), 400).path("title").asText()).isEqualTo("Invalid Resource");
        conforms(mc("POST", "/lists/0000000000/members", null, body), 404);
        // status is required by the spec: the request breaks it, the error must follow it
        responseConforms(mc("POST", L + "/members", null, Wire.json(Map.of("email_address", "sans.statut@exemple.fr"))), 400);
    }

    @Test
    void putMember() {
        String email = "upsert@exemple.fr";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email_address", email);
        body.put("status_if_new", "subscribed");
        body.put("merge_fields", Map.of("FNAME", "Up", "LNAME", "Sert"));
        conforms(mc("PUT", L + "/members/" + hash(email), null, Wire.json(body)), 200);
        body.put("merge_fields", Map.of("FNAME", "Up2", "LNAME", "Sert"));
        JsonNode m = conforms(mc("PUT", L + "/members/" + hash(email), null, Wire.json(body)), 200);
        assertThat(m.path("merge_fields").path("FNAME").asText()).isEqualTo("Up2");
        // new address without status_if_new (the spec requires it on every PUT: response validated only)
        JsonNode p = responseConforms(mc("PUT", L + "/members/" + hash("neuf@exemple.fr"), null,
                Wire.json(Map.of("email_address", "neuf@exemple.fr"))), 400);
        assertThat(p.path("errors").get(0).path("field").asText()).isEqualTo("status_if_new");
        // compliance state and forgotten
        assertThat(conforms(mc("PUT", L + "/members/" + hash("claire.robin@exemple.fr"), null,
                Wire.json(Map.of("email_address", "claire.robin@exemple.fr", "status_if_new", "subscribed",
                        "status", "subscribed"))), 400)
                .path("title").asText()).isEqualTo("Member In Compliance State");
        assertThat(conforms(mc("PUT", L + "/members/" + hash("oublie.definitif@exemple.fr"), null,
                Wire.json(Map.of("email_address", "oublie.definitif@exemple.fr", "status_if_new", "subscribed"))), 400)
                .path("title").asText()).isEqualTo("Forgotten Email Not Subscribed");
    }

    @Test
    void patchMember() {
        conforms(mc("PATCH", L + "/members/" + hash("lucas.petit@exemple.fr"), null,
                Wire.json(Map.of("merge_fields", Map.of("FNAME", "Luc")))), 200);
        conforms(mc("PATCH", L + "/members/" + hash("sylvie.simon@exemple.fr"), null,
                Wire.json(Map.of("status", "subscribed"))), 200); // unarchive
        conforms(mc("PATCH", L + "/members/" + hash("nobody@exemple.fr"), null,
                Wire.json(Map.of("status", "subscribed"))), 404);
        conforms(mc("PATCH", L + "/members/" + hash("bruno.morel@exemple.fr"), null,
                Wire.json(Map.of("status", "subscribed"))), 400);
    }

    @Test
    void archiveMember() {
        conforms(mc("DELETE", L + "/members/" + hash("lucas.petit@exemple.fr"), null, null), 204);
        Wire.Exchange pending = mc("DELETE", L + "/members/" + hash("manon.henry@exemple.fr"), null, null);
        conforms(pending, 405);
        conforms(mc("DELETE", L + "/members/" + hash("nobody@exemple.fr"), null, null), 404);
    }

    @Test
    void deletePermanent() {
        conforms(mc("POST", L + "/members/" + hash("lucas.petit@exemple.fr") + "/actions/delete-permanent", null, null), 204);
        conforms(mc("POST", L + "/members/" + hash("lucas.petit@exemple.fr") + "/actions/delete-permanent", null, null), 404);
    }

    @Test
    void memberTags() {
        String sophie = L + "/members/" + hash("sophie.bernard@exemple.fr") + "/tags";
        JsonNode tags = conforms(mc("GET", sophie, null, null), 200);
        assertThat(tags.path("tags").get(0).path("name").asText()).isEqualTo("Webinar 2025");
        conforms(mc("GET", sophie, "count=10&offset=0&fields=tags.name,total_items", null), 200);
        conforms(mc("GET", L + "/members/" + hash("nobody@exemple.fr") + "/tags", null, null), 404);
        String body = Wire.json(Map.of("tags", List.of(Map.of("name", "VIP", "status", "active"),
                Map.of("name", "Webinar 2025", "status", "inactive")), "is_syncing", false));
        conforms(mc("POST", sophie, null, body), 204);
        conforms(mc("POST", L + "/members/" + hash("nobody@exemple.fr") + "/tags", null, body), 404);
    }

    @Test
    void aMemberShowsFiftyTagsAndTheMemberTagsEndpointPagesThroughAll() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            names.add(String.format("Tag %02d", i));
        }
        String email = "soixante.tags@exemple.fr";
        conforms(mc("POST", L + "/members", null, Wire.json(Map.of("email_address", email, "status", "subscribed",
                "tags", names))), 200);
        // "Returns up to 50 tags" (CONTRACT.md §3), with the real count beside them
        JsonNode m = conforms(mc("GET", L + "/members/" + hash(email), null, null), 200);
        assertThat(m.path("tags")).hasSize(50);
        assertThat(m.path("tags_count").asInt()).isEqualTo(60);
        JsonNode listed = conforms(mc("GET", L + "/members", "count=1000&fields=" + enc("members.email_address,"
                + "members.tags,members.tags_count"), null), 200);
        for (JsonNode x : listed.path("members")) {
            if (x.path("email_address").asText().equals(email)) {
                assertThat(x.path("tags")).hasSize(50);
                assertThat(x.path("tags_count").asInt()).isEqualTo(60);
            }
        }
        // the product's query, then a second page
        String path = L + "/members/" + hash(email) + "/tags";
        JsonNode first = conforms(mc("GET", path, "count=40&offset=0&fields=" + enc("tags.id,tags.name,total_items"),
                null), 200);
        assertThat(first.path("total_items").asInt()).isEqualTo(60);
        assertThat(first.path("tags")).hasSize(40);
        JsonNode second = conforms(mc("GET", path, "count=40&offset=40", null), 200);
        List<String> all = new ArrayList<>();
        first.path("tags").forEach(t -> all.add(t.path("name").asText()));
        second.path("tags").forEach(t -> all.add(t.path("name").asText()));
        assertThat(all).containsExactlyElementsOf(names);
        assertThat(second.path("tags").get(0).path("date_added").asText()).isNotBlank();
        // beyond the spec's maximum of 1000: the request breaks the spec, the error must not
        responseConforms(mc("GET", path, "count=1001", null), 400);
    }

    // ----------------------------------------------------------------------------------------------- batch subscribe

    @Test
    void batchSubscribeWithPartialFailure() {
        List<Map<String, Object>> members = new ArrayList<>();
        members.add(Map.of("email_address", "lot.nouveau@exemple.fr", "status", "subscribed",
                "merge_fields", Map.of("FNAME", "Lot", "LNAME", "Nouveau")));
        members.add(Map.of("email_address", "sophie.bernard@exemple.fr", "status", "subscribed"));
        members.add(Map.of("email_address", "oublie.definitif@exemple.fr", "status", "subscribed"));
        members.add(Map.of("email_address", "faux@example.com", "status", "subscribed"));
        members.add(Map.of("email_address", "lot.sans.statut@exemple.fr"));
        JsonNode r = conforms(mc("POST", L, null, Wire.json(Map.of("members", members, "update_existing", false))), 200);
        assertThat(r.path("total_created").asInt()).isEqualTo(1);
        assertThat(r.path("error_count").asInt()).isEqualTo(4);
        assertThat(r.path("errors")).hasSize(4);
        JsonNode upd = conforms(mc("POST", L, null, Wire.json(Map.of("members", List.of(Map.of(
                "email_address", "lucas.petit@exemple.fr", "merge_fields", Map.of("FNAME", "Lucas"))),
                "update_existing", true, "sync_tags", false))), 200);
        assertThat(upd.path("total_updated").asInt()).isEqualTo(1);
        conforms(mc("POST", "/lists/0000000000", null, Wire.json(Map.of("members", members))), 404);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(Map.of("email_address", "n" + i + "@exemple.fr", "status", "subscribed"));
        }
        conforms(mc("POST", L, null, Wire.json(Map.of("members", tooMany))), 400);
    }

    // ----------------------------------------------------------------------------------------------- segments (tags)

    @Test
    void listSegments() {
        JsonNode s = conforms(mc("GET", L + "/segments", null, null), 200);
        assertThat(s.path("segments").get(0).path("type").asText()).isEqualTo("static");
        conforms(mc("GET", L + "/segments", "type=static&count=1000&offset=0&fields=segments.id,segments.name,total_items", null), 200);
        conforms(mc("GET", "/lists/0000000000/segments", null, null), 404);
    }

    @Test
    void createSegment() {
        JsonNode s = conforms(mc("POST", L + "/segments", null, Wire.json(Map.of("name", "Salon 2026",
                "static_segment", List.of("sophie.bernard@exemple.fr", "lucas.petit@exemple.fr")))), 200);
        assertThat(s.path("member_count").asInt()).isEqualTo(2);
        conforms(mc("POST", L + "/segments", null, Wire.json(Map.of("name", "Salon 2026", "static_segment", List.of()))), 400);
        conforms(mc("POST", "/lists/0000000000/segments", null, Wire.json(Map.of("name", "X", "static_segment", List.of()))), 404);
    }

    long webinarId() {
        for (JsonNode s : mc("GET", L + "/segments", null, null).json().path("segments")) {
            if (s.path("name").asText().equals("Webinar 2025")) {
                return s.path("id").asLong();
            }
        }
        throw new AssertionError("no Webinar 2025 segment in the demo data");
    }

    @Test
    void getAndDeleteSegment() {
        long id = webinarId();
        conforms(mc("GET", L + "/segments/" + id, null, null), 200);
        conforms(mc("GET", L + "/segments/999999", null, null), 404);
        conforms(mc("DELETE", L + "/segments/" + id, null, null), 204);
        conforms(mc("DELETE", L + "/segments/" + id, null, null), 404);
    }

    @Test
    void batchAddRemoveSegmentMembers() {
        long id = webinarId();
        JsonNode r = conforms(mc("POST", L + "/segments/" + id, null, Wire.json(Map.of(
                "members_to_add", List.of("lucas.petit@exemple.fr", "inconnu@exemple.fr"),
                "members_to_remove", List.of("sophie.bernard@exemple.fr")))), 200);
        assertThat(r.path("total_added").asInt()).isEqualTo(1);
        assertThat(r.path("total_removed").asInt()).isEqualTo(1);
        assertThat(r.path("errors")).hasSize(1);
        conforms(mc("POST", L + "/segments/999999", null, Wire.json(Map.of("members_to_add", List.of()))), 404);
    }

    @Test
    void segmentMembers() {
        long id = webinarId();
        JsonNode r = conforms(mc("GET", L + "/segments/" + id + "/members", null, null), 200);
        assertThat(r.path("members").size()).isPositive();
        conforms(mc("GET", L + "/segments/" + id + "/members", "count=2&offset=1&include_unsubscribed=true", null), 200);
        conforms(mc("GET", L + "/segments/999999/members", null, null), 404);
    }

    @Test
    void tagSearch() {
        JsonNode r = conforms(mc("GET", L + "/tag-search", "name=web", null), 200);
        assertThat(r.path("tags").get(0).path("name").asText()).isEqualTo("Webinar 2025");
        conforms(mc("GET", L + "/tag-search", null, null), 200);
        conforms(mc("GET", "/lists/0000000000/tag-search", "name=web", null), 404);
    }

    // ----------------------------------------------------------------------------------------------- batches

    @Test
    void batchOperations() {
        List<Map<String, Object>> ops = new ArrayList<>();
        for (String email : List.of("lucas.petit@exemple.fr", "claire.robin@exemple.fr", "oublie.definitif@exemple.fr")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("email_address", email);
            body.put("status_if_new", "subscribed");
            body.put("merge_fields", Map.of("FNAME", "Lot", "LNAME", "Batch"));
            ops.add(Map.of("method", "PUT", "path", L + "/members/" + hash(email), "body", Wire.json(body),
                    "operation_id", email));
        }
        ops.add(Map.of("method", "GET", "path", L + "/members", "params", Map.of("count", 5), "operation_id", "page"));
        JsonNode pending = conforms(mc("POST", "/batches", null, Wire.json(Map.of("operations", ops))), 200);
        assertThat(pending.path("status").asText()).isEqualTo("pending");
        String id = pending.path("id").asText();
        JsonNode done = conforms(mc("GET", "/batches/" + id, null, null), 200);
        assertThat(done.path("status").asText()).isEqualTo("finished");
        assertThat(done.path("errored_operations").asInt()).isEqualTo(1);
        conforms(mc("GET", "/batches/" + id, "fields=id,status,response_body_url", null), 200);
        conforms(mc("GET", "/batches/0000000000", null, null), 404);
        // the listing a poll round uses when two or more batches are pending
        JsonNode listed = conforms(mc("GET", "/batches", "count=1000&fields=total_items,batches.id,batches.status,"
                + "batches.response_body_url,batches.finished_operations,batches.total_operations", null), 200);
        assertThat(listed.path("total_items").asInt()).isEqualTo(1);
        assertThat(listed.path("batches").get(0).path("id").asText()).isEqualTo(id);
        assertThat(listed.path("batches").get(0).path("status").asText()).isEqualTo("finished");
        responseConforms(mc("GET", "/batches", "count=1001", null), 400);
        // an operation without its required method breaks the spec: the refusal must follow it
        responseConforms(mc("POST", "/batches", null, Wire.json(Map.of("operations", List.of(Map.of("path", "/ping"))))), 400);
        responseConforms(Wire.send(server.baseUrl(), "POST", "/3.0/batches", null, Wire.json(Map.of("operations", List.of()))), 401);
    }

    // ----------------------------------------------------------------------------------------------- faults

    @Test
    void faultAnswersFollowTheSpec() {
        server.faults(new FaultConfig(0, 0, 0, 1.0, 0.0, 0.0, 30000, 42));
        Set<Integer> seen = new java.util.TreeSet<>();
        for (int i = 0; i < 12; i++) {
            Wire.Exchange x = mc("GET", L + "/members", "count=1", null);
            seen.add(x.status());
            conforms(x, x.status());
        }
        assertThat(seen).contains(429, 500);
    }

    // ----------------------------------------------------------------------------------------------- coverage

    @Test
    @Order(Integer.MAX_VALUE)
    void everyOperationOfTheContractSpecIsCoveredOnSuccessAndError() {
        Map<String, Set<String>> coverage = MailchimpSpec.coverage();
        List<String> missing = new ArrayList<>();
        for (MailchimpSpec.Operation op : MailchimpSpec.OPERATIONS) {
            Set<String> seen = coverage.getOrDefault(op.key(), Set.of());
            if (!seen.contains("2xx")) {
                missing.add(op.key() + " (success)");
            }
            if (!seen.contains("default") && !seen.contains("default*")) {
                missing.add(op.key() + " (error)");
            }
        }
        assertThat(missing).as("operations never validated; coverage " + coverage).isEmpty();
    }
}

package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CopperApiTest extends SandboxTestSupport {

    @Test
    void authFailures() throws Exception {
        Res none = send("POST", server.copperBaseUrl() + "/people/search", "{}");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("success").asBoolean()).isFalse();
        assertThat(none.json().get("status").asInt()).isEqualTo(401);
        Res wrongKey = send("POST", server.copperBaseUrl() + "/people/search", "{}",
                "X-PW-AccessToken", "nope", "X-PW-UserEmail", SandboxServer.COPPER_USER_EMAIL, "X-PW-Application", "developer_api");
        assertThat(wrongKey.status()).isEqualTo(401);
        Res wrongApp = send("GET", server.copperBaseUrl() + "/account", null,
                "X-PW-AccessToken", SandboxServer.COPPER_API_KEY, "X-PW-UserEmail", SandboxServer.COPPER_USER_EMAIL,
                "X-PW-Application", "other");
        assertThat(wrongApp.status()).isEqualTo(401);
        assertThat(copper("GET", "/account", null).status()).isEqualTo(200);
    }

    @Test
    void searchPagingSortAndLimits() throws Exception {
        Res first = copper("POST", "/people/search", "{\"page_size\":5,\"sort_by\":\"email\"}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().isArray()).isTrue();
        assertThat(first.json()).hasSize(5);
        int total = Integer.parseInt(first.header("X-PW-TOTAL"));
        assertThat(total).isEqualTo(29);
        // read every page and check the order
        List<String> emails = new ArrayList<>();
        for (int page = 1; ; page++) {
            Res r = copper("POST", "/people/search", "{\"page_size\":5,\"page_number\":" + page + ",\"sort_by\":\"email\"}");
            r.json().forEach(p -> emails.add(p.path("emails").path(0).path("email").asText("").toLowerCase()));
            if (r.json().size() < 5) {
                break;
            }
        }
        assertThat(emails).hasSize(29);
        List<String> withEmail = emails.stream().filter(e -> !e.isEmpty()).toList();
        assertThat(withEmail).isSorted();
        assertThat(emails.get(emails.size() - 1)).isEmpty(); // no e-mail sorts last
        // default page size is 20
        assertThat(copper("POST", "/people/search", "{}").json()).hasSize(20);
        // limits
        Res big = copper("POST", "/people/search", "{\"page_size\":201}");
        assertThat(big.status()).isEqualTo(422);
        assertThat(copper("POST", "/people/search", "{\"page_size\":0}").status()).isEqualTo(422);
        assertThat(copper("POST", "/people/search", "{\"page_size\":200}").status()).isEqualTo(200);
        Res unknown = copper("POST", "/people/search", "{\"pageSize\":10}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("message").asText())
                .isEqualTo("Invalid input: Validation errors: Base: Unrecognized attributes specified: pageSize");
        // numbers as strings are tolerated
        assertThat(copper("POST", "/people/search", "{\"page_size\":\"3\",\"page_number\":\"1\"}").json()).hasSize(3);
    }

    @Test
    void searchFilters() throws Exception {
        Res tags = copper("POST", "/people/search", "{\"tags\":[\"client\",\"prospect\"],\"page_size\":200}");
        assertThat(tags.json()).isNotEmpty();
        tags.json().forEach(p -> assertThat(p.get("tags").toString()).containsAnyOf("client", "prospect"));
        Res email = copper("POST", "/people/search", "{\"emails\":[\"MARIE.MARTIN@acme-corp.fr\"]}");
        assertThat(email.json()).hasSize(1);
        assertThat(email.json().get(0).get("name").asText()).isEqualTo("Marie Martin");
        // minimum_modified_date inclusive, sorted by date_modified
        Res all = copper("POST", "/people/search", "{\"sort_by\":\"date_modified\",\"page_size\":200}");
        long third = all.json().get(2).get("date_modified").asLong();
        Res since = copper("POST", "/people/search",
                "{\"sort_by\":\"date_modified\",\"page_size\":200,\"minimum_modified_date\":" + third + "}");
        assertThat(since.json()).hasSize(all.json().size() - 2);
        assertThat(since.json().get(0).get("date_modified").asLong()).isEqualTo(third);
        Res desc = copper("POST", "/people/search", "{\"sort_by\":\"date_modified\",\"sort_direction\":\"desc\",\"page_size\":1}");
        assertThat(desc.json().get(0).get("date_modified").asLong())
                .isEqualTo(all.json().get(all.json().size() - 1).get("date_modified").asLong());
    }

    @Test
    void searchCapsAt100000() throws Exception {
        ObjectNode state = server.dump();
        ArrayNode people = (ArrayNode) state.with("copper").withArray("people");
        people.removeAll();
        for (int i = 1; i <= 100_200; i++) {
            ObjectNode p = people.addObject();
            p.put("id", i);
            p.put("name", "P " + i);
            p.putArray("emails").addObject().put("email", "p" + i + "@exemple.fr").put("category", "work");
            p.put("date_created", 1_700_000_000L + i);
            p.put("date_modified", 1_700_000_000L + i);
        }
        server.load(state);
        Res r = copper("POST", "/people/search", "{\"sort_by\":\"date_modified\",\"page_size\":200,\"page_number\":500}");
        assertThat(r.header("X-PW-TOTAL")).isEqualTo("100000");
        assertThat(r.json()).hasSize(200);
        assertThat(r.json().get(199).get("id").asLong()).isEqualTo(100_000);
        Res beyond = copper("POST", "/people/search", "{\"sort_by\":\"date_modified\",\"page_size\":200,\"page_number\":501}");
        assertThat(beyond.json()).isEmpty();
        Res window = copper("POST", "/people/search",
                "{\"sort_by\":\"date_modified\",\"page_size\":200,\"minimum_modified_date\":" + (1_700_000_000L + 100_001) + "}");
        assertThat(window.header("X-PW-TOTAL")).isEqualTo("200");
    }

    @Test
    void createUpdateDeleteAndUniqueEmail() throws Exception {
        Res c = copper("POST", "/people", "{\"name\":\"Aurélie Fontaine\",\"emails\":[{\"email\":\"aurelie@exemple.fr\",\"category\":\"work\"}],\"tags\":[\"x\"]}");
        assertThat(c.status()).isEqualTo(200);
        JsonNode p = c.json();
        assertThat(p.get("first_name").asText()).isEqualTo("Aurélie");
        assertThat(p.get("last_name").asText()).isEqualTo("Fontaine");
        assertThat(p.get("date_created").asLong()).isEqualTo(p.get("date_modified").asLong());
        assertThat(p.has("custom_fields")).isTrue();
        assertThat(p.has("leads_converted_from")).isTrue();
        long id = p.get("id").asLong();
        Res dup = copper("POST", "/people", "{\"name\":\"Autre\",\"emails\":[{\"email\":\"AURELIE@exemple.fr\",\"category\":\"work\"}]}");
        assertThat(dup.status()).isEqualTo(422);
        assertThat(dup.json().get("message").asText())
                .isEqualTo("Invalid input: Validation errors: Emails: AURELIE@exemple.fr has already been taken");
        Res noName = copper("POST", "/people", "{\"emails\":[]}");
        assertThat(noName.json().get("message").asText()).isEqualTo("Invalid input: Validation errors: Name: can't be blank");
        Res invalid = copper("POST", "/people", "{\"name\":\"X\",\"emails\":[{\"email\":\"bad@\",\"category\":\"work\"}]}");
        assertThat(invalid.json().get("message").asText()).isEqualTo("Invalid input: Validation errors: Emails: bad@ is invalid");
        Res upd = copper("PUT", "/people/" + id, "{\"tags\":[\"y\",\"z\"]}");
        assertThat(upd.json().get("tags").toString()).isEqualTo("[\"y\",\"z\"]");
        assertThat(upd.json().get("name").asText()).isEqualTo("Aurélie Fontaine");
        Res byEmail = copper("POST", "/people/fetch_by_email", "{\"email\":\"aurelie@exemple.fr\"}");
        assertThat(byEmail.json().get("id").asLong()).isEqualTo(id);
        Res del = copper("DELETE", "/people/" + id, null);
        assertThat(del.json().get("is_deleted").asBoolean()).isTrue();
        assertThat(copper("GET", "/people/" + id, null).status()).isEqualTo(404);
        Res nf = copper("POST", "/people/fetch_by_email", "{\"email\":\"aurelie@exemple.fr\"}");
        assertThat(nf.status()).isEqualTo(404);
        assertThat(nf.json().get("message").asText()).isEqualTo("Resource not found");
    }

    @Test
    void bulkLimitsAndPerItemErrors() throws Exception {
        StringBuilder sb = new StringBuilder("{\"people\":[");
        for (int i = 0; i < 11; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"name\":\"B").append(i).append("\"}");
        }
        Res tooBig = copper("POST", "/people/bulk_create", sb.append("]}").toString());
        assertThat(tooBig.status()).isEqualTo(422);
        assertThat(tooBig.json().get("error").asText()).isEqualTo("Request size too large, limit is 10");
        Res mixed = copper("POST", "/people/bulk_create", "{\"people\":[{\"name\":\"Ok One\"},{\"emails\":[]},"
                + "{\"name\":\"Dup\",\"emails\":[{\"email\":\"test1@exemple.fr\",\"category\":\"work\"}]}]}");
        assertThat(mixed.status()).isEqualTo(200);
        assertThat(mixed.json().get(0).get("id").isNumber()).isTrue();
        assertThat(mixed.json().get(1).get("success").asBoolean()).isFalse();
        assertThat(mixed.json().get(1).get("message").get("name").get(0).get("error").asText()).isEqualTo("can't be blank");
        assertThat(mixed.json().get(2).get("message").has("emails")).isTrue();
        long id = mixed.json().get(0).get("id").asLong();
        Res upd = copper("POST", "/people/bulk_update", "{\"people\":[{\"id\":" + id + ",\"title\":\"CEO\"},{\"id\":999999,\"title\":\"x\"}]}");
        assertThat(upd.json().get(0).get("title").asText()).isEqualTo("CEO");
        assertThat(upd.json().get(1).get("success").asBoolean()).isFalse();
        assertThat(upd.json().get(1).get("id").asLong()).isEqualTo(999999);
    }

    @Test
    void tagsAndSeedEdgeCases() throws Exception {
        Res tags = copper("GET", "/tags", null);
        assertThat(tags.json().toString()).contains("🗑️ À SUPPRIMER").contains("📥 INACTIF");
        Res dup = copper("POST", "/people/search", "{\"emails\":[\"nathalie.leroy@exemple.fr\"]}");
        assertThat(dup.json()).hasSize(2);
        assertThat(copper("GET", "/custom_field_definitions", null).json().isArray()).isTrue();
    }
}

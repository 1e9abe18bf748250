package io.cmsync.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;

/**
 * The sandbox's Copper answers against the official Postman examples (2019), the tap-copper JSON schemas and the
 * observed error bodies (copies in {@code src/test/resources/contract/copper/}).
 */
class CopperSandboxContractTest {
    static SandboxServer server;

    static final JsonNode SEARCH_EXAMPLE_PERSON = CopperReference.example("3-people-list-people-search.json").get(0);
    static final JsonNode PERSON_SCHEMA = CopperReference.schema("people.json");

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

    static Wire.Exchange copper(String method, String path, String body) {
        return Wire.send(server.baseUrl(), method, "/developer_api/v1" + path, null, body, Wire.copperHeaders());
    }

    static Map<String, Object> richPerson(String email) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "Taylor Lowe");
        p.put("emails", List.of(Map.of("email", email, "category", "work")));
        p.put("address", Map.of("street", "221 Main Street", "city", "Vancouver", "state", "BC",
                "postal_code", "A1A1A1", "country", "CA"));
        p.put("phone_numbers", List.of(Map.of("number", "4158546956", "category", "work")));
        p.put("socials", List.of(Map.of("url", "https://www.linkedin.com/in/x", "category", "linkedin")));
        p.put("websites", List.of(Map.of("url", "www.example.fr", "category", "work")));
        p.put("tags", List.of("newsletter"));
        p.put("title", "Business Development");
        p.put("details", "détails");
        return p;
    }

    /** A person answer: every field of the official example with its JSON type, only tap-schema fields, Unix seconds. */
    static void assertPerson(JsonNode person, JsonNode example) {
        assertThat(CopperReference.shapeDiff(example, person)).as("against the official example: " + person).isEmpty();
        assertThat(CopperReference.shapeDiff(SEARCH_EXAMPLE_PERSON, person)).as("against the full search example: " + person)
                .isEmpty();
        assertThat(CopperReference.schemaDiff(PERSON_SCHEMA, person)).as("against tap-copper people.json: " + person).isEmpty();
        for (String f : CopperReference.TIMESTAMPS) {
            JsonNode t = person.get(f);
            if (t != null && !t.isNull()) {
                assertThat(t.isIntegralNumber()).as(f + " is an integer: " + t).isTrue();
                assertThat(String.valueOf(t.asLong())).as(f + " is Unix seconds (10 digits)").hasSize(10);
            }
        }
        assertThat(person.get("date_created").isIntegralNumber()).isTrue();
        assertThat(person.get("date_modified").isIntegralNumber()).isTrue();
    }

    static void assertJson(Wire.Exchange x) {
        assertThat(x.responseHeader("Content-Type")).as(x.toString()).startsWith("application/json");
    }

    @Test
    void personAnswersMatchTheOfficialExamples() {
        Wire.Exchange created = copper("POST", "/people", Wire.json(richPerson("taylor@exemple.fr")));
        assertThat(created.status()).isEqualTo(200); // Copper creates with 200, not 201
        assertJson(created);
        assertPerson(created.json(), CopperReference.example("3-people-create-a-new-person.json"));
        long id = created.json().get("id").asLong();

        Wire.Exchange byId = copper("GET", "/people/" + id, null);
        assertThat(byId.status()).isEqualTo(200);
        assertPerson(byId.json(), SEARCH_EXAMPLE_PERSON);

        Wire.Exchange byEmail = copper("POST", "/people/fetch_by_email", Wire.json(Map.of("email", "TAYLOR@exemple.fr")));
        assertThat(byEmail.status()).isEqualTo(200);
        assertPerson(byEmail.json(), CopperReference.example("3-people-fetch-a-person-by-email.json"));

        Wire.Exchange updated = copper("PUT", "/people/" + id, Wire.json(Map.of("details", "This is an update")));
        assertThat(updated.status()).isEqualTo(200);
        assertPerson(updated.json(), CopperReference.example("3-people-update-a-person.json"));

        Wire.Exchange deleted = copper("DELETE", "/people/" + id, null);
        assertThat(deleted.status()).isEqualTo(200);
        JsonNode deleteExample = CopperReference.example("3-people-delete-a-person.json");
        assertThat(CopperReference.shapeDiff(deleteExample, deleted.json())).isEmpty();
        assertThat(fieldNames(deleted.json())).isEqualTo(fieldNames(deleteExample));
    }

    @Test
    void everySeedPersonMatchesTheSchema() {
        JsonNode all = copper("POST", "/people/search", Wire.json(Map.of("page_size", 200))).json();
        assertThat(all.size()).isGreaterThan(20);
        for (JsonNode p : all) {
            assertPerson(p, SEARCH_EXAMPLE_PERSON);
        }
    }

    @Test
    void searchIsABareArrayWithTotalHeader() {
        Wire.Exchange x = copper("POST", "/people/search", Wire.json(Map.of("page_size", 25, "sort_by", "name")));
        assertThat(x.status()).isEqualTo(200);
        assertJson(x);
        assertThat(x.json().isArray()).isTrue();
        assertThat(x.responseHeader("X-PW-TOTAL")).matches("\\d+");
        assertThat(Integer.parseInt(x.responseHeader("X-PW-TOTAL"))).isGreaterThanOrEqualTo(x.json().size());
        // the example request of the official collection is accepted as it is
        JsonNode exampleRequest = CopperReference.read("official-postman-examples-2019/3-people-list-people-search.json")
                .path("request_body_example");
        assertThat(copper("POST", "/people/search", exampleRequest.toString()).status()).isEqualTo(200);
        Wire.Exchange empty = copper("POST", "/people/search", Wire.json(Map.of("emails", List.of("personne@nulle.part"))));
        assertThat(empty.json().isArray()).isTrue();
        assertThat(empty.json().size()).isZero();
        assertThat(empty.responseHeader("X-PW-TOTAL")).isEqualTo("0");
    }

    @Test
    void accountAndTags() {
        Wire.Exchange account = copper("GET", "/account", null);
        assertThat(account.status()).isEqualTo(200);
        assertThat(CopperReference.shapeDiff(CopperReference.example("1-account-and-users-fetch-account-details.json"),
                account.json())).isEmpty();
        assertThat(CopperReference.schemaDiff(CopperReference.schema("account.json"), account.json())).isEmpty();
        Wire.Exchange tags = copper("GET", "/tags", null);
        assertThat(tags.json().isArray()).isTrue();
        assertThat(tags.json().size()).isPositive();
        for (JsonNode t : tags.json()) {
            assertThat(CopperReference.schemaDiff(CopperReference.schema("tags.json"), t)).as(t.toString()).isEmpty();
        }
    }

    @Test
    void errorBodiesMatchTheObservedOnes() {
        JsonNode notFoundRef = CopperReference.errorBody("formie-issue-653__404-resource-not-found.json");
        Wire.Exchange notFound = copper("GET", "/people/999999", null);
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json()).isEqualTo(notFoundRef); // same text too
        assertSameShape(notFoundRef, copper("POST", "/people/fetch_by_email", Wire.json(Map.of("email", "x@nulle.part"))), 404);

        JsonNode unknownAttr = CopperReference.errorBody("amp-labs__invalid-params.json");
        Wire.Exchange pageSize = copper("POST", "/people/search", Wire.json(Map.of("pageSize", 10)));
        assertThat(pageSize.status()).isEqualTo(422);
        assertThat(pageSize.json()).isEqualTo(unknownAttr);

        JsonNode blankName = CopperReference.errorBody("amp-labs__unprocessable-entity.json");
        Wire.Exchange noName = copper("POST", "/people", Wire.json(Map.of("emails",
                List.of(Map.of("email", "sans.nom@exemple.fr", "category", "work")))));
        assertThat(noName.status()).isEqualTo(422);
        assertThat(noName.json()).isEqualTo(blankName);

        JsonNode tooLarge = CopperReference.errorBody("docs__bulk-request-too-large-422.json");
        List<Map<String, Object>> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(Map.of("name", "P " + i));
        }
        Wire.Exchange bulk = copper("POST", "/people/bulk_create", Wire.json(Map.of("people", eleven)));
        assertThat(bulk.status()).isEqualTo(422);
        assertThat(bulk.json()).isEqualTo(tooLarge);

        Wire.Exchange unauthorized = Wire.send(server.baseUrl(), "GET", "/developer_api/v1/account", null, null,
                "X-PW-AccessToken", "wrong", "X-PW-Application", "developer_api",
                "X-PW-UserEmail", SandboxServer.COPPER_USER_EMAIL);
        assertSameShape(notFoundRef, unauthorized, 401);
    }

    static void assertSameShape(JsonNode reference, Wire.Exchange x, int status) {
        assertThat(x.status()).as(x.toString()).isEqualTo(status);
        assertJson(x);
        assertThat(fieldNames(x.json())).isEqualTo(fieldNames(reference));
        assertThat(CopperReference.shapeDiff(reference, x.json())).isEmpty();
        assertThat(x.json().get("status").asInt()).isEqualTo(status);
        assertThat(x.json().get("success").asBoolean()).isFalse();
    }

    @Test
    void bulkItemsAreAPersonOrTheObservedItemFailure() {
        List<Map<String, Object>> people = List.of(richPerson("bulk.un@exemple.fr"), Map.of("emails",
                List.of(Map.of("email", "bulk.deux@exemple.fr", "category", "work"))));
        Wire.Exchange created = copper("POST", "/people/bulk_create", Wire.json(Map.of("people", people)));
        assertThat(created.status()).isEqualTo(200);
        JsonNode items = created.json();
        assertThat(items.size()).isEqualTo(2);
        assertPerson(items.get(0), SEARCH_EXAMPLE_PERSON);
        JsonNode createFailure = CopperReference.errorBody("docs__bulk-create-item-failure.json");
        assertThat(CopperReference.bulkFailureDiff(createFailure, items.get(1))).isEmpty();

        long id = items.get(0).get("id").asLong();
        Wire.Exchange updated = copper("POST", "/people/bulk_update", Wire.json(Map.of("people", List.of(
                Map.of("id", id, "tags", List.of("a", "b")), Map.of("id", id, "name", "")))));
        assertThat(updated.status()).isEqualTo(200);
        assertPerson(updated.json().get(0), SEARCH_EXAMPLE_PERSON);
        JsonNode updateFailure = CopperReference.errorBody("docs__bulk-update-item-failure.json");
        assertThat(CopperReference.bulkFailureDiff(updateFailure, updated.json().get(1))).isEmpty();
    }

    /** A definition against tap-copper's schema; canonical_name is documented (§7.1, the official create example). */
    static List<String> definitionSchemaDiff(JsonNode def) {
        com.fasterxml.jackson.databind.node.ObjectNode d = ((com.fasterxml.jackson.databind.node.ObjectNode) def).deepCopy();
        d.remove("canonical_name");
        return CopperReference.schemaDiff(CopperReference.schema("custom_field_definitions.json"), d);
    }

    @Test
    void customFieldDefinitionsFollowTheOfficialExamples() {
        Wire.Exchange list = copper("GET", "/custom_field_definitions", null);
        assertThat(list.status()).isEqualTo(200);
        assertJson(list);
        assertThat(list.json().isArray()).isTrue();
        JsonNode example = CopperReference.example("custom-fields-general-list-custom-field-definitions.json");
        java.util.Set<String> types = new java.util.TreeSet<>();
        for (JsonNode d : list.json()) {
            types.add(d.path("data_type").asText());
            assertThat(definitionSchemaDiff(d)).as(d.toString()).isEmpty();
            assertThat(CopperReference.shapeDiff(example.get(0), d)).as(d.toString()).isEmpty();
            if (d.has("options")) {
                assertThat(CopperReference.shapeDiff(example.get(2), d)).as(d.toString()).isEmpty();
            }
        }
        // the demo data has every data type the product maps (§7.1)
        assertThat(types).contains("String", "Text", "Dropdown", "MultiSelect", "Date", "Checkbox", "Float",
                "Percentage", "Currency", "URL");

        long secteur = list.json().get(0).path("id").asLong();
        Wire.Exchange one = copper("GET", "/custom_field_definitions/" + secteur, null);
        assertThat(one.status()).isEqualTo(200);
        assertThat(CopperReference.shapeDiff(CopperReference.example("custom-fields-general-fetch-a-custom-field-definition.json"),
                one.json())).isEmpty();
        assertSameShape(CopperReference.errorBody("formie-issue-653__404-resource-not-found.json"),
                copper("GET", "/custom_field_definitions/999", null), 404);

        Wire.Exchange created = copper("POST", "/custom_field_definitions", Wire.json(Map.of("name", "A Dropdown",
                "data_type", "Dropdown", "available_on", List.of("lead", "person", "company"),
                "options", List.of(Map.of("name", "Option1"), Map.of("name", "Option2")))));
        assertThat(created.status()).isEqualTo(200);
        JsonNode createExamples = CopperReference.read("official-postman-examples-2019/"
                + "custom-fields-general-create-a-new-custom-field-definition.json").path("response_examples");
        JsonNode dropdownExample = createExamples.get(2).path("body");
        assertThat(fieldNames(created.json())).containsAll(fieldNames(dropdownExample));
        assertThat(CopperReference.shapeDiff(dropdownExample, created.json())).isEmpty();
        assertThat(created.json().path("options")).extracting(o -> o.path("rank").asInt()).containsExactly(0, 1);
        Wire.Exchange blank = copper("POST", "/custom_field_definitions", Wire.json(Map.of("data_type", "String")));
        assertThat(blank.json()).isEqualTo(CopperReference.errorBody("amp-labs__unprocessable-entity.json"));
    }

    @Test
    void customFieldValuesAreTypedByTheirDefinition() {
        Map<Long, JsonNode> defs = new LinkedHashMap<>();
        for (JsonNode d : copper("GET", "/custom_field_definitions", null).json()) {
            if (d.path("available_on").toString().contains("\"person\"")) {
                defs.put(d.path("id").asLong(), d);
            }
        }
        JsonNode all = copper("POST", "/people/search", Wire.json(Map.of("page_size", 200))).json();
        int set = 0;
        for (JsonNode p : all) {
            List<Long> ids = new ArrayList<>();
            for (JsonNode c : p.path("custom_fields")) {
                long id = c.path("custom_field_definition_id").asLong();
                ids.add(id);
                assertThat(CopperReference.customFieldValueDiff(defs.get(id), c.get("value"))).as(p.path("name").asText())
                        .isEmpty();
                set += c.get("value").isNull() || c.get("value").isBoolean() && !c.get("value").asBoolean()
                        || c.get("value").isArray() && c.get("value").isEmpty() ? 0 : 1;
            }
            // "every definition available on people is listed" (§4.1), in definition order
            assertThat(ids).as(p.path("name").asText()).containsExactlyElementsOf(defs.keySet());
        }
        assertThat(set).as("demo values").isGreaterThan(10);

        // a write of every kind comes back typed, through the product's own kind of call (PUT, partial)
        long id = all.get(0).path("id").asLong();
        List<Map<String, Object>> values = new ArrayList<>();
        for (JsonNode d : defs.values()) {
            Object v = switch (d.path("data_type").asText()) {
                case "Dropdown" -> d.path("options").get(1).path("id").asLong();
                case "MultiSelect" -> List.of(d.path("options").get(0).path("id").asLong());
                case "Date" -> 1767225600L;
                case "Checkbox" -> true;
                case "Float", "Percentage", "Currency" -> 12.5;
                case "URL" -> "https://exemple.fr/page";
                default -> "texte";
            };
            values.add(Map.of("custom_field_definition_id", d.path("id").asLong(), "value", v));
        }
        Wire.Exchange updated = copper("PUT", "/people/" + id, Wire.json(Map.of("custom_fields", values)));
        assertThat(updated.status()).isEqualTo(200);
        assertPerson(updated.json(), CopperReference.example("3-people-update-a-person.json"));
        for (JsonNode c : updated.json().path("custom_fields")) {
            assertThat(c.get("value").isNull()).isFalse();
            assertThat(CopperReference.customFieldValueDiff(defs.get(c.path("custom_field_definition_id").asLong()),
                    c.get("value"))).isEmpty();
        }
        Wire.Exchange wrong = copper("PUT", "/people/" + id, Wire.json(Map.of("custom_fields", List.of(
                Map.of("custom_field_definition_id", defs.keySet().iterator().next(), "value", "Industrie")))));
        assertSameShape(CopperReference.errorBody("amp-labs__unprocessable-entity.json"), wrong, 422);
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        names.sort(null);
        return names;
    }
}

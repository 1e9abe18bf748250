package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Copper custom field definitions and people's typed custom_fields (reference/copper/CONTRACT.md §7, §4). */
class CopperCustomFieldsTest extends SandboxTestSupport {
    // demo data definitions
    static final long SECTEUR = 510001;        // Dropdown: 610001 Industrie … 610005 Secteur public
    static final long CLIENT_DEPUIS = 510002;  // Date
    static final long INTERETS = 510003;       // MultiSelect: 610011, 610012, 610013
    static final long SMS = 510004;            // Checkbox
    static final long CA = 510005;             // Currency
    static final long REFERENCE = 510008;      // String
    static final long NOTES = 510009;          // Text
    static final long BUDGET = 510011;         // Currency, opportunities only
    static final long SOPHIE = 1001;
    static final long LUCAS = 1002;

    static Map<String, Object> cf(long id, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("custom_field_definition_id", id);
        m.put("value", value);
        return m;
    }

    static JsonNode value(JsonNode person, long defId) {
        for (JsonNode c : person.path("custom_fields")) {
            if (c.path("custom_field_definition_id").asLong() == defId) {
                return c.get("value");
            }
        }
        return null;
    }

    static Res put(long id, Object body) throws Exception {
        return copper("PUT", "/people/" + id, json(body));
    }

    @Test
    void definitionsAreABareArrayWithOptions() throws Exception {
        Res r = copper("GET", "/custom_field_definitions", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
        JsonNode secteur = r.json().get(0);
        assertThat(secteur.path("name").asText()).isEqualTo("Secteur");
        assertThat(secteur.path("data_type").asText()).isEqualTo("Dropdown");
        assertThat(secteur.path("options")).extracting(o -> o.path("name").asText())
                .containsExactly("Industrie", "Commerce", "Services", "Santé", "Secteur public");
        assertThat(copper("GET", "/custom_field_definitions/" + SECTEUR, null).json()).isEqualTo(secteur);
        assertThat(copper("GET", "/custom_field_definitions/42", null).status()).isEqualTo(404);
    }

    @Test
    void everyPersonListsEveryDefinitionAvailableOnPeople() throws Exception {
        JsonNode lucas = copper("GET", "/people/" + LUCAS, null).json();
        List<Long> ids = new ArrayList<>();
        lucas.path("custom_fields").forEach(c -> ids.add(c.path("custom_field_definition_id").asLong()));
        assertThat(ids).hasSize(10).doesNotContain(BUDGET); // the opportunity-only field is not listed
        // unset: null, checkbox false, multi-select []
        assertThat(value(lucas, SECTEUR).isNull()).isTrue();
        assertThat(value(lucas, SMS).asBoolean(true)).isFalse();
        assertThat(value(lucas, INTERETS).isArray()).isTrue();
        assertThat(value(lucas, INTERETS)).isEmpty();
        JsonNode sophie = copper("GET", "/people/" + SOPHIE, null).json();
        assertThat(value(sophie, SECTEUR).asLong()).isEqualTo(610001);
        assertThat(value(sophie, CLIENT_DEPUIS).asLong()).isEqualTo(1704067200L);
        assertThat(value(sophie, INTERETS).toString()).isEqualTo("[610011,610013]");
        assertThat(value(sophie, SMS).asBoolean()).isTrue();
    }

    @Test
    void writesAreTypedAndMergedByDefinition() throws Exception {
        Res r = put(LUCAS, Map.of("custom_fields", List.of(cf(SECTEUR, 610003), cf(CA, 1250.5), cf(NOTES, "Texte libre"))));
        assertThat(r.status()).isEqualTo(200);
        Res r2 = put(LUCAS, Map.of("custom_fields", List.of(cf(INTERETS, List.of(610012)), cf(CLIENT_DEPUIS, 1767225600L))));
        JsonNode p = r2.json();
        // only the listed definitions change (§2)
        assertThat(value(p, SECTEUR).asLong()).isEqualTo(610003);
        assertThat(value(p, CA).asDouble()).isEqualTo(1250.5);
        assertThat(value(p, NOTES).asText()).isEqualTo("Texte libre");
        assertThat(value(p, INTERETS).toString()).isEqualTo("[610012]");
        assertThat(value(p, CLIENT_DEPUIS).asLong()).isEqualTo(1767225600L);
        // null unsets one
        JsonNode cleared = put(LUCAS, Map.of("custom_fields", List.of(cf(SECTEUR, null)))).json();
        assertThat(value(cleared, SECTEUR).isNull()).isTrue();
        assertThat(value(cleared, NOTES).asText()).isEqualTo("Texte libre");
        // create with values
        Res created = copper("POST", "/people", json(Map.of("name", "Nina Valeur", "emails",
                List.of(Map.of("email", "nina@exemple.fr", "category", "work")),
                "custom_fields", List.of(cf(SMS, true), cf(REFERENCE, "CLI-0099")))));
        assertThat(created.status()).isEqualTo(200);
        assertThat(value(created.json(), SMS).asBoolean()).isTrue();
        assertThat(value(created.json(), REFERENCE).asText()).isEqualTo("CLI-0099");
        assertThat(created.json().path("custom_fields")).hasSize(10);
    }

    @Test
    void valuesOfTheWrongTypeAreRefused() throws Exception {
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("dropdown label instead of id", new Object[]{SECTEUR, "Industrie"});
        cases.put("unknown option", new Object[]{SECTEUR, 999});
        cases.put("multi-select not an array", new Object[]{INTERETS, 610011});
        cases.put("multi-select unknown option", new Object[]{INTERETS, List.of(610011, 1)});
        cases.put("date as text", new Object[]{CLIENT_DEPUIS, "01/01/2026"});
        cases.put("checkbox as text", new Object[]{SMS, "oui"});
        cases.put("currency as text", new Object[]{CA, "beaucoup"});
        cases.put("string over 255", new Object[]{REFERENCE, "x".repeat(256)});
        cases.put("not on people", new Object[]{BUDGET, 10});
        cases.put("unknown definition", new Object[]{424242L, "x"});
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Res r = put(SOPHIE, Map.of("title", "Changée", "custom_fields", List.of(cf((Long) c.getValue()[0], c.getValue()[1]))));
            assertThat(r.status()).as(c.getKey()).isEqualTo(422);
            assertThat(r.json().path("message").asText()).as(c.getKey())
                    .startsWith("Invalid input: Validation errors: Custom fields: ");
        }
        // nothing was written
        JsonNode sophie = copper("GET", "/people/" + SOPHIE, null).json();
        assertThat(sophie.path("title").asText()).isEqualTo("Directrice marketing");
        assertThat(value(sophie, SECTEUR).asLong()).isEqualTo(610001);
        // a bulk item fails alone
        Res bulk = copper("POST", "/people/bulk_update", json(Map.of("people", List.of(
                Map.of("id", SOPHIE, "custom_fields", List.of(cf(SMS, "oui"))),
                Map.of("id", LUCAS, "custom_fields", List.of(cf(SMS, true)))))));
        assertThat(bulk.json().get(0).path("success").asBoolean(true)).isFalse();
        assertThat(bulk.json().get(0).path("message").has("custom_fields")).isTrue();
        assertThat(value(bulk.json().get(1), SMS).asBoolean()).isTrue();
    }

    @Test
    void computedValuesGiveOptionNames() throws Exception {
        JsonNode sophie = copper("GET", "/people/" + SOPHIE + "?custom_field_computed_values=true", null).json();
        for (JsonNode c : sophie.path("custom_fields")) {
            long id = c.path("custom_field_definition_id").asLong();
            if (id == SECTEUR) {
                assertThat(c.path("computed_value").asText()).isEqualTo("Industrie");
            } else if (id == INTERETS) {
                assertThat(c.path("computed_value").toString()).isEqualTo("[\"Formations\",\"Événements\"]");
            } else {
                assertThat(c.get("computed_value")).isEqualTo(c.get("value"));
            }
        }
        assertThat(copper("GET", "/people/" + SOPHIE, null).json().path("custom_fields").get(0).has("computed_value"))
                .isFalse();
    }

    @Test
    void aCreatedDefinitionAppearsOnEveryPerson() throws Exception {
        Res d = copper("POST", "/custom_field_definitions", json(Map.of("name", "Langue", "data_type", "Dropdown",
                "available_on", List.of("person"), "options", List.of(Map.of("name", "Français"), Map.of("name", "English")))));
        assertThat(d.status()).isEqualTo(200);
        long id = d.json().path("id").asLong();
        long english = d.json().path("options").get(1).path("id").asLong();
        JsonNode lucas = copper("GET", "/people/" + LUCAS, null).json();
        assertThat(lucas.path("custom_fields")).hasSize(11);
        assertThat(value(lucas, id).isNull()).isTrue();
        assertThat(value(put(LUCAS, Map.of("custom_fields", List.of(cf(id, english)))).json(), id).asLong()).isEqualTo(english);
        Res multi = copper("POST", "/custom_field_definitions", json(Map.of("name", "M", "data_type", "MultiSelect",
                "available_on", List.of("person"), "options", List.of(Map.of("name", "Seule")))));
        assertThat(multi.status()).isEqualTo(422); // a multi-select needs two options (§7.1)
        assertThat(copper("POST", "/custom_field_definitions", json(Map.of("name", "X", "data_type", "Texte"))).status())
                .isEqualTo(422);
    }

    @Test
    void standardFieldsAreKeptAsWritten() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Gérant");
        body.put("company_name", "Petit & Fils");
        body.put("phone_numbers", List.of(Map.of("number", "06 11 22 33 44", "category", "mobile"),
                Map.of("number", "01 00 00 00 00", "category", "work")));
        body.put("address", Map.of("street", "2 place Stanislas", "city", "Nancy", "state", "Grand Est",
                "postal_code", "54000", "country", "FR"));
        body.put("websites", List.of(Map.of("url", "https://petit-et-fils.fr", "category", "work")));
        put(LUCAS, body);
        JsonNode p = copper("GET", "/people/" + LUCAS, null).json();
        for (String f : body.keySet()) {
            assertThat(p.get(f)).as(f).isEqualTo(JSON.valueToTree(body.get(f)));
        }
    }

    @Test
    void definitionsAndValuesSurviveTheStateFile() throws Exception {
        put(LUCAS, Map.of("custom_fields", List.of(cf(SECTEUR, 610004), cf(CA, 99.5))));
        JsonNode before = copper("GET", "/people/" + LUCAS, null).json();
        var state = server.dump();
        server.load(state);
        assertThat(copper("GET", "/people/" + LUCAS, null).json()).isEqualTo(before);
        assertThat(copper("GET", "/custom_field_definitions", null).json()).hasSize(11);
        assertThat(server.dump()).isEqualTo(state);
    }
}

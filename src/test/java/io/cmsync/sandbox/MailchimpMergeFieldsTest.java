package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Merge fields of an audience and the merge values of member writes (reference/mailchimp/CONTRACT.md §4.12). */
class MailchimpMergeFieldsTest extends SandboxTestSupport {
    static final String SOPHIE = "sophie.bernard@exemple.fr";

    static String hash(String email) {
        return Http.md5(email.trim().toLowerCase());
    }

    static Res patch(String email, Object mergeFields) throws Exception {
        return mc("PATCH", list("/members/" + hash(email)), json(Map.of("merge_fields", mergeFields)));
    }

    static JsonNode createField(Map<String, Object> body) throws Exception {
        Res r = mc("POST", list("/merge-fields"), json(body));
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(200);
        return r.json();
    }

    /** The documented 400: title, detail, and the errors array naming the fields. */
    static void assertMergeInvalid(Res r, String field, String messagePart) {
        assertThat(r.status()).as(String.valueOf(r.json())).isEqualTo(400);
        assertThat(r.json().path("title").asText()).isEqualTo("Invalid Resource");
        assertThat(r.json().path("detail").asText()).isEqualTo("Your merge fields were invalid.");
        assertThat(r.json().path("errors")).anySatisfy(e -> {
            assertThat(e.path("field").asText()).isEqualTo(field);
            assertThat(e.path("message").asText()).contains(messagePart);
        });
    }

    @Test
    void aNewAudienceHasTheFourDefaultFieldsAndMembersListEveryTag() throws Exception {
        server.load(JSON.readTree("{\"mailchimp\":{\"lists\":[{\"id\":\"" + SandboxServer.LIST_ID
                + "\",\"members\":[{\"email_address\":\"a@exemple.fr\",\"merge_fields\":{\"FNAME\":\"A\"}}]}]}}"));
        JsonNode mf = mc("GET", list("/merge-fields"), null).json();
        assertThat(mf.path("merge_fields")).extracting(f -> f.path("tag").asText())
                .containsExactly("FNAME", "LNAME", "ADDRESS", "PHONE");
        assertThat(mf.path("merge_fields").get(2).path("type").asText()).isEqualTo("address");
        JsonNode m = mc("GET", list("/members/" + hash("a@exemple.fr")), null).json();
        // values not set are "" (observed), one key per defined merge field
        assertThat(m.path("merge_fields").toString())
                .isEqualTo("{\"FNAME\":\"A\",\"LNAME\":\"\",\"ADDRESS\":\"\",\"PHONE\":\"\"}");
        assertThat(mc("GET", list(""), null).json().path("stats").path("merge_field_count").asInt()).isEqualTo(4);
    }

    @Test
    void pagingAndFilters() throws Exception {
        JsonNode all = mc("GET", list("/merge-fields?count=3&offset=3"), null).json();
        assertThat(all.path("merge_fields")).extracting(f -> f.path("tag").asText())
                .containsExactly("PHONE", "COMPANY", "SECTEUR");
        assertThat(all.path("total_items").asInt()).isEqualTo(7);
        assertThat(mc("GET", list("/merge-fields?type=text"), null).json().path("total_items").asInt()).isEqualTo(3);
        createField(Map.of("name", "Civilité", "type", "radio", "tag", "CIVILITE", "required", true,
                "options", Map.of("choices", List.of("Mme", "M."))));
        JsonNode req = mc("GET", list("/merge-fields?required=true"), null).json();
        assertThat(req.path("merge_fields")).extracting(f -> f.path("tag").asText()).containsExactly("CIVILITE");
    }

    @Test
    void createAssignsIdsTagsAndTypeOptions() throws Exception {
        JsonNode f = createField(Map.of("name", "Effectif", "type", "number"));
        assertThat(f.path("merge_id").asInt()).isEqualTo(8);
        assertThat(f.path("tag").asText()).isEqualTo("MMERGE8");
        assertThat(f.path("display_order").asInt()).isEqualTo(9);
        assertThat(createField(Map.of("name", "Site", "type", "text", "tag", "site")).path("options").path("size").asInt())
                .isEqualTo(25);
        assertThat(mc("POST", list("/merge-fields"), json(Map.of("name", "Dupliqué", "type", "text", "tag", "SITE")))
                .status()).isEqualTo(400);
        Res longTag = mc("POST", list("/merge-fields"), json(Map.of("name", "Long", "type", "text", "tag", "TROPLONGTAG1")));
        assertThat(longTag.status()).isEqualTo(400);
        assertThat(longTag.json().path("errors").get(0).path("field").asText()).isEqualTo("tag");
        Res badType = mc("POST", list("/merge-fields"), json(Map.of("name", "X", "type", "checkbox")));
        assertThat(badType.json().path("errors").get(0).path("field").asText()).isEqualTo("type");
        Res noChoices = mc("POST", list("/merge-fields"), json(Map.of("name", "Choix", "type", "dropdown")));
        assertThat(noChoices.status()).isEqualTo(400);
        // the new field is on every member at once
        assertThat(mc("GET", list("/members/" + hash(SOPHIE)), null).json().path("merge_fields").has("SITE")).isTrue();
    }

    @Test
    void theAudienceHoldsAtMostThirtyMergeFields() throws Exception {
        for (int i = 8; i <= 30; i++) {
            createField(Map.of("name", "Champ " + i, "type", "text"));
        }
        Res refused = mc("POST", list("/merge-fields"), json(Map.of("name", "Champ 31", "type", "text")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("detail").asText()).contains("you cannot create more merge fields than 30");
        assertThat(mc("GET", list("/merge-fields?count=100"), null).json().path("total_items").asInt()).isEqualTo(30);
    }

    @Test
    void textIsTruncatedTo255BytesWithoutSplittingACharacter() throws Exception {
        String longText = "é".repeat(200); // 400 bytes in UTF-8
        JsonNode m = patch(SOPHIE, Map.of("COMPANY", longText)).json();
        String company = m.path("merge_fields").path("COMPANY").asText();
        assertThat(company.getBytes(StandardCharsets.UTF_8).length).isEqualTo(254);
        assertThat(company).isEqualTo("é".repeat(127));
    }

    @Test
    void unknownTagsAreRefusedAndNothingChanges() throws Exception {
        Res r = mc("PATCH", list("/members/" + hash(SOPHIE)),
                json(Map.of("status", "unsubscribed", "merge_fields", Map.of("FNAME", "Autre", "SOCIETE", "X"))));
        assertMergeInvalid(r, "SOCIETE", "SOCIETE");
        JsonNode m = mc("GET", list("/members/" + hash(SOPHIE)), null).json();
        assertThat(m.path("status").asText()).isEqualTo("subscribed");
        assertThat(m.path("merge_fields").path("FNAME").asText()).isEqualTo("Sophie");
    }

    @Test
    void dropdownAndRadioValuesMustBeOneOfTheChoices() throws Exception {
        assertMergeInvalid(patch(SOPHIE, Map.of("SECTEUR", "Agriculture")), "SECTEUR", "Secteur public");
        assertMergeInvalid(patch(SOPHIE, Map.of("SECTEUR", "santé")), "SECTEUR", "Santé"); // exact match
        assertThat(patch(SOPHIE, Map.of("SECTEUR", "Santé")).json().path("merge_fields").path("SECTEUR").asText())
                .isEqualTo("Santé");
        // "" clears the value
        assertThat(patch(SOPHIE, Map.of("SECTEUR", "")).json().path("merge_fields").path("SECTEUR").asText()).isEmpty();
    }

    @Test
    void typedValues() throws Exception {
        createField(Map.of("name", "Effectif", "type", "number", "tag", "EFFECTIF"));
        createField(Map.of("name", "Anniversaire", "type", "birthday", "tag", "BIRTHDAY"));
        createField(Map.of("name", "Code postal", "type", "zip", "tag", "ZIP"));
        createField(Map.of("name", "Site web", "type", "url", "tag", "SITE"));
        createField(Map.of("name", "Téléphone US", "type", "phone", "tag", "USPHONE",
                "options", Map.of("phone_format", "US")));
        createField(Map.of("name", "Entrée", "type", "date", "tag", "ENTREE")); // default MM/DD/YYYY

        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("EFFECTIF", "42");
        ok.put("BIRTHDAY", "1/22");
        ok.put("ZIP", "54000");
        ok.put("SITE", "https://exemple.fr");
        ok.put("USPHONE", "(415) 555-0100");
        ok.put("PHONE", "+33 6 12 34 56 78");
        ok.put("ENTREE", "12/31/2025");
        ok.put("CLIENTDEP", "31/12/2025"); // the demo field is DD/MM/YYYY
        ok.put("ADDRESS", Map.of("addr1", "1 rue Haute", "city", "Nancy", "state", "Grand Est", "zip", "54000"));
        Res r = patch(SOPHIE, ok);
        assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
        JsonNode mf = r.json().path("merge_fields");
        assertThat(mf.path("EFFECTIF").isNumber()).isTrue();
        assertThat(mf.path("EFFECTIF").asInt()).isEqualTo(42);
        assertThat(mf.path("BIRTHDAY").asText()).isEqualTo("01/22");
        assertThat(mf.path("ENTREE").asText()).isEqualTo("2025-12-31");
        assertThat(mf.path("CLIENTDEP").asText()).isEqualTo("2025-12-31");
        assertThat(mf.path("ADDRESS").toString()).isEqualTo("{\"addr1\":\"1 rue Haute\",\"addr2\":\"\",\"city\":\"Nancy\","
                + "\"state\":\"Grand Est\",\"zip\":\"54000\",\"country\":\"\"}");
        // the other documented date forms
        assertThat(patch(SOPHIE, Map.of("ENTREE", "2026/02/03")).json().path("merge_fields").path("ENTREE").asText())
                .isEqualTo("2026-02-03");
        assertThat(patch(SOPHIE, Map.of("ENTREE", "03-02-2026")).json().path("merge_fields").path("ENTREE").asText())
                .isEqualTo("2026-02-03");

        assertMergeInvalid(patch(SOPHIE, Map.of("EFFECTIF", "beaucoup")), "EFFECTIF", "number");
        assertMergeInvalid(patch(SOPHIE, Map.of("BIRTHDAY", "22/01")), "BIRTHDAY", "MM/DD");
        assertMergeInvalid(patch(SOPHIE, Map.of("ZIP", "5400")), "ZIP", "zip");
        assertMergeInvalid(patch(SOPHIE, Map.of("SITE", "pas une adresse")), "SITE", "URL");
        assertMergeInvalid(patch(SOPHIE, Map.of("USPHONE", "12")), "USPHONE", "phone");
        assertMergeInvalid(patch(SOPHIE, Map.of("CLIENTDEP", "12/31/2025")), "CLIENTDEP", "DD/MM/YYYY");
        assertMergeInvalid(patch(SOPHIE, Map.of("ADDRESS", Map.of("addr1", "1 rue Haute", "zip", "54000"))),
                "ADDRESS", "address");
        assertMergeInvalid(patch(SOPHIE, Map.of("COMPANY", Map.of("nom", "X"))), "COMPANY", "value");
        // several invalid fields: one errors[] item each
        Res two = patch(SOPHIE, Map.of("ZIP", "1", "EFFECTIF", "x"));
        assertThat(two.json().path("errors")).hasSize(2);
        // the valid values of the first write are still there
        assertThat(mc("GET", list("/members/" + hash(SOPHIE)), null).json().path("merge_fields").path("ZIP").asText())
                .isEqualTo("54000");
    }

    @Test
    void requiredFieldsMustBeFilledWhenAMemberIsAdded() throws Exception {
        createField(Map.of("name", "Civilité", "type", "radio", "tag", "CIVILITE", "required", true,
                "options", Map.of("choices", List.of("Mme", "M."))));
        String body = json(Map.of("email_address", "nouvelle@exemple.fr", "status", "subscribed",
                "merge_fields", Map.of("FNAME", "Nouvelle")));
        Res refused = mc("POST", list("/members"), body);
        assertMergeInvalid(refused, "CIVILITE", "Please enter a value"); // the documented message
        assertThat(refused.json().path("errors")).hasSize(1);
        assertThat(mc("GET", list("/members/" + hash("nouvelle@exemple.fr")), null).status()).isEqualTo(404);
        Res upsert = mc("PUT", list("/members/" + hash("nouvelle@exemple.fr")), json(Map.of(
                "email_address", "nouvelle@exemple.fr", "status_if_new", "subscribed")));
        assertMergeInvalid(upsert, "CIVILITE", "Please enter a value");
        // ?skip_merge_validation=true bypasses the rule (documented)
        assertThat(mc("POST", list("/members?skip_merge_validation=true"), body).status()).isEqualTo(200);
        // an existing member need not send it; sending it empty is refused
        assertThat(patch(SOPHIE, Map.of("FNAME", "Sophie-Anne")).status()).isEqualTo(200);
        assertMergeInvalid(patch(SOPHIE, Map.of("CIVILITE", "")), "CIVILITE", "Please enter a value");
        // batch subscribe: the member is refused in errors[], the others are added
        Res batch = mc("POST", list(""), json(Map.of("members", List.of(
                Map.of("email_address", "lot.a@exemple.fr", "status", "subscribed"),
                Map.of("email_address", "lot.b@exemple.fr", "status", "subscribed",
                        "merge_fields", Map.of("CIVILITE", "Mme"))))));
        assertThat(batch.json().path("total_created").asInt()).isEqualTo(1);
        JsonNode err = batch.json().path("errors").get(0);
        assertThat(err.path("email_address").asText()).isEqualTo("lot.a@exemple.fr");
        assertThat(err.path("field").asText()).isEqualTo("CIVILITE");
        assertThat(err.path("field_message").asText()).isEqualTo("Please enter a value");
    }

    @Test
    void batchOperationsAreCheckedLikeDirectCalls() throws Exception {
        List<Map<String, Object>> ops = List.of(
                Map.of("method", "PATCH", "path", "/lists/" + SandboxServer.LIST_ID + "/members/" + hash(SOPHIE),
                        "body", json(Map.of("merge_fields", Map.of("SECTEUR", "Agriculture"))), "operation_id", "bad"),
                Map.of("method", "PATCH", "path", "/lists/" + SandboxServer.LIST_ID + "/members/" + hash(SOPHIE),
                        "body", json(Map.of("merge_fields", Map.of("COMPANY", "Atelier B."))), "operation_id", "good"));
        String id = mc("POST", "/batches", json(Map.of("operations", ops))).json().path("id").asText();
        JsonNode done = mc("GET", "/batches/" + id, null).json();
        assertThat(done.path("status").asText()).isEqualTo("finished");
        assertThat(done.path("errored_operations").asInt()).isEqualTo(1);
        JsonNode mf = mc("GET", list("/members/" + hash(SOPHIE)), null).json().path("merge_fields");
        assertThat(mf.path("SECTEUR").asText()).isEqualTo("Industrie");
        assertThat(mf.path("COMPANY").asText()).isEqualTo("Atelier B.");
    }

    @Test
    void aRequiredFieldWithADefaultValueTakesIt() throws Exception {
        createField(Map.of("name", "Origine", "type", "text", "tag", "ORIGINE", "required", true,
                "default_value", "Copper"));
        Res r = mc("POST", list("/members"), json(Map.of("email_address", "defaut@exemple.fr", "status", "subscribed")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("merge_fields").path("ORIGINE").asText()).isEqualTo("Copper");
    }

    @Test
    void membersWithMoreThanFiftyTagsShowFiftyAndTheRealCount() throws Exception {
        List<Map<String, String>> tags = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            tags.add(Map.of("name", "Tag " + i, "status", "active"));
        }
        assertThat(mc("POST", list("/members/" + hash(SOPHIE) + "/tags"), json(Map.of("tags", tags))).status())
                .isEqualTo(204);
        JsonNode m = mc("GET", list("/members/" + hash(SOPHIE)), null).json();
        assertThat(m.path("tags_count").asInt()).isEqualTo(61); // + "Webinar 2025" of the demo data
        assertThat(m.path("tags")).hasSize(50); // "Returns up to 50 tags" (§3)
        JsonNode listed = mc("GET", list("/members?count=1000"), null).json();
        for (JsonNode x : listed.path("members")) {
            if (x.path("email_address").asText().equals(SOPHIE)) {
                assertThat(x.path("tags")).hasSize(50);
            }
        }
        // the member-tags endpoint pages through all of them
        JsonNode p1 = mc("GET", list("/members/" + hash(SOPHIE) + "/tags?count=50&offset=0"), null).json();
        JsonNode p2 = mc("GET", list("/members/" + hash(SOPHIE) + "/tags?count=50&offset=50"), null).json();
        assertThat(p1.path("total_items").asInt()).isEqualTo(61);
        assertThat(p1.path("tags")).hasSize(50);
        assertThat(p2.path("tags")).hasSize(11);
        assertThat(p2.path("tags").get(10).path("name").asText()).isEqualTo("Tag 60");
        assertThat(p2.path("tags").get(10).path("date_added").asText()).isNotBlank();
        // a tag beyond the first 50 made inactive is gone from the endpoint, and the count follows
        mc("POST", list("/members/" + hash(SOPHIE) + "/tags"),
                json(Map.of("tags", List.of(Map.of("name", "Tag 60", "status", "inactive")))));
        JsonNode after = mc("GET", list("/members/" + hash(SOPHIE) + "/tags?count=1000"), null).json();
        assertThat(after.path("total_items").asInt()).isEqualTo(60);
        assertThat(after.path("tags").toString()).doesNotContain("\"Tag 60\"");
        assertThat(mc("GET", list("/members/" + hash(SOPHIE)), null).json().path("tags_count").asInt()).isEqualTo(60);
    }

    @Test
    void definitionsAndTypedValuesSurviveTheStateFile() throws Exception {
        createField(Map.of("name", "Effectif", "type", "number", "tag", "EFFECTIF"));
        patch(SOPHIE, Map.of("EFFECTIF", 12, "ADDRESS",
                Map.of("addr1", "1 rue Haute", "city", "Nancy", "state", "Grand Est", "zip", "54000")));
        JsonNode before = mc("GET", list("/members/" + hash(SOPHIE)), null).json().path("merge_fields");
        var state = server.dump();
        server.load(JSON.readTree("{}"));
        server.load(state);
        JsonNode after = mc("GET", list("/members/" + hash(SOPHIE)), null).json().path("merge_fields");
        assertThat(after).isEqualTo(before);
        assertThat(after.path("EFFECTIF").isNumber()).isTrue();
        assertThat(mc("GET", list("/merge-fields?type=number"), null).json().path("merge_fields").get(0)
                .path("merge_id").asInt()).isEqualTo(8);
        assertThat(server.dump()).isEqualTo(state);
    }
}

package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field mapping end to end against the sandbox (issue 15): every Copper field kind and every Mailchimp merge type,
 * Copper → Mailchimp and Mailchimp → Copper, an update each way, a conflict, a refused value, and a mapping the
 * audience cannot serve.
 */
class FieldMappingScenarioTest {
    static final String ALICE = "alice@exemple.fr";
    static final String BRUNO = "bruno@exemple.fr";

    /** One entry per Copper field kind and per custom field data type, each to a merge field of a fitting type. */
    static final String MAPPING = """
            fields:
              - name: telephone
                copper: phone_numbers.work
                mailchimp: PHONE
              - name: societe
                copper: company_name
                mailchimp: COMPANY
              - name: fonction
                copper: title
                mailchimp: JOBTITLE
              - name: adresse
                copper: address
                mailchimp: ADDRESS
              - name: siteweb
                copper: websites
                mailchimp: SITEWEB
              - name: secteur
                copper: custom:Secteur
                mailchimp: SECTEUR
              - name: client_depuis
                copper: custom:Client depuis
                mailchimp: CLIENTDEP
              - name: interets
                copper: custom:Centres d'intérêt
                mailchimp: INTERETS
              - name: newsletter
                copper: custom:Newsletter
                mailchimp: NEWSL
              - name: score
                copper: custom:Score
                mailchimp: SCORE
              - name: taux
                copper: custom:Taux
                mailchimp: TAUX
              - name: ca
                copper: custom:CA
                mailchimp: CA
              - name: lien
                copper: custom:Lien
                mailchimp: LIEN
              - name: notes
                copper: custom:Notes
                mailchimp: NOTES
              - name: code
                copper: custom:Code
                mailchimp: CODE
              - name: canal
                copper: custom:Canal
                mailchimp: CANAL
              - name: anniversaire
                copper: custom:Anniversaire
                mailchimp: ANNIV
                direction: copper-to-mailchimp
            """;

    @TempDir
    Path dir;
    SyncHarness h;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    static long day(String iso) {
        return LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    private void start(Seed seed, String mapping) throws Exception {
        ObjectNode state = seed.build();
        ArrayNode defs = ((ObjectNode) state.path("copper")).putArray("custom_field_definitions");
        custom(defs, 9001, "Secteur", "Dropdown", "Industrie", 9101, "Commerce", 9102);
        custom(defs, 9002, "Client depuis", "Date");
        custom(defs, 9003, "Centres d'intérêt", "MultiSelect", "Vélo", 9111, "Cuisine", 9112, "Jardin", 9113);
        custom(defs, 9004, "Newsletter", "Checkbox");
        custom(defs, 9005, "Score", "Float");
        custom(defs, 9006, "Taux", "Percentage");
        custom(defs, 9007, "CA", "Currency").put("currency", "EUR");
        custom(defs, 9008, "Lien", "URL");
        custom(defs, 9009, "Notes", "Text");
        custom(defs, 9010, "Code", "String");
        custom(defs, 9011, "Anniversaire", "Date");
        custom(defs, 9012, "Canal", "Dropdown", "Web", 9121, "Salon", 9122);

        ArrayNode merge = ((ObjectNode) state.path("mailchimp").path("lists").get(0)).putArray("merge_fields");
        int id = 1;
        mergeField(merge, id++, "FNAME", "text");
        mergeField(merge, id++, "LNAME", "text");
        mergeField(merge, id++, "ADDRESS", "address");
        mergeField(merge, id++, "PHONE", "phone").putObject("options").put("phone_format", "none");
        mergeField(merge, id++, "COMPANY", "text");
        mergeField(merge, id++, "JOBTITLE", "text");
        mergeField(merge, id++, "SITEWEB", "url");
        choices(mergeField(merge, id++, "SECTEUR", "dropdown"), "Industrie", "Commerce");
        mergeField(merge, id++, "CLIENTDEP", "date").putObject("options").put("date_format", "DD/MM/YYYY");
        mergeField(merge, id++, "INTERETS", "text");
        mergeField(merge, id++, "NEWSL", "text");
        mergeField(merge, id++, "SCORE", "number");
        mergeField(merge, id++, "TAUX", "number");
        mergeField(merge, id++, "CA", "number");
        mergeField(merge, id++, "LIEN", "url");
        mergeField(merge, id++, "NOTES", "text");
        mergeField(merge, id++, "CODE", "zip");
        choices(mergeField(merge, id++, "CANAL", "radio"), "Web", "Salon");
        mergeField(merge, id, "ANNIV", "birthday").putObject("options").put("date_format", "MM/DD");

        h = new SyncHarness(dir, state);
        if (mapping != null) {
            Files.writeString(dir.resolve("config/mapping.yaml"), mapping, StandardCharsets.UTF_8);
            h.properties.put("mapping.file", dir.resolve("config/mapping.yaml").toString());
        }
    }

    private static ObjectNode custom(ArrayNode defs, long id, String name, String type, Object... options) {
        ObjectNode d = defs.addObject();
        d.put("id", id);
        d.put("name", name);
        d.put("data_type", type);
        d.putArray("available_on").add("person");
        if (options.length > 0) {
            ArrayNode o = d.putArray("options");
            for (int i = 0; i < options.length; i += 2) {
                o.addObject().put("id", ((Number) options[i + 1]).longValue()).put("name", (String) options[i])
                        .put("rank", i / 2);
            }
        }
        return d;
    }

    private static ObjectNode mergeField(ArrayNode merge, int id, String tag, String type) {
        ObjectNode m = merge.addObject();
        m.put("merge_id", id);
        m.put("tag", tag);
        m.put("name", tag);
        m.put("type", type);
        m.put("required", false);
        return m;
    }

    private static void choices(ObjectNode field, String... choices) {
        ArrayNode a = field.putObject("options").putArray("choices");
        for (String c : choices) {
            a.add(c);
        }
    }

    /** Alice in Copper, every mapped field set. */
    private static void everyCopperField(ObjectNode p) {
        p.put("title", "Gérante");
        p.put("company_name", "Atelier Alice");
        p.putArray("phone_numbers").addObject().put("number", "+33 4 72 00 00 01").put("category", "work");
        p.putObject("address").put("street", "1 rue de la Paix").put("city", "Lyon").put("state", "ARA")
                .put("postal_code", "69001").put("country", "FR");
        p.putArray("websites").addObject().put("url", "https://alice.fr").put("category", "work");
        ArrayNode cf = p.putArray("custom_fields");
        cf.addObject().put("custom_field_definition_id", 9001).put("value", 9101);
        cf.addObject().put("custom_field_definition_id", 9002).put("value", day("2024-03-15"));
        cf.addObject().put("custom_field_definition_id", 9003).putArray("value").add(9111).add(9112);
        cf.addObject().put("custom_field_definition_id", 9004).put("value", true);
        cf.addObject().put("custom_field_definition_id", 9005).put("value", 12.5);
        cf.addObject().put("custom_field_definition_id", 9006).put("value", 30);
        cf.addObject().put("custom_field_definition_id", 9007).put("value", 1500.75);
        cf.addObject().put("custom_field_definition_id", 9008).put("value", "https://alice.fr/blog");
        cf.addObject().put("custom_field_definition_id", 9009).put("value", "Cliente depuis le salon de Lyon");
        cf.addObject().put("custom_field_definition_id", 9010).put("value", "69001");
        cf.addObject().put("custom_field_definition_id", 9011).put("value", day("1985-05-14"));
        cf.addObject().put("custom_field_definition_id", 9012).put("value", 9122);
    }

    private void editCopper(String email, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode state = h.sandbox.dump();
        for (JsonNode p : state.path("copper").path("people")) {
            if (p.path("emails").path(0).path("email").asText().equalsIgnoreCase(email)) {
                change.accept((ObjectNode) p);
            }
        }
        h.sandbox.load(state);
    }

    private void editMember(String email, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode state = h.sandbox.dump();
        for (JsonNode m : state.path("mailchimp").path("lists").get(0).path("members")) {
            if (m.path("email_address").asText().equalsIgnoreCase(email)) {
                change.accept((ObjectNode) m);
            }
        }
        h.sandbox.load(state);
    }

    private static Map<Long, JsonNode> customValues(JsonNode person) {
        Map<Long, JsonNode> values = new HashMap<>();
        person.path("custom_fields").forEach(c -> values.put(c.path("custom_field_definition_id").asLong(),
                c.path("value")));
        return values;
    }

    private static void setCustom(ObjectNode person, long id, Object value) {
        for (JsonNode c : person.path("custom_fields")) {
            if (c.path("custom_field_definition_id").asLong() == id) {
                ObjectNode o = (ObjectNode) c;
                if (value instanceof String s) {
                    o.put("value", s);
                } else if (value instanceof Long l) {
                    o.put("value", l);
                } else if (value instanceof Double d) {
                    o.put("value", d);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void everyCopperFieldKindReachesItsMergeField() throws Exception {
        start(new Seed().person(ALICE, "Alice", "Arnaud"), MAPPING);
        editCopperBeforeRun(ALICE);

        assertThat(h.run()).isZero();

        JsonNode m = h.member(ALICE).path("merge_fields");
        assertThat(m.path("FNAME").asText()).isEqualTo("Alice");
        assertThat(m.path("PHONE").asText()).isEqualTo("+33 4 72 00 00 01");
        assertThat(m.path("COMPANY").asText()).isEqualTo("Atelier Alice");
        assertThat(m.path("JOBTITLE").asText()).isEqualTo("Gérante");
        assertThat(m.path("ADDRESS").path("addr1").asText()).isEqualTo("1 rue de la Paix");
        assertThat(m.path("ADDRESS").path("city").asText()).isEqualTo("Lyon");
        assertThat(m.path("ADDRESS").path("zip").asText()).isEqualTo("69001");
        assertThat(m.path("ADDRESS").path("country").asText()).isEqualTo("FR");
        assertThat(m.path("SITEWEB").asText()).isEqualTo("https://alice.fr");
        assertThat(m.path("SECTEUR").asText()).isEqualTo("Industrie");
        assertThat(m.path("CLIENTDEP").asText()).as("a date, whatever form Mailchimp answers it in")
                .isIn("2024-03-15", "15/03/2024");
        assertThat(m.path("INTERETS").asText()).isEqualTo("Vélo, Cuisine");
        assertThat(m.path("NEWSL").asText()).isEqualTo("true");
        assertThat(m.path("SCORE").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(m.path("TAUX").decimalValue()).isEqualByComparingTo("30");
        assertThat(m.path("CA").decimalValue()).isEqualByComparingTo("1500.75");
        assertThat(m.path("LIEN").asText()).isEqualTo("https://alice.fr/blog");
        assertThat(m.path("NOTES").asText()).isEqualTo("Cliente depuis le salon de Lyon");
        assertThat(m.path("CODE").asText()).isEqualTo("69001");
        assertThat(m.path("CANAL").asText()).isEqualTo("Salon");
        assertThat(m.path("ANNIV").asText()).isEqualTo("05/14");

        // nothing changed: the next run writes nothing (every value reads back as it was written)
        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.writeCalls()).as("calls: %s", h.sandbox.calls()).isZero();
    }

    private void editCopperBeforeRun(String email) {
        editCopper(email, FieldMappingScenarioTest::everyCopperField);
    }

    @Test
    void everyMergeTypeReachesItsCopperField() throws Exception {
        start(new Seed().member(BRUNO, "subscribed", "Bruno", "Blanc"), MAPPING);
        editMember(BRUNO, m -> {
            ObjectNode f = (ObjectNode) m.path("merge_fields");
            f.put("PHONE", "06 11 22 33 44");
            f.put("COMPANY", "Blanc & Fils");
            f.put("JOBTITLE", "Directeur");
            f.putObject("ADDRESS").put("addr1", "2 quai Nord").put("addr2", "").put("city", "Nantes")
                    .put("state", "PDL").put("zip", "44000").put("country", "FR");
            f.put("SITEWEB", "https://blanc.fr");
            f.put("SECTEUR", "Commerce");
            f.put("CLIENTDEP", "2023-06-01");
            f.put("INTERETS", "Cuisine, Jardin");
            f.put("NEWSL", "false");
            f.put("SCORE", 7.25);
            f.put("TAUX", 12);
            f.put("CA", 99);
            f.put("LIEN", "https://blanc.fr/a");
            f.put("NOTES", "Vu au salon");
            f.put("CODE", "44000");
            f.put("CANAL", "Web");
        });

        assertThat(h.run()).isZero();

        JsonNode p = h.copperPerson(BRUNO);
        assertThat(p).as("created in Copper").isNotNull();
        assertThat(p.path("first_name").asText()).isEqualTo("Bruno");
        assertThat(p.path("title").asText()).isEqualTo("Directeur");
        assertThat(p.path("company_name").asText()).isEqualTo("Blanc & Fils");
        assertThat(p.path("phone_numbers")).anySatisfy(n -> {
            assertThat(n.path("number").asText()).isEqualTo("06 11 22 33 44");
            assertThat(n.path("category").asText()).isEqualTo("work");
        });
        assertThat(p.path("address").path("street").asText()).isEqualTo("2 quai Nord");
        assertThat(p.path("address").path("city").asText()).isEqualTo("Nantes");
        assertThat(p.path("address").path("postal_code").asText()).isEqualTo("44000");
        assertThat(p.path("websites")).anySatisfy(w -> assertThat(w.path("url").asText()).isEqualTo("https://blanc.fr"));
        Map<Long, JsonNode> cf = customValues(p);
        assertThat(cf.get(9001L).asLong()).as("Dropdown: the option's id").isEqualTo(9102);
        assertThat(cf.get(9002L).asLong()).as("Date: Unix seconds").isEqualTo(day("2023-06-01"));
        assertThat(cf.get(9003L)).as("MultiSelect: the options' ids").extracting(JsonNode::asLong)
                .containsExactlyInAnyOrder(9112L, 9113L);
        assertThat(cf.get(9004L).isBoolean()).as("Checkbox: a boolean").isTrue();
        assertThat(cf.get(9004L).asBoolean()).isFalse();
        assertThat(cf.get(9005L).decimalValue()).isEqualByComparingTo("7.25");
        assertThat(cf.get(9006L).decimalValue()).isEqualByComparingTo("12");
        assertThat(cf.get(9007L).decimalValue()).isEqualByComparingTo("99");
        assertThat(cf.get(9008L).asText()).isEqualTo("https://blanc.fr/a");
        assertThat(cf.get(9009L).asText()).isEqualTo("Vu au salon");
        assertThat(cf.get(9010L).asText()).isEqualTo("44000");
        assertThat(cf.get(9012L).asLong()).isEqualTo(9121);

        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.writeCalls()).as("nothing changed, nothing written: %s", h.sandbox.calls()).isZero();
    }

    @Test
    void updatesFlowBothWaysAConflictGoesToTheNewestAndARefusedValueIsReportedWhileTheRestSyncs() throws Exception {
        start(new Seed().person(ALICE, "Alice", "Arnaud").member(ALICE, "subscribed", "Alice", "Arnaud"), MAPPING);
        editCopperBeforeRun(ALICE);
        assertThat(h.run()).isZero();
        assertThat(h.member(ALICE).path("merge_fields").path("SCORE").decimalValue()).isEqualByComparingTo("12.5");

        long copperEdit = Seed.now();
        editCopper(ALICE, p -> {
            setCustom(p, 9005, 20.0);                                   // Copper → Mailchimp
            ((ObjectNode) p.path("phone_numbers").get(0)).put("number", "+33 4 72 11 11 11"); // conflict, older
            p.put("date_modified", copperEdit);
        });
        editMember(ALICE, m -> {
            ObjectNode f = (ObjectNode) m.path("merge_fields");
            f.put("COMPANY", "Atelier Alice SA");                      // Mailchimp → Copper
            f.put("PHONE", "+33 6 99 99 99 99");                       // conflict, newer: wins
            f.put("INTERETS", "Vélo, Pêche");                          // Pêche: no such Copper option
            m.put("last_changed", Seed.nowIso(5));
        });

        assertThat(h.run()).as("a refused value is reported, not a failed contact").isZero();

        JsonNode member = h.member(ALICE).path("merge_fields");
        JsonNode person = h.copperPerson(ALICE);
        assertThat(member.path("SCORE").decimalValue()).isEqualByComparingTo("20");
        assertThat(person.path("company_name").asText()).isEqualTo("Atelier Alice SA");
        assertThat(person.path("phone_numbers").get(0).path("number").asText()).isEqualTo("+33 6 99 99 99 99");
        assertThat(member.path("PHONE").asText()).isEqualTo("+33 6 99 99 99 99");
        assertThat(customValues(person).get(9003L)).as("the refused value left Copper's options as they were")
                .extracting(JsonNode::asLong).containsExactlyInAnyOrder(9111L, 9112L);

        String report = h.latestReport();
        assertThat(report).contains("CONFLITS").contains("telephone");
        assertThat(report).as("each write says which fields it carried")
                .contains("Champs synchronisés: score").contains("Champs synchronisés: telephone, societe");
        assertThat(report).contains("VALEURS REFUSÉES").contains("interets").contains("Vélo, Pêche");
        String json = Files.readString(h.latest("import_report_").resolveSibling(
                h.latest("import_report_").getFileName().toString().replace(".txt", ".json")));
        assertThat(json).contains("\"refusedValues\"").contains("\"field\" : \"interets\"");

        // nothing else changed: the next (incremental) run writes nothing
        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.writeCalls()).as("calls: %s\n%s", h.sandbox.calls(),
                Files.readString(h.latest("sync_log_"))).isZero();
        // the full reconciliation reads the member again: the refused value is said again until someone fixes it
        h.properties.put("sync.full-reconciliation-cron", "* * * * * ?");
        Thread.sleep(1_100);
        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.writeCalls()).as("calls: %s", h.sandbox.calls()).isZero();
        assertThat(h.latestReport()).contains("VALEURS REFUSÉES").contains("Vélo, Pêche");
    }

    /**
     * The definitions change while a run is going (someone removes a choice after the run read them): each side then
     * refuses a value our checks let through. The value is reported for that contact and field, the contact is
     * written again without it, and the rest of the contact, its tags included, still syncs.
     */
    @Test
    void aValueEachSideRefusesAtWriteTimeIsReportedWhileTheRestOfTheContactSyncs() throws Exception {
        start(new Seed().person(ALICE, "Alice", "Arnaud").member(ALICE, "subscribed", "Alice", "Arnaud"), MAPPING);
        editCopperBeforeRun(ALICE);
        assertThat(h.run()).isZero();

        long copperEdit = Seed.now();
        editCopper(ALICE, p -> {
            setCustom(p, 9012, 9121L);                                  // Canal: Salon → Web, Copper → Mailchimp
            ((ArrayNode) p.withArray("tags")).add("vip");                // a tag for Mailchimp, same contact
            p.put("date_modified", copperEdit);
        });
        editMember(ALICE, m -> {
            ObjectNode f = (ObjectNode) m.path("merge_fields");
            f.put("SECTEUR", "Commerce");                               // Secteur: Industrie → Commerce, to Copper
            f.put("COMPANY", "Atelier Alice SA");                       // the rest of the contact, to Copper
            m.put("last_changed", Seed.nowIso(5));
        });

        // every call takes a while, so that the choices can be removed after the run read the definitions and before
        // it writes: what a person editing the account during a run does
        h.sandbox.faults(new io.cmsync.sandbox.FaultConfig(250, 0, 0, 0, 0, 0, 30_000, 42));
        h.sandbox.resetCalls();
        var run = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var exit = run.submit(() -> h.run());
            long deadline = System.currentTimeMillis() + 30_000;
            while (!bothDefinitionsRead() && System.currentTimeMillis() < deadline) {
                Thread.sleep(2);
            }
            assertThat(h.sandbox.calls().keySet()).as("no write before the edit")
                    .noneMatch(k -> !k.startsWith("GET ") && !k.endsWith("/search"));
            ObjectNode state = h.sandbox.dump();
            for (JsonNode d : state.path("copper").path("custom_field_definitions")) {
                if (d.path("id").asLong() == 9001) {
                    ArrayNode options = (ArrayNode) d.path("options");
                    for (int i = options.size() - 1; i >= 0; i--) {
                        if (options.get(i).path("name").asText().equals("Commerce")) {
                            options.remove(i);
                        }
                    }
                }
            }
            for (JsonNode f : state.path("mailchimp").path("lists").get(0).path("merge_fields")) {
                if (f.path("tag").asText().equals("CANAL")) {
                    ((ObjectNode) f.path("options")).putArray("choices").add("Salon");
                }
            }
            h.sandbox.load(state);
            assertThat(exit.get(120, java.util.concurrent.TimeUnit.SECONDS))
                    .as("refused values are reported, not failed contacts").isZero();
        } finally {
            run.shutdownNow();
            h.sandbox.faults(io.cmsync.sandbox.FaultConfig.none());
        }

        JsonNode person = h.copperPerson(ALICE);
        JsonNode member = h.member(ALICE);
        assertThat(person.path("company_name").asText()).as("the rest of the Copper write")
                .isEqualTo("Atelier Alice SA");
        assertThat(customValues(person).get(9001L).asLong()).as("Secteur as it was").isEqualTo(9101L);
        assertThat(member.path("merge_fields").path("CANAL").asText()).as("CANAL as it was").isEqualTo("Salon");
        assertThat(member.path("tags").toString()).as("the contact's tags still went to Mailchimp").contains("vip");

        String report = h.latestReport();
        assertThat(report).contains("VALEURS REFUSÉES").contains("secteur").contains("Commerce")
                .contains("canal").contains("Web").contains("Copper : ").contains("Mailchimp : ");
        assertThat(report).as("each write lists what it carried, not the refused field")
                .contains("Champs synchronisés: societe");
        assertThat(report).doesNotContain("ÉCHEC");
    }

    /** Both definitions answered (the call log has a call once it is answered; the counts, as it starts). */
    private boolean bothDefinitionsRead() {
        var answered = h.sandbox.callLog();
        return answered.stream().anyMatch(c -> c.method().equals("GET") && c.path().contains("custom_field_definitions"))
                && answered.stream().anyMatch(c -> c.method().equals("GET") && c.path().contains("merge-fields"));
    }

    @Test
    void aMappingTheAudienceCannotServeStopsTheRunBeforeAnyWrite() throws Exception {
        start(new Seed().person(ALICE, "Alice", "Arnaud"), MAPPING + """
                  - name: absent
                    copper: custom:Notes
                    mailchimp: NOTES2
                """.replace("  - name: absent", "  - name: absent"));

        assertThat(h.run()).isEqualTo(2);

        assertThat(h.writeCalls()).as("calls: %s", h.sandbox.calls()).isZero();
        assertThat(h.member(ALICE)).isNull();
        assertThat(h.latestReport()).contains("NOTES2").contains("mapping.yaml");
    }

    @Test
    void theDefaultMappingReadsTheMergeFieldsOnlyWhenItWritesToMailchimp() throws Exception {
        start(new Seed().person(ALICE, "Alice", "Arnaud"), null);
        assertThat(h.run()).isZero();
        assertThat(h.sandbox.calls().get("GET /3.0/lists/{list_id}/merge-fields")).isEqualTo(1L);
        assertThat(h.member(ALICE).path("merge_fields").path("FNAME").asText()).isEqualTo("Alice");

        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.sandbox.calls()).doesNotContainKey("GET /3.0/lists/{list_id}/merge-fields");
    }

    @Test
    void anAudienceWithoutLnameStopsTheDefaultMappingBeforeItsFirstWrite() throws Exception {
        start(new Seed().person(ALICE, "Alice", "Arnaud"), null);
        ObjectNode state = h.sandbox.dump();
        ArrayNode merge = (ArrayNode) state.path("mailchimp").path("lists").get(0).path("merge_fields");
        for (int i = merge.size() - 1; i >= 0; i--) {
            if ("LNAME".equals(merge.get(i).path("tag").asText())) {
                merge.remove(i);
            }
        }
        h.sandbox.load(state);

        assertThat(h.run()).isEqualTo(2);
        assertThat(h.writeCalls()).isZero();
        assertThat(h.latestReport()).contains("LNAME");
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }
}

package io.cmsync.mapping;

import io.cmsync.report.FieldRefusals;
import static io.cmsync.mapping.MappingFixtures.JSON;
import static io.cmsync.mapping.MappingFixtures.definitions;
import static io.cmsync.mapping.MappingFixtures.mapping;
import static io.cmsync.mapping.MappingFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import io.cmsync.copper.CopperPerson;
import io.cmsync.i18n.Messages;
import io.cmsync.sync.FieldRule;

class DefaultResolvedMappingTest {

    /** Every Copper kind and every merge type. */
    static final String EVERYTHING = """
            fields:
              - {name: poste, copper: title, mailchimp: TITLE}
              - {name: societe, copper: company_name, mailchimp: COMPANY}
              - {name: mobile, copper: phone_numbers.mobile, mailchimp: PHONE}
              - {name: pro, copper: phone_numbers.work, mailchimp: PHONEPRO}
              - {name: adresse, copper: address, mailchimp: ADDRESS}
              - {name: ville, copper: address.city, mailchimp: CITY, direction: copper-to-mailchimp}
              - {name: cp, copper: address.postal_code, mailchimp: ZIP, direction: copper-to-mailchimp}
              - {name: site, copper: websites.work, mailchimp: WEBSITE}
              - {name: photo, copper: websites.personal, mailchimp: PHOTO}
              - {name: secteur, copper: "custom:Secteur", mailchimp: SECTEUR}
              - {name: secteur-radio, copper: "custom:Secteur", mailchimp: SECTRADIO, direction: copper-to-mailchimp}
              - {name: depuis, copper: "custom:Client depuis", mailchimp: CLIENTDEP}
              - {name: anniv, copper: "custom:Client depuis", mailchimp: BIRTHDAY, direction: copper-to-mailchimp}
              - {name: interets, copper: "custom:Centres d'intérêt", mailchimp: INTERETS}
              - {name: sms, copper: "custom:Accepte les SMS", mailchimp: SMS}
              - {name: ca, copper: "custom:Chiffre d'affaires annuel", mailchimp: CA}
              - {name: remise, copper: "custom:Taux de remise", mailchimp: REMISE}
              - {name: effectif, copper: "custom:Effectif", mailchimp: EFFECTIF}
              - {name: ref, copper: "custom:Référence client", mailchimp: REF}
              - {name: notes, copper: "custom:Notes commerciales", mailchimp: NOTES}
              - {name: linkedin, copper: "custom:Page LinkedIn", mailchimp: LINKEDIN}
            """;

    /** A person as Copper returns it (CONTRACT §4.1, values typed per §7.2). */
    static final String PERSON = """
            {"id": 1001, "name": "Sophie Bernard", "first_name": "Sophie", "last_name": "Bernard",
             "title": "Directrice marketing", "company_name": "Atelier Bernard",
             "address": {"street": "8 rue des Lilas", "city": "Paris", "state": "Île-de-France",
                         "postal_code": "75011", "country": "FR"},
             "emails": [{"email": "sophie.bernard@exemple.fr", "category": "work"}],
             "phone_numbers": [{"number": "+33 6 12 34 56 78", "category": "mobile"},
                               {"number": "+33 1 44 00 00 01", "category": "work"}],
             "websites": [{"url": "https://atelier-bernard.fr", "category": "work"},
                          {"url": "https://atelier-bernard.fr/sophie.png", "category": "personal"}],
             "custom_fields": [
               {"custom_field_definition_id": 510001, "value": 51000101},
               {"custom_field_definition_id": 510002, "value": 1704067200},
               {"custom_field_definition_id": 510003, "value": [51000303, 51000301]},
               {"custom_field_definition_id": 510004, "value": true},
               {"custom_field_definition_id": 510005, "value": 125000.5},
               {"custom_field_definition_id": 510006, "value": 12.5},
               {"custom_field_definition_id": 510007, "value": 42},
               {"custom_field_definition_id": 510008, "value": "CLI-0001"},
               {"custom_field_definition_id": 510009, "value": "Rappeler en mars.\\nPréfère le téléphone."},
               {"custom_field_definition_id": 510010, "value": "https://www.linkedin.com/in/sophie"}
             ],
             "date_created": 1735776000, "date_modified": 1735783200}
            """;

    /** The same contact's merge_fields as Mailchimp returns them (CONTRACT §3). */
    static final String MERGE_FIELDS = """
            {"FNAME": "Sophie", "LNAME": "Bernard", "TITLE": "Directrice marketing", "COMPANY": "Atelier Bernard",
             "PHONE": "+33 6 12 34 56 78", "PHONEPRO": "+33 1 44 00 00 01",
             "ADDRESS": {"addr1": "8 rue des Lilas", "addr2": "", "city": "Paris", "state": "Île-de-France",
                         "zip": "75011", "country": "FR"},
             "CITY": "Paris", "ZIP": "75011", "WEBSITE": "https://atelier-bernard.fr",
             "PHOTO": "https://atelier-bernard.fr/sophie.png", "SECTEUR": "Industrie", "SECTRADIO": "Industrie",
             "CLIENTDEP": "2024-01-01", "BIRTHDAY": "01/01", "INTERETS": "Formations, Événements", "SMS": "true",
             "CA": 125000.5, "REMISE": 12.5, "EFFECTIF": 42, "REF": "CLI-0001",
             "NOTES": "Rappeler en mars.\\nPréfère le téléphone.", "LINKEDIN": "https://www.linkedin.com/in/sophie"}
            """;

    static ResolvedMapping resolve(String yaml) {
        MappingValidator.Result r = MappingValidator.check(mapping(yaml), definitions(), false);
        assertThat(r.problems()).isEmpty();
        return r.mapping();
    }

    static final ResolvedMapping ALL = resolve(EVERYTHING);

    static Map<String, Object> mergeFields(String json) throws Exception {
        return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    private static Map<String, String> withoutCarried(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>(values);
        out.keySet().removeIf(k -> k.startsWith(ResolvedMapping.CARRIED));
        return out;
    }

    private static JsonNode tree(Object o) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(o));
    }

    private static FieldRule rule(ResolvedMapping m, String name) {
        return m.rules().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void canonicalTextsOfEveryKind() {
        Map<String, String> v = withoutCarried(ALL.copperValues(person(PERSON)));
        assertThat(v).containsExactly(
                Map.entry("poste", "Directrice marketing"), Map.entry("societe", "Atelier Bernard"),
                Map.entry("mobile", "+33 6 12 34 56 78"), Map.entry("pro", "+33 1 44 00 00 01"),
                Map.entry("adresse", "8 rue des Lilas | Paris | Île-de-France | 75011 | FR"),
                Map.entry("ville", "Paris"), Map.entry("cp", "75011"),
                Map.entry("site", "https://atelier-bernard.fr"),
                Map.entry("photo", "https://atelier-bernard.fr/sophie.png"),
                Map.entry("secteur", "Industrie"), Map.entry("secteur-radio", "Industrie"),
                Map.entry("depuis", "2024-01-01"), Map.entry("anniv", "01-01"),
                Map.entry("interets", "Formations, Événements"), Map.entry("sms", "true"),
                Map.entry("ca", "125000.5"), Map.entry("remise", "12.5"), Map.entry("effectif", "42"),
                Map.entry("ref", "CLI-0001"), Map.entry("notes", "Rappeler en mars.\nPréfère le téléphone."),
                Map.entry("linkedin", "https://www.linkedin.com/in/sophie"));
    }

    @Test
    void aCopperValidationErrorNamesTheEntriesItRefused() {
        List<String> sent = List.of("poste", "societe", "mobile", "secteur", "secteur-radio", "interets", "ca");
        // the sandbox's wording for a custom field (Copper's exact text is UNVERIFIED): the field's name
        assertThat(ALL.copperEntriesRefused("Invalid input: Validation errors: Custom fields: Secteur: 510099 is not"
                + " a valid option", sent)).as("every entry writing that custom field")
                .containsExactly("secteur", "secteur-radio");
        assertThat(ALL.copperEntriesRefused("Invalid input: Validation errors: Custom fields: Invalid custom field"
                + " definition id: 510003", sent)).as("a definition deleted since the run read them")
                .containsExactly("interets");
        // Rails-style attribute names, several errors joined by new lines (CONTRACT §7, observed)
        assertThat(ALL.copperEntriesRefused("Invalid input: Validation errors: Title: is too long\nPhone numbers:"
                + " number is invalid", sent)).containsExactly("poste", "mobile");
        assertThat(ALL.copperEntriesRefused("Invalid input: Validation errors: Company name: is too long",
                List.of("poste"))).as("only among the entries that person carried").isEmpty();
        assertThat(ALL.copperEntriesRefused("Invalid input: Validation errors: Custom fields: Chiffre d'affaires"
                + " annuel: is not a number", sent)).containsExactly("ca");
        // not about a mapped field: the failure stays the contact's
        assertThat(ALL.copperEntriesRefused("Invalid input: Validation errors: Emails: a@b has already been taken",
                sent)).isEmpty();
        assertThat(ALL.copperEntriesRefused("Invalid input: Validation errors: Name: can't be blank", sent)).isEmpty();
        // a bulk item's error (message object, CONTRACT §4.8), as the client gives it
        assertThat(ALL.copperEntriesRefused("custom_fields: Secteur: 510099 is not a valid option", sent))
                .containsExactly("secteur", "secteur-radio");
        assertThat(ALL.copperEntriesRefused("custom_fields: invalid", List.of("poste", "secteur", "ca")))
                .as("Copper did not say which: every custom field the person carried").containsExactly("secteur", "ca");
        assertThat(ALL.copperEntriesRefused("title: invalid; emails: invalid", sent)).containsExactly("poste");
        assertThat(ALL.copperEntriesRefused("name: invalid", sent)).isEmpty();
        assertThat(ALL.copperEntriesRefused("HTTP 500 Secteur", sent)).as("not a validation error").isEmpty();
        assertThat(ALL.copperEntriesRefused(null, sent)).isEmpty();
    }

    @Test
    void bothSidesOfTheSameContactAreEqual() throws Exception {
        assertThat(ALL.mailchimpValues(mergeFields(MERGE_FIELDS)))
                .isEqualTo(withoutCarried(ALL.copperValues(person(PERSON))));
    }

    @Test
    void copperValuesCarryTheWholeArraysAndAddress() throws Exception {
        Map<String, String> v = ALL.copperValues(person(PERSON));
        assertThat(v.keySet()).contains("@phone_numbers", "@address", "@websites");
        assertThat(JSON.readTree(v.get("@phone_numbers"))).isEqualTo(JSON.readTree(PERSON).get("phone_numbers"));
        assertThat(JSON.readTree(v.get("@address"))).isEqualTo(JSON.readTree(PERSON).get("address"));
        assertThat(resolve("fields:\n  - {copper: title, mailchimp: TITLE}\n").copperValues(person(PERSON)))
                .containsOnlyKeys("title");
    }

    @Test
    void mailchimpReadThenWriteGivesWhatMailchimpReturns() throws Exception {
        Map<String, Object> mf = mergeFields(MERGE_FIELDS);
        Map<String, Object> written = new LinkedHashMap<>();
        ALL.putMailchimp(ALL.mailchimpValues(mf), written);
        mf.remove("FNAME");
        mf.remove("LNAME");
        assertThat(tree(written)).isEqualTo(tree(mf));
    }

    @Test
    void copperReadThenWriteGivesWhatCopperReturns() throws Exception {
        Map<String, String> current = ALL.copperValues(person(PERSON));
        Map<String, String> towardsCopper = new LinkedHashMap<>();
        for (FieldRule r : ALL.rules()) {
            if (r.direction().toCopper()) {
                towardsCopper.put(r.name(), current.get(r.name()));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        ALL.putCopper(towardsCopper, current, body);
        JsonNode expected = JSON.readTree(PERSON);
        assertThat(body.keySet()).containsExactlyInAnyOrder("title", "company_name", "phone_numbers", "address",
                "websites", "custom_fields");
        JsonNode written = tree(body);
        for (String k : body.keySet()) {
            if (!k.equals("custom_fields")) {
                assertThat(written.get(k)).as(k).isEqualTo(expected.get(k));
            }
        }
        // MultiSelect ids in Copper's option order (the person had them in another order: same value)
        JsonNode custom = written.get("custom_fields");
        assertThat(custom.toString()).isEqualTo(expected.get("custom_fields").toString()
                .replace("[51000303,51000301]", "[51000301,51000303]"));
    }

    @Test
    void wholeDaysAreLosslessInUtc() throws Exception {
        ResolvedMapping m = resolve("fields:\n  - {name: d, copper: \"custom:Client depuis\", mailchimp: CLIENTDEP}\n");
        for (String day : List.of("1970-01-01", "2024-02-29", "1899-12-31", "2099-07-14")) {
            Map<String, Object> body = new LinkedHashMap<>();
            m.putCopper(Map.of("d", day), Map.of(), body);
            long seconds = LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            assertThat(tree(body).toString()).isEqualTo("{\"custom_fields\":[{\"custom_field_definition_id\":510002,"
                    + "\"value\":" + seconds + "}]}");
            CopperPerson p = person("{\"id\":1,\"custom_fields\":[{\"custom_field_definition_id\":510002,\"value\":"
                    + seconds + "}]}");
            assertThat(m.copperValues(p)).containsEntry("d", day);
        }
        // a Copper time of day reads as its UTC day, so it is not rewritten when Mailchimp says that day
        assertThat(m.copperValues(person("{\"id\":1,\"custom_fields\":[{\"custom_field_definition_id\":510002,"
                + "\"value\":1704110400}]}"))).containsEntry("d", "2024-01-01");
    }

    @Test
    void mailchimpDatesInTheFieldsFormatAndBirthdays() throws Exception {
        Map<String, String> v = ALL.mailchimpValues(Map.of("CLIENTDEP", "01/02/2024", "BIRTHDAY", "25/12"));
        assertThat(v).containsEntry("depuis", "2024-02-01").containsEntry("anniv", "12-25");
        Map<String, Object> mf = new LinkedHashMap<>();
        ALL.putMailchimp(Map.of("depuis", "2024-02-01", "anniv", "12-25"), mf);
        assertThat(mf).containsEntry("CLIENTDEP", "2024-02-01").containsEntry("BIRTHDAY", "25/12");
        assertThat(ALL.mailchimpValues(Map.of("CLIENTDEP", "")).get("depuis")).isEmpty();
    }

    @Test
    void emptyOnBothSides() throws Exception {
        Map<String, String> c = withoutCarried(ALL.copperValues(person("{\"id\":1,\"address\":null}")));
        Map<String, String> m = ALL.mailchimpValues(mergeFields("{\"ADDRESS\":\"\",\"CA\":\"\"}"));
        assertThat(c).isEqualTo(m);
        assertThat(c.get("sms")).isEqualTo("false"); // an unset checkbox is false, an empty Mailchimp value too
        assertThat(c.values().stream().filter(x -> !x.isEmpty()).toList()).containsExactly("false");
    }

    @Test
    void clearingWritesNullOrRemovesTheElement() throws Exception {
        Map<String, String> current = ALL.copperValues(person(PERSON));
        Map<String, Object> body = new LinkedHashMap<>();
        ALL.putCopper(Map.of("poste", "", "mobile", "", "adresse", "", "secteur", "", "interets", "", "sms", ""),
                current, body);
        JsonNode b = tree(body);
        assertThat(b.get("title").isNull()).isTrue();
        assertThat(b.get("phone_numbers").toString())
                .isEqualTo("[{\"number\":\"+33 1 44 00 00 01\",\"category\":\"work\"}]");
        assertThat(b.get("address").isNull()).isTrue();
        assertThat(b.get("custom_fields").toString()).isEqualTo("[{\"custom_field_definition_id\":510001,\"value\":null},"
                + "{\"custom_field_definition_id\":510003,\"value\":null},"
                + "{\"custom_field_definition_id\":510004,\"value\":false}]");
        Map<String, Object> mf = new LinkedHashMap<>();
        ALL.putMailchimp(Map.of("adresse", "", "ca", "", "secteur", ""), mf);
        assertThat(mf).containsOnly(Map.entry("ADDRESS", ""), Map.entry("CA", ""), Map.entry("SECTEUR", ""));
    }

    @Test
    void partsTheMappingDoesNotCoverAreKept() throws Exception {
        ResolvedMapping m = resolve("""
                fields:
                  - {copper: address.city, mailchimp: CITY}
                  - {copper: phone_numbers.home, mailchimp: PHONE}
                  - {copper: websites, mailchimp: WEBSITE}
                """);
        Map<String, String> current = m.copperValues(person(PERSON));
        Map<String, Object> body = new LinkedHashMap<>();
        m.putCopper(Map.of("address.city", "Lyon", "phone_numbers.home", "04 00 00 00 00",
                "websites", "https://bernard.example"), current, body);
        JsonNode b = tree(body);
        assertThat(b.get("address").toString()).isEqualTo("{\"street\":\"8 rue des Lilas\",\"city\":\"Lyon\","
                + "\"state\":\"Île-de-France\",\"postal_code\":\"75011\",\"country\":\"FR\"}");
        assertThat(b.get("phone_numbers")).hasSize(3);
        assertThat(b.get("phone_numbers").get(2).toString())
                .isEqualTo("{\"number\":\"04 00 00 00 00\",\"category\":\"home\"}");
        assertThat(b.get("websites").get(0).get("url").asText()).isEqualTo("https://bernard.example");
        assertThat(b.get("websites").get(1).get("category").asText()).isEqualTo("personal");
        // a new contact: no carried value
        Map<String, Object> created = new LinkedHashMap<>();
        m.putCopper(Map.of("address.city", "Lyon", "websites", "https://x.example"), Map.of(), created);
        assertThat(tree(created).get("address").toString()).isEqualTo("{\"street\":\"\",\"city\":\"Lyon\","
                + "\"state\":\"\",\"postal_code\":\"\",\"country\":\"\"}");
        assertThat(tree(created).get("websites").toString())
                .isEqualTo("[{\"url\":\"https://x.example\",\"category\":\"work\"}]");
    }

    @Test
    void mailchimpAddressWithASecondLine() throws Exception {
        Map<String, String> v = ALL.mailchimpValues(mergeFields("""
                {"ADDRESS": {"addr1": "221 Main Street", "addr2": "Suite 1350", "city": "Vancouver", "state": "BC",
                             "zip": "A1A1A1", "country": "CA"}}"""));
        assertThat(v.get("adresse")).isEqualTo("221 Main Street, Suite 1350 | Vancouver | BC | A1A1A1 | CA");
    }

    @Test
    void numbersAreCanonical() throws Exception {
        Map<String, String> v = ALL.mailchimpValues(Map.of("CA", 1000.0, "REMISE", "12.50", "EFFECTIF", 0.0));
        assertThat(v).containsEntry("ca", "1000").containsEntry("remise", "12.5").containsEntry("effectif", "0");
        Map<String, Object> mf = new LinkedHashMap<>();
        ALL.putMailchimp(Map.of("ca", "1000"), mf);
        assertThat(JSON.writeValueAsString(mf)).isEqualTo("{\"CA\":1000}");
    }

    @Test
    void multiSelectLabelsInCopperOrder() throws Exception {
        assertThat(ALL.mailchimpValues(Map.of("INTERETS", "Événements,Formations")).get("interets"))
                .isEqualTo("Formations, Événements");
        assertThat(ALL.mailchimpValues(Map.of("INTERETS", "Golf, Formations")).get("interets"))
                .isEqualTo("Golf, Formations");
        assertThat(rule(ALL, "interets").copperCheck().refusal("Golf, Formations"))
                .isEqualTo("« Golf » n'est pas une option du champ Copper custom:Centres d'intérêt (options : "
                        + "Formations, Nouveaux produits, Événements)");
    }

    @Test
    void checkboxValues() throws Exception {
        assertThat(ALL.mailchimpValues(Map.of("SMS", "TRUE")).get("sms")).isEqualTo("true");
        assertThat(ALL.mailchimpValues(Map.of("SMS", "")).get("sms")).isEqualTo("false");
        assertThat(rule(ALL, "sms").copperCheck().refusal("oui")).isEqualTo(
                "« oui » n'est ni true ni false (case à cocher Copper custom:Accepte les SMS)");
    }

    @Test
    void transformAppliesToBothSides() throws Exception {
        ResolvedMapping m = resolve("fields:\n  - {copper: company_name, mailchimp: COMPANY, transform: upper}\n");
        assertThat(m.copperValues(person("{\"id\":1,\"company_name\":\"Atelier\"}"))).containsEntry("company_name",
                "ATELIER");
        assertThat(m.mailchimpValues(Map.of("COMPANY", "atelier"))).containsEntry("company_name", "ATELIER");
    }

    @Test
    void mailchimpRefusals() {
        assertThat(rule(ALL, "notes").mailchimpCheck().refusal("é".repeat(127) + "a")).isNull(); // 255 bytes
        assertThat(rule(ALL, "notes").mailchimpCheck().refusal("é".repeat(128))).isEqualTo(
                "texte trop long pour le champ Mailchimp NOTES : 256 octets, 255 au plus (Mailchimp le couperait)");
        assertThat(rule(ALL, "ca").mailchimpCheck().refusal("12,5")).isEqualTo(
                "« 12,5 » n'est pas un nombre (champ Mailchimp CA)");
        assertThat(rule(ALL, "depuis").mailchimpCheck().refusal("2024-13-01")).contains("n'est pas une date");
        assertThat(rule(ALL, "anniv").mailchimpCheck().refusal("02-30")).contains("n'est pas un anniversaire");
        assertThat(rule(ALL, "anniv").mailchimpCheck().refusal("02-29")).isNull();
        assertThat(rule(ALL, "secteur").mailchimpCheck().refusal("Agriculture")).isEqualTo(
                "« Agriculture » n'est pas un choix du champ Mailchimp SECTEUR (choix : Industrie, Commerce, Services, "
                        + "Santé, Secteur public)");
        assertThat(rule(ALL, "secteur-radio").mailchimpCheck().refusal("Agriculture")).contains("SECTRADIO");
        assertThat(rule(ALL, "cp").mailchimpCheck().refusal("750")).contains("code postal américain");
        assertThat(rule(ALL, "cp").mailchimpCheck().refusal("75011")).isNull();
        assertThat(rule(ALL, "site").mailchimpCheck().refusal("pas une adresse")).contains("adresse web");
        assertThat(rule(ALL, "photo").mailchimpCheck().refusal("https://x.example/a.png")).isNull();
        assertThat(rule(ALL, "adresse").mailchimpCheck().refusal("8 rue des Lilas | Paris |  | 75011 | FR"))
                .isEqualTo("adresse incomplète pour le champ Mailchimp ADDRESS : il manque state");
        assertThat(rule(ALL, "adresse").mailchimpCheck().refusal("")).isNull();
        assertThat(rule(ALL, "mobile").mailchimpCheck().refusal("+33 6 12 34 56 78")).isNull();
        ResolvedMapping us = resolve("fields:\n  - {copper: phone_numbers, mailchimp: USPHONE}\n");
        assertThat(rule(us, "phone_numbers").mailchimpCheck().refusal("+33 6 12 34 56 78"))
                .contains("numéro américain");
        assertThat(rule(us, "phone_numbers").mailchimpCheck().refusal("(415) 555-0100")).isNull();
    }

    @Test
    void requiredMergeFieldRefusesEmpty() {
        List<Definitions.MergeFieldDef> m = new java.util.ArrayList<>(MappingFixtures.mergeFields());
        m.add(MappingFixtures.required("REGION", "text"));
        MappingValidator.Result r = MappingValidator.check(mapping("fields:\n  - {copper: address.state, mailchimp: "
                + "REGION}\n"), new Definitions(m, MappingFixtures.customFields()), false);
        FieldRule rule = r.mapping().rules().get(0);
        assertThat(rule.mailchimpCheck().refusal("")).isEqualTo(
                "le champ Mailchimp REGION est obligatoire : une valeur vide est refusée");
        assertThat(rule.mailchimpCheck().refusal("IDF")).isNull();
    }

    @Test
    void copperRefusals() {
        assertThat(rule(ALL, "secteur").copperCheck().refusal("Agriculture")).isEqualTo("« Agriculture » n'est pas "
                + "une option du champ Copper custom:Secteur (options : Industrie, Commerce, Services, Santé, Secteur "
                + "public)");
        assertThat(rule(ALL, "secteur").copperCheck().refusal("Santé")).isNull();
        assertThat(rule(ALL, "ca").copperCheck().refusal("beaucoup")).contains("n'est pas un nombre (champ Copper");
        assertThat(rule(ALL, "depuis").copperCheck().refusal("01/02/2024")).contains("n'est pas une date");
        assertThat(rule(ALL, "ref").copperCheck().refusal("x".repeat(256))).isEqualTo(
                "texte trop long pour le champ Copper custom:Référence client (255 caractères au plus)");
        assertThat(rule(ALL, "notes").copperCheck().refusal("x".repeat(5000))).isNull(); // Text: no limit known
        assertThat(rule(ALL, "poste").copperCheck().refusal("")).isNull();
    }

    @Test
    void refusalsInEnglish() {
        String fr = rule(ALL, "secteur").mailchimpCheck().refusal("Agriculture");
        assertThat(FieldRefusals.text(Messages.of(Messages.Language.EN), fr)).isEqualTo("« Agriculture » is not a "
                + "choice of the Mailchimp field SECTEUR (choices: Industrie, Commerce, Services, Santé, Secteur public)");
        assertThat(FieldRefusals.text(Messages.of(Messages.Language.EN), "autre chose")).isEqualTo("autre chose");
        assertThat(FieldRefusals.text(Messages.of(Messages.Language.FR), fr)).isEqualTo(fr);
    }

    @Test
    void fingerprintChangesWithTheMappingAndItsDefinitions() {
        String a = ALL.fingerprint();
        assertThat(resolve(EVERYTHING).fingerprint()).isEqualTo(a);
        assertThat(resolve(EVERYTHING.replace("mailchimp: SMS}", "mailchimp: SMS, direction: copper-to-mailchimp}"))
                .fingerprint()).isNotEqualTo(a);
        assertThat(a).contains("interets=custom:Centres d'intérêt#510003>INTERETS:text/both");
    }
}

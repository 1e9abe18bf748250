package io.cmsync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperPerson;
import io.cmsync.http.ApiException;
import io.cmsync.http.ApiRequest;
import io.cmsync.http.RateLimiter;
import io.cmsync.http.RetryingCaller;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.mapping.Definitions.CustomFieldDef;
import io.cmsync.mapping.Definitions.MergeFieldDef;
import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;
import io.cmsync.sync.FieldRule;
import io.cmsync.testsupport.JdkTransport;

/**
 * The three definition calls against the sandbox (demo data), and the mapping's request bodies accepted by it and
 * read back unchanged.
 */
class DefinitionClientsTest {
    static SandboxServer server;
    RetryingCaller copperCaller;
    RetryingCaller mailchimpCaller;
    CopperClient copper;
    MailchimpClient mailchimp;

    @BeforeAll
    static void start() throws Exception {
        server = SandboxServer.start(SandboxOptions.defaults());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void setUp() {
        server.faults(FaultConfig.none());
        server.reset();
        copperCaller = new RetryingCaller(CopperClient.SIDE, JdkTransport.copper(server), 3, Duration.ofMillis(1),
                Duration.ofMillis(5), RateLimiter.unlimited(), ms -> { });
        mailchimpCaller = new RetryingCaller(MailchimpClient.SIDE, JdkTransport.mailchimp(server), 3,
                Duration.ofMillis(1), Duration.ofMillis(5), RateLimiter.unlimited(), ms -> { });
        copper = new CopperClient(copperCaller, RateLimiter.unlimited());
        mailchimp = new MailchimpClient(mailchimpCaller, SandboxServer.LIST_ID);
    }

    @Test
    void customFieldDefinitions() {
        List<CustomFieldDef> defs = copper.customFieldDefinitions();
        CustomFieldDef secteur = defs.stream().filter(d -> d.name().equals("Secteur")).findFirst().orElseThrow();
        assertThat(secteur.id()).isEqualTo(510001);
        assertThat(secteur.dataType()).isEqualTo("Dropdown");
        assertThat(secteur.availableOn()).containsExactly("person", "company");
        assertThat(secteur.options()).extracting(CustomFieldDef.Option::name).containsExactly("Industrie", "Commerce",
                "Services", "Santé", "Secteur public");
        assertThat(secteur.options().get(0)).isEqualTo(new CustomFieldDef.Option(610001, "Industrie", 0));
        assertThat(defs).extracting(CustomFieldDef::dataType).contains("String", "Text", "Dropdown", "MultiSelect",
                "Date", "Checkbox", "Float", "Percentage", "Currency", "URL");
        assertThat(defs.stream().filter(d -> d.dataType().equals("Date")).findFirst().orElseThrow().options())
                .isEmpty();
    }

    @Test
    void mergeFields() {
        List<MergeFieldDef> fields = mailchimp.mergeFields();
        assertThat(fields).extracting(MergeFieldDef::tag).startsWith("FNAME", "LNAME", "ADDRESS", "PHONE", "COMPANY",
                "SECTEUR", "CLIENTDEP");
        MergeFieldDef secteur = fields.stream().filter(f -> f.tag().equals("SECTEUR")).findFirst().orElseThrow();
        assertThat(secteur.type()).isEqualTo("dropdown");
        assertThat(secteur.required()).isFalse();
        assertThat(secteur.options().path("choices")).hasSize(5);
        MergeFieldDef date = fields.stream().filter(f -> f.tag().equals("CLIENTDEP")).findFirst().orElseThrow();
        assertThat(date.options().path("date_format").asText()).isEqualTo("DD/MM/YYYY");
    }

    @Test
    void createMergeFieldsUpToTheLimit() {
        int existing = mailchimp.mergeFields().size();
        MergeFieldDef created = mailchimp.createMergeField(new MergeFieldDef("EFFECTIF", "Effectif", "number", false,
                "", MappingFixtures.json("{}")));
        assertThat(created.tag()).isEqualTo("EFFECTIF");
        assertThat(created.type()).isEqualTo("number");
        MergeFieldDef dropdown = mailchimp.createMergeField(new MergeFieldDef("INTERET", "Intérêt", "dropdown", false,
                "", MappingFixtures.json("{\"choices\":[\"A\",\"B\"]}")));
        assertThat(dropdown.options().path("choices").toString()).isEqualTo("[\"A\",\"B\"]");
        for (int i = existing + 2; i < MappingValidator.MERGE_FIELD_LIMIT; i++) {
            mailchimp.createMergeField(new MergeFieldDef("F" + i, "F" + i, "text", false, "", MappingFixtures.json("{}")));
        }
        assertThat(mailchimp.mergeFields()).hasSize(MappingValidator.MERGE_FIELD_LIMIT);
        assertThatThrownBy(() -> mailchimp.createMergeField(new MergeFieldDef("ONEMORE", "x", "text", false, "",
                MappingFixtures.json("{}")))).isInstanceOf(ApiException.class).hasMessageContaining("400");
    }

    /** The validator on the demo accounts, the worked example creating what is missing, then its writes. */
    @Test
    void workedExampleAgainstTheSandbox() throws Exception {
        Definitions defs = new Definitions(mailchimp.mergeFields(), copper.customFieldDefinitions());
        FieldMapping mapping = MappingFixtures.mapping("""
                fields:
                  - {name: telephone, copper: phone_numbers, mailchimp: PHONE, direction: copper-to-mailchimp}
                  - {name: societe, copper: company_name, mailchimp: COMPANY, transform: trim}
                  - {name: secteur, copper: "custom:Secteur", mailchimp: SECTEUR}
                  - {name: depuis, copper: "custom:Client depuis", mailchimp: CLIENTDEP}
                  - {name: interets, copper: "custom:Centres d'intérêt", mailchimp: INTERETS}
                  - {name: sms, copper: "custom:Accepte les SMS", mailchimp: SMS}
                  - {name: ca, copper: "custom:Chiffre d'affaires annuel", mailchimp: CA}
                  - {name: adresse, copper: address, mailchimp: ADDRESS, direction: copper-to-mailchimp}
                """);
        assertThat(MappingValidator.check(mapping, defs, false).problems())
                .extracting(MappingValidator.Problem::subject).containsExactly("interets", "sms", "ca");
        MappingValidator.Result r = MappingValidator.check(mapping, defs, true);
        assertThat(r.problems()).isEmpty();
        assertThat(r.toCreate()).extracting(MergeFieldDef::tag).containsExactly("INTERETS", "SMS", "CA");
        r.toCreate().forEach(mailchimp::createMergeField);
        assertThat(MappingValidator.check(mapping, new Definitions(mailchimp.mergeFields(),
                copper.customFieldDefinitions()), false).ok()).isTrue();
        ResolvedMapping m = r.mapping();

        // Copper → Mailchimp: the demo person's values, written to her member, read back the same
        CopperPerson sophie = copper.byIds(List.of(1001L)).get(0);
        Map<String, String> copperValues = m.copperValues(sophie);
        assertThat(copperValues).containsEntry("secteur", "Industrie").containsEntry("depuis", "2024-01-01")
                .containsEntry("interets", "Formations, Événements").containsEntry("sms", "true");
        Map<String, String> toMailchimp = new LinkedHashMap<>(copperValues);
        toMailchimp.keySet().removeIf(k -> k.startsWith(ResolvedMapping.CARRIED));
        List<String> refused = new ArrayList<>();
        for (FieldRule rule : m.rules()) {
            if (rule.mailchimpCheck().refusal(toMailchimp.get(rule.name())) != null) {
                refused.add(rule.name());
            }
        }
        // her address has a state and a zip: complete for Mailchimp
        assertThat(refused).isEmpty();
        Map<String, Object> mergeFields = new LinkedHashMap<>();
        m.putMailchimp(toMailchimp, mergeFields);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email_address", sophie.firstEmail());
        body.put("status_if_new", "subscribed");
        body.put("merge_fields", mergeFields);
        String path = "lists/" + SandboxServer.LIST_ID + "/members/" + MailchimpMapping.subscriberHash(sophie.firstEmail());
        var put = mailchimpCaller.call(ApiRequest.put(path, MappingFixtures.JSON.writeValueAsString(body), "PUT member"));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        JsonNode member = MappingFixtures.JSON.readTree(mailchimpCaller.call(ApiRequest.get(path, null, "GET member"))
                .body());
        Map<String, Object> back = MappingFixtures.JSON.convertValue(member.get("merge_fields"),
                new TypeReference<LinkedHashMap<String, Object>>() { });
        assertThat(m.mailchimpValues(back)).isEqualTo(toMailchimp);

        // Mailchimp → Copper: new values written with putCopper, read back the same; the rest kept
        Map<String, String> change = new LinkedHashMap<>();
        change.put("societe", "Atelier Bernard & Fils");
        change.put("secteur", "Santé");
        change.put("depuis", "2019-03-15");
        change.put("interets", "Événements, Nouveaux produits");
        change.put("sms", "false");
        change.put("ca", "98765.43");
        for (FieldRule rule : m.rules()) {
            if (change.containsKey(rule.name())) {
                assertThat(rule.copperCheck().refusal(change.get(rule.name()))).as(rule.name()).isNull();
            }
        }
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("id", 1001L);
        m.putCopper(change, copperValues, update);
        List<CopperClient.BulkItem> items = copper.bulkUpdate(List.of(update));
        assertThat(items.get(0).error()).isNull();
        CopperPerson after = copper.byIds(List.of(1001L)).get(0);
        Map<String, String> afterValues = m.copperValues(after);
        Map<String, String> expected = new LinkedHashMap<>(copperValues);
        expected.putAll(change);
        expected.put("interets", "Nouveaux produits, Événements"); // Copper's option order
        assertThat(afterValues).isEqualTo(expected);
        assertThat(after.phoneNumbers()).isEqualTo(sophie.phoneNumbers());
        assertThat(after.address()).isEqualTo(sophie.address());
    }
}

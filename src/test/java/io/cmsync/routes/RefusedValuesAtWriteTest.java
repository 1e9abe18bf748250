package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import io.cmsync.execute.CopperWriter;
import io.cmsync.execute.MailchimpWriter;
import io.cmsync.mapping.Definitions;
import io.cmsync.mapping.FieldMapping;
import io.cmsync.mapping.MappingEntry;
import io.cmsync.mapping.MappingValidator;
import io.cmsync.report.RefusedValueEntry;
import io.cmsync.run.SyncRun;
import io.cmsync.sync.Action;
import io.cmsync.sync.Contact;
import io.cmsync.sync.FlowDirection;

/**
 * A value one side refuses although the mapping's checks let it through (here: a choice or option « Agriculture »
 * removed after the run read the definitions). Mailchimp answers the documented 400 « Your merge fields were invalid. »
 * naming the field; a Copper bulk item fails naming {@code custom_fields}. The contact is written again without it,
 * the value is reported for that contact and field, and the contact is kept out of the synced state (the next run
 * compares it again) without counting as failed.
 */
class RefusedValuesAtWriteTest extends RouteTestSupport {
    static final String EMAIL = "sophie.bernard@exemple.fr";

    @Override
    List<String> routeFiles() {
        return List.of("execute.yaml");
    }

    /** The mapping as checked when the run began: SECTEUR and Copper's Secteur still offered « Agriculture » then. */
    private io.cmsync.mapping.ResolvedMapping mappingReadBeforeTheChoiceWasRemoved() {
        List<Definitions.MergeFieldDef> merge = new java.util.ArrayList<>();
        for (Definitions.MergeFieldDef d : mailchimp.mergeFields()) {
            if (d.tag().equals("SECTEUR")) {
                ObjectNode options = d.options().deepCopy();
                options.withArray("choices").add("Agriculture");
                d = new Definitions.MergeFieldDef(d.tag(), d.name(), d.type(), d.required(), d.defaultValue(), options);
            }
            merge.add(d);
        }
        FieldMapping mapping = new FieldMapping(List.of(
                new MappingEntry("first_name", "first_name", "FNAME", FlowDirection.BOTH, null, 0),
                new MappingEntry("last_name", "last_name", "LNAME", FlowDirection.BOTH, null, 0),
                new MappingEntry("telephone", "phone_numbers", "PHONE", FlowDirection.COPPER_TO_MAILCHIMP, null, 1),
                new MappingEntry("societe", "company_name", "COMPANY", FlowDirection.BOTH, null, 4),
                new MappingEntry("secteur", "custom:Secteur", "SECTEUR", FlowDirection.BOTH, null, 7)),
                null);
        List<Definitions.CustomFieldDef> custom = new java.util.ArrayList<>(copper.customFieldDefinitions());
        custom.replaceAll(c -> !c.name().equals("Secteur") ? c : new Definitions.CustomFieldDef(c.id(), c.name(),
                c.dataType(), c.availableOn(), concat(c.options(),
                new Definitions.CustomFieldDef.Option(999_999L, "Agriculture", 99))));
        MappingValidator.Result result = MappingValidator.check(mapping, new Definitions(merge, custom), false);
        assertThat(result.problems()).isEmpty();
        return result.mapping();
    }

    private static <T> List<T> concat(List<T> list, T more) {
        List<T> out = new java.util.ArrayList<>(list);
        out.add(more);
        return out;
    }

    @Test
    void aMergeFieldMailchimpRefusesIsReportedAndTheRestOfTheMemberIsWritten() throws Exception {
        startCamel();
        SyncRun run = beginRun();
        run.mapping(mappingReadBeforeTheChoiceWasRemoved());
        MailchimpWriter writer = context.getRegistry().lookupByNameAndType("mailchimpWriter", MailchimpWriter.class);
        JsonNode before = mailchimp.member(EMAIL).orElseThrow();
        Contact copper = new Contact(EMAIL, EMAIL, "Sophie", "Bernard", List.of(), null, "1001", null,
                Map.of("telephone", "+33 6 00 00 00 01", "societe", "Atelier Bernard SA", "secteur", "Agriculture"));
        Contact member = new Contact(EMAIL, EMAIL, "Sophie", "Bernard", List.of(), "subscribed",
                before.path("id").asText(), null);
        var update = new Action.UpdateMailchimpMember(EMAIL, copper, member, "Sophie", "Bernard", false, Set.of(),
                Set.of(), List.of(), Map.of("telephone", "+33 6 00 00 00 01", "societe", "Atelier Bernard SA",
                "secteur", "Agriculture"));

        MailchimpWriter.Pending pending = writer.pending();
        writer.updateMembers(run, pending, List.of(update));
        writer.finish(run, pending);

        JsonNode after = mailchimp.member(EMAIL).orElseThrow().path("merge_fields");
        assertThat(after.path("PHONE").asText()).as("the rest of the member is written").isEqualTo("+33 6 00 00 00 01");
        assertThat(after.path("COMPANY").asText()).isEqualTo("Atelier Bernard SA");
        assertThat(after.path("SECTEUR").asText()).as("the refused value is not")
                .isEqualTo(before.path("merge_fields").path("SECTEUR").asText());
        assertThat(run.refusedValues()).singleElement().satisfies(r -> {
            assertThat(r.field()).isEqualTo("secteur");
            assertThat(r.value()).isEqualTo("Agriculture");
            assertThat(r.side()).isEqualTo("mailchimp");
            assertThat(r.id()).isEqualTo("1001");
        });
        assertThat(run.keptOutOfState(EMAIL)).as("kept out of the state: the next run compares it again").isTrue();
        assertThat(run.failed(EMAIL)).as("not a failed contact: its other writes of the run still go").isFalse();
        assertThat(run.operations()).singleElement().satisfies(o -> {
            assertThat(o.success()).isTrue();
            assertThat(o.fieldsSynced()).containsExactlyInAnyOrder("telephone", "societe");
        });
    }

    @Test
    void aNewMemberWithARefusedValueIsSubscribedWithoutIt() throws Exception {
        startCamel();
        SyncRun run = beginRun();
        run.mapping(mappingReadBeforeTheChoiceWasRemoved());
        MailchimpWriter writer = context.getRegistry().lookupByNameAndType("mailchimpWriter", MailchimpWriter.class);
        String email = "nouvelle@exemple.fr";
        Contact copper = new Contact(email, email, "Nina", "Neuve", List.of(), null, "2002", null,
                Map.of("societe", "Neuve SARL", "secteur", "Agriculture"));
        var create = new Action.CreateMailchimpMember(email, copper, "subscribed", Set.of(),
                Map.of("societe", "Neuve SARL", "secteur", "Agriculture"));

        MailchimpWriter.Pending pending = writer.pending();
        writer.createMembers(run, pending, List.of(create));
        writer.finish(run, pending);

        JsonNode created = mailchimp.member(email).orElseThrow();
        assertThat(created.path("merge_fields").path("COMPANY").asText()).isEqualTo("Neuve SARL");
        assertThat(created.path("merge_fields").path("SECTEUR").asText()).isEmpty();
        assertThat(run.refusedValues()).extracting(RefusedValueEntry::field).containsExactly("secteur");
        assertThat(run.operations()).singleElement().satisfies(o -> {
            assertThat(o.success()).isTrue();
            assertThat(o.fieldsSynced()).as("not the refused one").containsExactly("societe");
        });
    }

    private static Map<Long, JsonNode> customValues(JsonNode person) {
        Map<Long, JsonNode> values = new java.util.HashMap<>();
        person.path("custom_fields").forEach(c -> values.put(c.path("custom_field_definition_id").asLong(),
                c.path("value")));
        return values;
    }

    @Test
    void aCustomFieldCopperRefusesIsReportedAndTheRestOfThePersonIsWritten() throws Exception {
        startCamel();
        SyncRun run = beginRun();
        run.mapping(mappingReadBeforeTheChoiceWasRemoved());
        CopperWriter writer = context.getRegistry().lookupByNameAndType("copperWriter", CopperWriter.class);
        long id = copper.fetchByEmail(EMAIL).orElseThrow().id();
        JsonNode before = copper.person(id).orElseThrow();
        long secteurId = copper.customFieldDefinitions().stream().filter(d -> d.name().equals("Secteur")).findFirst()
                .orElseThrow().id();
        Map<String, String> fields = Map.of("societe", "Atelier Bernard SA", "secteur", "Agriculture");
        Contact copperSide = new Contact(EMAIL, EMAIL, "Sophie", "Bernard", List.of(), null, String.valueOf(id), null,
                Map.of("societe", before.path("company_name").asText(), "secteur", "Industrie"));
        Contact member = new Contact(EMAIL, EMAIL, "Sophie", "Bernard", List.of(), "subscribed", "m1", null, fields);
        var update = new Action.UpdateCopperPerson(EMAIL, id, copperSide, member, "Sophie", "Bernard", false,
                List.of(), false, List.of(), fields);

        writer.updatePeople(run, List.of(update));

        JsonNode after = copper.person(id).orElseThrow();
        assertThat(after.path("company_name").asText()).as("the rest of the person is written")
                .isEqualTo("Atelier Bernard SA");
        assertThat(customValues(after).get(secteurId)).as("the refused value is not")
                .isEqualTo(customValues(before).get(secteurId));
        assertThat(run.refusedValues()).singleElement().satisfies(r -> {
            assertThat(r.field()).isEqualTo("secteur");
            assertThat(r.value()).isEqualTo("Agriculture");
            assertThat(r.side()).isEqualTo("copper");
            assertThat(r.id()).isEqualTo(String.valueOf(id));
            assertThat(r.reason()).startsWith("Copper : ").contains("Secteur");
        });
        assertThat(run.keptOutOfState(EMAIL)).as("the next run compares it again").isTrue();
        assertThat(run.failed(EMAIL)).as("not a failed contact: its other writes of the run still go").isFalse();
        assertThat(run.operations()).singleElement().satisfies(o -> {
            assertThat(o.success()).isTrue();
            assertThat(o.fieldsSynced()).containsExactly("societe");
        });
        assertThat(sandbox.calls().get("POST /developer_api/v1/people/bulk_update")).as("one more call, for it")
                .isEqualTo(2L);
    }

    @Test
    void aNewPersonWithARefusedValueIsCreatedWithoutIt() throws Exception {
        startCamel();
        SyncRun run = beginRun();
        run.mapping(mappingReadBeforeTheChoiceWasRemoved());
        CopperWriter writer = context.getRegistry().lookupByNameAndType("copperWriter", CopperWriter.class);
        String email = "nouvelle@exemple.fr";
        Map<String, String> fields = Map.of("societe", "Neuve SARL", "secteur", "Agriculture");
        Contact member = new Contact(email, email, "Nina", "Neuve", List.of(), "subscribed", "m2", null, fields);
        writer.createPeople(run, List.of(new Action.CreateCopperPerson(email, member, "Nina", "Neuve", fields)));

        var created = copper.fetchByEmail(email).orElseThrow();
        assertThat(created.companyName()).isEqualTo("Neuve SARL");
        assertThat(run.refusedValues()).extracting(RefusedValueEntry::field).containsExactly("secteur");
        assertThat(run.operations()).singleElement().satisfies(o -> assertThat(o.success()).isTrue());
        assertThat(run.keptOutOfState(email)).isTrue();
    }
}

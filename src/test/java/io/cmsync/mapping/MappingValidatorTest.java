package io.cmsync.mapping;

import static io.cmsync.mapping.MappingFixtures.customFields;
import static io.cmsync.mapping.MappingFixtures.definitions;
import static io.cmsync.mapping.MappingFixtures.mapping;
import static io.cmsync.mapping.MappingFixtures.merge;
import static io.cmsync.mapping.MappingFixtures.mergeFields;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cmsync.i18n.Messages;
import io.cmsync.mapping.Definitions.MergeFieldDef;
import io.cmsync.mapping.MappingValidator.Problem;
import io.cmsync.mapping.MappingValidator.Result;
import io.cmsync.sync.FieldRule;
import io.cmsync.sync.FlowDirection;

class MappingValidatorTest {
    private static final Messages FR = Messages.of(Messages.Language.FR);
    private static final Messages EN = Messages.of(Messages.Language.EN);

    private static Result check(String yaml) {
        return MappingValidator.check(mapping(yaml), definitions(), false);
    }

    /** The only problem, said in French, naming the mapping file. */
    private static String only(Result r, String key) {
        assertThat(r.ok()).isFalse();
        assertThat(r.mapping()).isNull();
        assertThat(r.problems()).extracting(Problem::problem).containsExactly(key);
        Problem p = r.problems().get(0);
        assertThat(p.describe(EN, Path.of("mapping.yaml"))).doesNotContain("{");
        String fr = p.describe(FR, Path.of("mapping.yaml"));
        assertThat(fr).startsWith("Erreur de configuration : ").contains(" dans mapping.yaml : ");
        return fr;
    }

    private static String entry(String copper, String tag, String more) {
        return "fields:\n  - copper: \"" + copper + "\"\n    mailchimp: " + tag + "\n" + (more == null ? "" : more);
    }

    @Test
    void defaultMappingResolvesToTheNames() {
        Result r = MappingValidator.check(FieldMapping.defaults(), definitions(), false);
        assertThat(r.ok()).isTrue();
        assertThat(r.toCreate()).isEmpty();
        assertThat(r.mapping().firstNameTag()).isEqualTo("FNAME");
        assertThat(r.mapping().lastNameTag()).isEqualTo("LNAME");
        assertThat(r.mapping().rules()).isEmpty();
        assertThat(r.mapping().fingerprint()).isEqualTo("mapping-v1;first_name>FNAME;last_name>LNAME");
    }

    @Test
    void workedExampleResolves() {
        Result r = check("""
                fields:
                  - name: telephone
                    copper: phone_numbers
                    mailchimp: PHONE
                    direction: copper-to-mailchimp
                  - name: societe
                    copper: company_name
                    mailchimp: COMPANY
                    transform: trim
                  - name: secteur
                    copper: custom:Secteur
                    mailchimp: SECTEUR
                """);
        assertThat(r.problems()).isEmpty();
        assertThat(r.mapping().rules()).extracting(FieldRule::name, FieldRule::direction).containsExactly(
                org.assertj.core.groups.Tuple.tuple("telephone", FlowDirection.COPPER_TO_MAILCHIMP),
                org.assertj.core.groups.Tuple.tuple("societe", FlowDirection.BOTH),
                org.assertj.core.groups.Tuple.tuple("secteur", FlowDirection.BOTH));
        assertThat(r.mapping().fingerprint()).contains("secteur=custom:Secteur#510001>SECTEUR:dropdown/both",
                "societe=company_name>COMPANY:text/both/trim");
    }

    @Test
    void renamedNameTags() {
        List<MergeFieldDef> m = new ArrayList<>(mergeFields());
        m.add(merge("PRENOM", "text", null));
        Result r = MappingValidator.check(mapping(entry("first_name", "PRENOM", null)),
                new Definitions(m, customFields()), false);
        assertThat(r.mapping().firstNameTag()).isEqualTo("PRENOM");
    }

    @Test
    void mergeTagMissingFromTheAudience() {
        assertThat(only(check(entry("title", "POSTE", null)), "mapping-merge-field-missing"))
                .contains("title dans mapping.yaml : ligne 2 : le champ POSTE n'existe pas",
                        "mapping.create-missing-merge-fields=true");
    }

    @Test
    void defaultNameTagMissingSaysDefaultEntry() {
        List<MergeFieldDef> m = new ArrayList<>(mergeFields());
        m.removeIf(d -> d.tag().equals("LNAME"));
        Result r = MappingValidator.check(FieldMapping.defaults(), new Definitions(m, customFields()), false);
        assertThat(only(r, "mapping-merge-field-missing")).contains("last_name dans mapping.yaml : entrée par défaut");
    }

    @Test
    void customFieldMissing() {
        assertThat(only(check(entry("custom:Région", "CITY", null)), "mapping-custom-field-missing"))
                .contains("« Région » n'existe pas");
    }

    @Test
    void customFieldMatchedIgnoringCaseWhenNoExactName() {
        assertThat(check(entry("custom:secteur", "SECTEUR", null)).ok()).isTrue();
    }

    @Test
    void customFieldNotAvailableOnPeople() {
        assertThat(only(check(entry("custom:Budget du projet", "CA", null)), "mapping-custom-field-not-person"))
                .contains("n'est pas disponible sur les personnes (seulement : opportunity)");
    }

    @Test
    void connectFieldsAreNotMapped() {
        assertThat(only(check(entry("custom:Compte lié", "REF", null)), "mapping-copper-type"))
                .contains("de type Connect");
    }

    @Test
    void incompatibleTypes() {
        String[][] wrong = {
                {"custom:Secteur", "CA"}, {"custom:Centres d'intérêt", "SECTEUR"}, {"custom:Client depuis", "CA"},
                {"custom:Effectif", "CLIENTDEP"}, {"address", "CITY"}, {"phone_numbers", "WEBSITE"},
                {"title", "CA"}, {"first_name", "SECTEUR"}, {"custom:Accepte les SMS", "CA"},
                {"address.city", "ZIP"}, {"websites", "PHONE"}, {"custom:Page LinkedIn", "PHONE"}};
        for (String[] w : wrong) {
            List<MergeFieldDef> m = new ArrayList<>(mergeFields());
            String yaml = w[0].equals("first_name") ? entry("first_name", w[1], null) : entry(w[0], w[1], null);
            Result r = MappingValidator.check(mapping(yaml), new Definitions(m, customFields()), false);
            assertThat(r.problems()).as(w[0] + " ↔ " + w[1]).extracting(Problem::problem)
                    .contains("mapping-incompatible");
        }
        assertThat(only(check(entry("custom:Secteur", "CA", null)), "mapping-incompatible"))
                .contains("le champ Copper « custom:Secteur » (Dropdown) ne va pas avec le champ Mailchimp CA de type "
                        + "number (types possibles : dropdown, radio, text)");
    }

    @Test
    void compatibleTypesOfTheTable() {
        String[][] right = {
                {"title", "TITLE"}, {"company_name", "SECTEUR"}, {"phone_numbers.mobile", "PHONE"},
                {"phone_numbers.work", "REF"}, {"address", "ADDRESS"}, {"address.city", "CITY"},
                {"address.postal_code", "ZIP"}, {"websites.work", "WEBSITE"}, {"websites", "PHOTO"},
                {"custom:Secteur", "SECTRADIO"}, {"custom:Secteur", "REF"}, {"custom:Centres d'intérêt", "INTERETS"},
                {"custom:Client depuis", "CLIENTDEP"}, {"custom:Client depuis", "NOTES"},
                {"custom:Accepte les SMS", "SMS"}, {"custom:Accepte les SMS", "SMSRADIO"},
                {"custom:Chiffre d'affaires annuel", "CA"}, {"custom:Taux de remise", "REMISE"},
                {"custom:Effectif", "NOTES"}, {"custom:Référence client", "ZIP"}, {"custom:Notes commerciales", "NOTES"},
                {"custom:Page LinkedIn", "LINKEDIN"}, {"custom:Page LinkedIn", "REF"}};
        for (String[] w : right) {
            assertThat(check(entry(w[0], w[1], null)).problems()).as(w[0] + " ↔ " + w[1]).isEmpty();
        }
        assertThat(check(entry("custom:Client depuis", "BIRTHDAY", "    direction: copper-to-mailchimp\n")).ok())
                .isTrue();
    }

    @Test
    void birthdayOnlyFromCopper() {
        assertThat(only(check(entry("custom:Client depuis", "BIRTHDAY", null)), "mapping-birthday-direction"))
                .contains("n'a pas d'année");
    }

    @Test
    void copperOptionWithoutMailchimpChoice() {
        List<MergeFieldDef> m = new ArrayList<>(mergeFields());
        m.removeIf(d -> d.tag().equals("SECTEUR"));
        m.add(merge("SECTEUR", "dropdown", "{\"choices\":[\"Industrie\",\"Commerce\",\"Services\"]}"));
        Result r = MappingValidator.check(mapping(entry("custom:Secteur", "SECTEUR", null)),
                new Definitions(m, customFields()), false);
        assertThat(only(r, "mapping-choices-missing")).contains("manquent dans les choix du champ Mailchimp SECTEUR : "
                + "Santé, Secteur public");
        // Mailchimp → Copper only: the Copper options need no choice
        assertThat(MappingValidator.check(mapping(entry("custom:Secteur", "SECTEUR",
                "    direction: mailchimp-to-copper\n")), new Definitions(m, customFields()), false).ok()).isTrue();
    }

    @Test
    void mailchimpChoiceWithoutCopperOption() {
        List<MergeFieldDef> m = new ArrayList<>(mergeFields());
        m.removeIf(d -> d.tag().equals("SECTEUR"));
        m.add(merge("SECTEUR", "dropdown", "{\"choices\":[\"Industrie\",\"Commerce\",\"Services\",\"Santé\","
                + "\"Secteur public\",\"Agriculture\"]}"));
        Result r = MappingValidator.check(mapping(entry("custom:Secteur", "SECTEUR", null)),
                new Definitions(m, customFields()), false);
        assertThat(only(r, "mapping-options-missing")).contains("options du champ Copper « Secteur » : Agriculture");
        assertThat(MappingValidator.check(mapping(entry("custom:Secteur", "SECTEUR",
                "    direction: copper-to-mailchimp\n")), new Definitions(m, customFields()), false).ok()).isTrue();
    }

    @Test
    void checkboxWithAListNeedsTrueAndFalseChoices() {
        assertThat(only(check(entry("custom:Accepte les SMS", "SECTEUR", null)), "mapping-checkbox-choices"))
                .contains("« true » et « false »");
    }

    @Test
    void transformOnlyOnText() {
        assertThat(only(check(entry("custom:Effectif", "EFFECTIF", "    transform: trim\n")),
                "mapping-transform-not-text")).contains("« trim » ne s'applique qu'aux champs texte");
    }

    @Test
    void multiSelectOptionWithAComma() {
        List<Definitions.CustomFieldDef> c = new ArrayList<>(customFields());
        c.add(MappingFixtures.custom(520001, "Langues", "MultiSelect", List.of("person"), "Français, langue",
                "Anglais"));
        Result r = MappingValidator.check(mapping(entry("custom:Langues", "INTERETS", null)),
                new Definitions(mergeFields(), c), false);
        assertThat(only(r, "mapping-multiselect-comma")).contains("Français, langue");
    }

    @Test
    void requiredMergeFieldTheMappingDoesNotFill() {
        List<MergeFieldDef> m = new ArrayList<>(mergeFields());
        m.add(MappingFixtures.required("REGION", "text"));
        m.add(new MergeFieldDef("PAYS", "Pays", "text", true, "France", MappingFixtures.json("{}"))); // has a default
        Definitions d = new Definitions(m, customFields());
        Result r = MappingValidator.check(FieldMapping.defaults(), d, false);
        assertThat(r.problems()).hasSize(1);
        Problem p = r.problems().get(0);
        assertThat(p.entry()).isNull();
        assertThat(p.subject()).isEqualTo("REGION");
        assertThat(p.describe(FR, Path.of("mapping.yaml"))).contains("REGION dans mapping.yaml : le champ Mailchimp "
                + "REGION (« region ») est obligatoire");
        // filled from Copper: fine; filled only towards Copper: still a problem
        assertThat(MappingValidator.check(mapping(entry("address.state", "REGION", null)), d, false).ok()).isTrue();
        assertThat(MappingValidator.check(mapping(entry("address.state", "REGION",
                "    direction: mailchimp-to-copper\n")), d, false).problems()).extracting(Problem::problem)
                .containsExactly("mapping-required-unfilled");
    }

    @Test
    void twoEntriesWritingTheSameCopperValue() {
        Result r = check("""
                fields:
                  - copper: address
                    mailchimp: ADDRESS
                  - copper: address.city
                    mailchimp: CITY
                """);
        assertThat(only(r, "mapping-same-target")).contains("address.city dans mapping.yaml : ligne 4 : l'entrée "
                + "« address » écrit déjà address dans Copper");
        // one of them only read from Copper: fine
        assertThat(check("""
                fields:
                  - copper: address
                    mailchimp: ADDRESS
                  - copper: address.city
                    mailchimp: CITY
                    direction: copper-to-mailchimp
                """).ok()).isTrue();
        // different categories of the phone numbers: fine; the first number and one category may be the same
        assertThat(check("""
                fields:
                  - copper: phone_numbers.mobile
                    mailchimp: PHONE
                  - copper: phone_numbers.work
                    mailchimp: REF
                """).ok()).isTrue();
        assertThat(check("""
                fields:
                  - copper: phone_numbers
                    mailchimp: PHONE
                  - name: pro
                    copper: phone_numbers.work
                    mailchimp: REF
                """).problems()).extracting(Problem::problem).containsExactly("mapping-same-target");
        assertThat(check("""
                fields:
                  - name: a
                    copper: custom:Secteur
                    mailchimp: SECTEUR
                  - name: b
                    copper: custom:Secteur
                    mailchimp: SECTRADIO
                """).problems()).extracting(Problem::problem).containsExactly("mapping-same-target");
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        Result r = check("""
                fields:
                  - copper: title
                    mailchimp: POSTE
                  - copper: custom:Inconnu
                    mailchimp: REF
                  - copper: custom:Secteur
                    mailchimp: CA
                """);
        assertThat(r.problems()).extracting(Problem::subject).containsExactly("title", "custom:Inconnu",
                "custom:Secteur");
        assertThat(r.problems()).extracting(p -> p.args().get(0)).containsExactly(2, 4, 6);
    }

    @Test
    void createMissingMergeFieldsWithinTheLimit() {
        Result r = MappingValidator.check(mapping("""
                fields:
                  - copper: title
                    mailchimp: POSTE
                  - copper: custom:Secteur
                    mailchimp: SECTEUR2
                  - copper: custom:Client depuis
                    mailchimp: DEPUIS
                  - copper: custom:Effectif
                    mailchimp: EFF
                  - copper: address
                    mailchimp: ADRESSE
                """), definitions(), true);
        assertThat(r.problems()).isEmpty();
        assertThat(r.toCreate()).extracting(MergeFieldDef::tag, MergeFieldDef::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POSTE", "text"),
                org.assertj.core.groups.Tuple.tuple("SECTEUR2", "dropdown"),
                org.assertj.core.groups.Tuple.tuple("DEPUIS", "date"),
                org.assertj.core.groups.Tuple.tuple("EFF", "number"),
                org.assertj.core.groups.Tuple.tuple("ADRESSE", "address"));
        assertThat(r.toCreate().get(1).options().path("choices").toString())
                .isEqualTo("[\"Industrie\",\"Commerce\",\"Services\",\"Santé\",\"Secteur public\"]");
        assertThat(r.toCreate().get(1).name()).isEqualTo("custom:Secteur");
        assertThat(r.mapping().rules()).hasSize(5);
        assertThat(mergeFields().size() + r.toCreate().size()).isEqualTo(30); // exactly the limit
        // one more is over it
        assertThat(MappingValidator.check(mapping(entry("phone_numbers.mobile", "MOBILE", null)), new Definitions(
                new ArrayList<>(java.util.stream.Stream.concat(mergeFields().stream(), r.toCreate().stream())
                        .toList()), customFields()), true).problems()).extracting(Problem::problem)
                .containsExactly("mapping-merge-field-limit");
    }

    @Test
    void createMissingOverTheLimit() {
        StringBuilder yaml = new StringBuilder("fields:\n");
        String[] fields = {"title", "company_name", "address.street", "address.city", "address.state",
                "address.country", "address.postal_code", "custom:Notes commerciales"};
        for (int i = 0; i < fields.length; i++) {
            yaml.append("  - copper: ").append(fields[i]).append("\n    mailchimp: NEW").append(i).append('\n');
        }
        Result r = MappingValidator.check(mapping(yaml.toString()), definitions(), true);
        // 25 fields + 5 = 30: the 6th, 7th and 8th are over
        assertThat(r.problems()).extracting(Problem::problem, Problem::subject).containsExactly(
                org.assertj.core.groups.Tuple.tuple("mapping-merge-field-limit", "address.country"),
                org.assertj.core.groups.Tuple.tuple("mapping-merge-field-limit", "address.postal_code"),
                org.assertj.core.groups.Tuple.tuple("mapping-merge-field-limit", "custom:Notes commerciales"));
        assertThat(r.problems().get(0).describe(FR, Path.of("m.yaml"))).contains("impossible de créer le champ NEW5 : "
                + "une audience a 30 champs au plus, elle en a déjà 25");
        assertThat(r.toCreate()).isEmpty();
        assertThat(r.mapping()).isNull();
    }

    @Test
    void createMissingRefusesATagTooLongToCreate() {
        Result r = MappingValidator.check(mapping(entry("title", "FONCTIONPOSTE", null)), definitions(), true);
        assertThat(only(r, "mapping-tag-too-long")).contains("FONCTIONPOSTE est trop longue");
    }

    @Test
    void createMissingAlsoCreatesTheNames() {
        List<MergeFieldDef> m = new ArrayList<>(mergeFields());
        m.removeIf(d -> d.tag().equals("FNAME"));
        Result r = MappingValidator.check(FieldMapping.defaults(), new Definitions(m, customFields()), true);
        assertThat(r.ok()).isTrue();
        assertThat(r.toCreate()).extracting(MergeFieldDef::tag, MergeFieldDef::type)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("FNAME", "text"));
    }
}

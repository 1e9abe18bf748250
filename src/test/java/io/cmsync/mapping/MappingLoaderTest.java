package io.cmsync.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.config.ConfigException;
import io.cmsync.i18n.Messages;
import io.cmsync.sync.FlowDirection;

class MappingLoaderTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("mapping.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return f;
    }

    private ConfigException mistake(String yaml) throws IOException {
        Path f = file(yaml);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> MappingLoader.load(f));
        assertThat(t).isInstanceOf(ConfigException.class);
        ConfigException e = (ConfigException) t;
        assertThat(e.file()).isEqualTo(f.toString());
        // both languages word it
        assertThat(e.describe(Messages.of(Messages.Language.FR))).doesNotContain("{");
        assertThat(e.describe(Messages.of(Messages.Language.EN))).doesNotContain("{");
        return e;
    }

    private static String french(ConfigException e) {
        return e.describe(Messages.of(Messages.Language.FR));
    }

    @Test
    void absentFileIsTheDefaultMapping() {
        assertThat(MappingLoader.load(dir.resolve("none.yaml"))).isEqualTo(FieldMapping.defaults());
    }

    @Test
    void shippedFileIsTheNamesOnly() {
        FieldMapping m = MappingLoader.load(Path.of("config/mapping.yaml"));
        assertThat(m.entries()).extracting(MappingEntry::name, MappingEntry::copper, MappingEntry::mergeTag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("first_name", "first_name", "FNAME"),
                        org.assertj.core.groups.Tuple.tuple("last_name", "last_name", "LNAME"));
    }

    @Test
    void shippedFilesCommentedExampleLoadsOnceUncommented() throws IOException {
        String shipped = Files.readString(Path.of("config/mapping.yaml"), StandardCharsets.UTF_8);
        int example = shipped.indexOf("# Exemple");
        String text = shipped.substring(0, example) + shipped.substring(example).replaceAll("(?m)^#(  [ -])", "$1");
        FieldMapping m = MappingLoader.load(file(text));
        assertThat(m.entries()).extracting(MappingEntry::name)
                .containsExactly("first_name", "last_name", "telephone", "societe", "secteur");
    }

    @Test
    void readsEveryKeyWithDefaultsAndLines() throws IOException {
        FieldMapping m = MappingLoader.load(file("""
                fields:
                  - name: secteur
                    copper: custom:Secteur
                    mailchimp: secteur
                    direction: mailchimp-to-copper
                    transform: TRIM
                  - copper: phone_numbers.mobile
                    mailchimp: PHONE
                """));
        assertThat(m.entries()).hasSize(4); // the names are added
        MappingEntry secteur = m.entries().get(2);
        assertThat(secteur).isEqualTo(new MappingEntry("secteur", "custom:Secteur", "SECTEUR",
                FlowDirection.MAILCHIMP_TO_COPPER, "trim", 2));
        MappingEntry phone = m.entries().get(3);
        assertThat(phone.name()).isEqualTo("phone_numbers.mobile");
        assertThat(phone.direction()).isEqualTo(FlowDirection.BOTH);
        assertThat(phone.line()).isEqualTo(7);
        assertThat(m.source()).isEqualTo(dir.resolve("mapping.yaml"));
    }

    @Test
    void aNameEntryMayChangeItsTagOnly() throws IOException {
        FieldMapping m = MappingLoader.load(file("""
                fields:
                  - copper: first_name
                    mailchimp: PRENOM
                """));
        assertThat(m.entries()).extracting(MappingEntry::mergeTag).containsExactly("LNAME", "PRENOM");
        assertThat(french(mistake("""
                fields:
                  - copper: last_name
                    mailchimp: LNAME
                    direction: copper-to-mailchimp
                """))).contains("last_name", "ligne 2", "seule l'étiquette Mailchimp peut changer");
        assertThat(mistake("""
                fields:
                  - copper: first_name
                    mailchimp: FNAME
                    transform: upper
                """).key()).isEqualTo("first_name");
    }

    @Test
    void emptyFileOrListIsTheNamesOnly() throws IOException {
        assertThat(MappingLoader.load(file("")).entries()).hasSize(2);
        assertThat(MappingLoader.load(file("fields:\n")).entries()).hasSize(2);
        assertThat(MappingLoader.load(file("fields: []\n")).entries()).hasSize(2);
    }

    @Test
    void syntaxErrorNamesItsLine() throws IOException {
        ConfigException e = mistake("""
                fields:
                  - copper: title
                    mailchimp: [TITLE
                  - copper: company_name
                """);
        assertThat(e.key()).isEqualTo("(file)");
        assertThat(french(e)).contains("YAML mal formé").containsPattern("ligne [345]");
    }

    @Test
    void unknownKeyNamesTheEntry() throws IOException {
        ConfigException e = mistake("""
                fields:
                  - name: poste
                    copper: title
                    mailchimp: TITLE
                    sens: both
                """);
        assertThat(e.key()).isEqualTo("poste");
        assertThat(french(e)).contains("poste dans ", "ligne 2", "clé inconnue « sens »", "direction");
    }

    @Test
    void unknownTopLevelKey() throws IOException {
        assertThat(french(mistake("champs:\n  - copper: title\n"))).contains("ligne 1", "« champs »");
    }

    @Test
    void fieldsMustBeAList() throws IOException {
        assertThat(mistake("fields:\n  copper: title\n").key()).isEqualTo("fields");
    }

    @Test
    void entryMustBeABlock() throws IOException {
        assertThat(french(mistake("fields:\n  - title\n"))).contains("ligne 2", "bloc de clés");
    }

    @Test
    void badDirection() throws IOException {
        ConfigException e = mistake("""
                fields:
                  - copper: title
                    mailchimp: TITLE
                    direction: copper->mailchimp
                """);
        assertThat(e.key()).isEqualTo("title");
        assertThat(french(e)).contains("sens « copper->mailchimp » inconnu");
    }

    @Test
    void badTransform() throws IOException {
        assertThat(french(mistake("""
                fields:
                  - copper: title
                    mailchimp: TITLE
                    transform: capitalize
                """))).contains("transformation « capitalize » inconnue");
    }

    @Test
    void unknownCopperFieldForm() throws IOException {
        for (String form : new String[] {"fax", "phone_numbers.fax", "address.zip", "custom:", "emails"}) {
            ConfigException e = mistake("fields:\n  - copper: \"" + form + "\"\n    mailchimp: X\n");
            assertThat(french(e)).as(form).contains("champ Copper inconnu", "custom:<nom du champ>");
        }
    }

    @Test
    void missingSides() throws IOException {
        assertThat(french(mistake("fields:\n  - mailchimp: X\n"))).contains("« copper » manque");
        assertThat(french(mistake("fields:\n  - copper: title\n"))).contains("« mailchimp » manque");
    }

    @Test
    void badOrReservedMergeTag() throws IOException {
        assertThat(french(mistake("fields:\n  - copper: title\n    mailchimp: MY-TAG\n")))
                .contains("étiquette Mailchimp « MY-TAG » invalide");
        assertThat(french(mistake("fields:\n  - copper: title\n    mailchimp: EMAIL\n")))
                .contains("l'e-mail est la clé");
    }

    @Test
    void valueMustBePlain() throws IOException {
        assertThat(french(mistake("fields:\n  - copper: [title]\n    mailchimp: T\n")))
                .contains("« copper » doit être une valeur simple");
    }

    @Test
    void reservedNames() throws IOException {
        assertThat(french(mistake("fields:\n  - name: \"@x\"\n    copper: title\n    mailchimp: T\n")))
                .contains("le nom « @x » est réservé");
        assertThat(french(mistake("fields:\n  - name: first_name\n    copper: title\n    mailchimp: T\n")))
                .contains("le nom « first_name » est réservé");
    }

    @Test
    void duplicateName() throws IOException {
        ConfigException e = mistake("""
                fields:
                  - copper: phone_numbers
                    mailchimp: PHONE
                  - copper: phone_numbers
                    mailchimp: PHONE2
                    direction: copper-to-mailchimp
                """);
        assertThat(e.key()).isEqualTo("phone_numbers");
        assertThat(french(e)).contains("ligne 4", "déjà celui de l'entrée de la ligne 2");
    }

    @Test
    void duplicateMergeTag() throws IOException {
        ConfigException e = mistake("""
                fields:
                  - copper: title
                    mailchimp: INFO
                  - copper: company_name
                    mailchimp: info
                """);
        assertThat(e.key()).isEqualTo("company_name");
        assertThat(french(e)).contains("ligne 4", "INFO est déjà utilisée par l'entrée « title »");
    }

    @Test
    void aDefaultNameTagTakenByAnotherEntry() throws IOException {
        assertThat(french(mistake("fields:\n  - copper: title\n    mailchimp: FNAME\n")))
                .contains("FNAME est déjà utilisée par l'entrée « first_name »");
    }
}

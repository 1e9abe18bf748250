package io.cmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TagRulesTest {

    private final TagRules rules = TagRules.defaults();

    @ParameterizedTest
    @ValueSource(strings = {
            "🗑️ À SUPPRIMER",           // configured tag
            "🗑 À SUPPRIMER",            // emoji without variation selector
            "À SUPPRIMER",               // emoji missing
            "à supprimer",               // case
            "A SUPPRIMER",               // accent missing
            "  A   SUPPRIMER ",          // extra spaces
            "A SUPPRIMER 🗑️",            // emoji after
            "🗑️À SUPPRIMER",             // no space after the emoji
            "🗑️ a supprimer",
            "🗑️  À  SUPPRIMER  ",
            "A\u0300 SUPPRIMER",         // decomposed accent
            "À\u00A0SUPPRIMER",          // no-break space
            "À-SUPPRIMER",               // punctuation as separator
            "🗑️‍ À SUPPRIMER",           // stray zero-width joiner
            "DELETE",                    // alias
            "delete",
            "Remove",
            " 🗑️ remove ",
    })
    void deletionTagMatches(String tag) {
        assertThat(rules.deletionTag(List.of("client", tag))).as(tag).contains(tag);
        assertThat(rules.isDeletionTag(tag)).as(tag).isTrue();
        assertThat(rules.isProductTag(tag)).as(tag).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "NE PAS SUPPRIMER LE DEVIS",
            "Removed from webinar",
            "supprimer-ancien-devis",
            "SUPPRIMER",
            "À SUPPRIMER PLUS TARD",
            "DELETED",
            "REMOVE ME",
            "don't delete",
            "🗑️",
            "📥 INACTIF",
            "client",
            "",
            "   ",
            "ASUPPRIMER",
            "A SUPPRIMER 2",
            "Mailchimp: désabonné",
    })
    void deletionTagDoesNotMatch(String tag) {
        assertThat(rules.deletionTag(List.of("client", tag))).as(tag).isEmpty();
        assertThat(rules.isDeletionTag(tag)).as(tag).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"📥 INACTIF", "📥INACTIF", "inactif", " Inactif 📥", "INACTIVE", "archived", "Archived"})
    void inactiveTagMatches(String tag) {
        assertThat(rules.inactiveTag(List.of(tag, "VIP"))).as(tag).contains(tag);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INACTIFS", "client inactif depuis 2020", "archive", "ARCHIVED LEADS", "active"})
    void inactiveTagDoesNotMatch(String tag) {
        assertThat(rules.inactiveTag(List.of(tag, "VIP"))).as(tag).isEmpty();
    }

    @Test
    void firstMatchingTagIsReturnedAsCarried() {
        assertThat(rules.deletionTag(List.of("VIP", "a supprimer", "DELETE"))).contains("a supprimer");
        assertThat(rules.deletionTag(List.of())).isEmpty();
        assertThat(rules.deletionTag(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "🗑️ À SUPPRIMER        | A SUPPRIMER",
            "  a   supprimer       | A SUPPRIMER",
            "Mailchimp: désabonné  | MAILCHIMP DESABONNE",
            "Réinscription requise | REINSCRIPTION REQUISE",
            "📥 INACTIF            | INACTIF",
            "straße                | STRASSE",
            "ﬁdèle                 | FIDELE",
            "VIP-2024              | VIP 2024",
    })
    void normalise(String tag, String expected) {
        assertThat(TagRules.normalise(tag)).isEqualTo(expected);
    }

    @Test
    void normaliseNullAndSymbolsOnly() {
        assertThat(TagRules.normalise(null)).isEmpty();
        assertThat(TagRules.normalise("🗑️")).isEmpty();
    }

    @Test
    void emojiOnlyTagsMatchOnlyThemselves() {
        TagRules custom = new TagRules("🗑️", List.of(), "📥", List.of(), "unsub", "cleaned", "resub");
        assertThat(custom.deletionTag(List.of("🗑"))).contains("🗑");
        assertThat(custom.deletionTag(List.of("📥"))).isEmpty();
        assertThat(custom.inactiveTag(List.of("📥"))).contains("📥");
        assertThat(custom.deletionTag(List.of("SUPPRIMER"))).isEmpty();
    }

    @Test
    void configuredAliases() {
        TagRules custom = new TagRules("ARCHIVER", List.of("supprimer", " ", "effacer"), "dormant", null,
                "unsub", "cleaned", "resub");
        assertThat(custom.deletionAliases()).containsExactly("supprimer", "effacer");
        assertThat(custom.deletionTag(List.of("Effacer"))).contains("Effacer");
        assertThat(custom.deletionTag(List.of("DELETE"))).isEmpty(); // default aliases replaced
        assertThat(custom.inactiveTag(List.of("INACTIVE"))).isEmpty();
        assertThat(custom.inactiveTag(List.of("Dormant"))).contains("Dormant");
    }

    @Test
    void productTags() {
        assertThat(rules.isProductTag("Mailchimp: désabonné")).isTrue();
        assertThat(rules.isProductTag("mailchimp : desabonne")).isTrue();
        assertThat(rules.isProductTag("Mailchimp: nettoyé")).isTrue();
        assertThat(rules.isProductTag("réinscription requise")).isTrue();
        assertThat(rules.isProductTag("📥 INACTIF")).isTrue();
        assertThat(rules.isProductTag("ARCHIVED")).isTrue();
        assertThat(rules.isProductTag("VIP")).isFalse();
        assertThat(rules.isProductTag("Mailchimp")).isFalse();
        assertThat(rules.isProductTag("")).isFalse();
        assertThat(rules.isProductTag(null)).isFalse();
    }

    @Test
    void blankConfiguredTagIsRejected() {
        assertThatThrownBy(() -> new TagRules(" ", List.of(), "x", List.of(), "u", "c", "r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deletionTag");
    }
}

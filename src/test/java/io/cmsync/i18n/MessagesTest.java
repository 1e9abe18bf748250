package io.cmsync.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cmsync.i18n.Messages.Language;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private final Messages fr = Messages.of(Language.FR);
    private final Messages en = Messages.of(Language.EN);

    @Test
    void everyKeyIsWordedInBothLanguages() {
        assertThat(en.keys()).containsExactlyInAnyOrderElementsOf(fr.keys());
    }

    @Test
    void everyPatternFormatsInBothLanguages() {
        for (String key : fr.keys()) {
            Object[] args = {2, 2, 2, 2, 2, 2};
            assertThat(fr.get(key, args)).as(key).doesNotContain("{").isNotBlank();
            assertThat(en.get(key, args)).as(key).doesNotContain("{").isNotBlank();
        }
    }

    /** In a MessageFormat pattern a lone ' quotes what follows: « sandbox's {0} » would print « sandboxs {0} ». */
    @Test
    void apostrophesAreDoubledInPatternsWithArguments() throws Exception {
        for (String file : java.util.List.of("/i18n/messages.properties", "/i18n/messages_en.properties")) {
            java.util.Properties p = new java.util.Properties();
            try (var in = new java.io.InputStreamReader(MessagesTest.class.getResourceAsStream(file),
                    java.nio.charset.StandardCharsets.UTF_8)) {
                p.load(in);
            }
            for (String key : p.stringPropertyNames()) {
                String pattern = p.getProperty(key);
                if (pattern.contains("{")) {
                    assertThat(pattern.replace("''", "")).as(file + " " + key).doesNotContain("'");
                }
            }
        }
    }

    @Test
    void frenchPluralsTreatZeroAndOneAsSingular() {
        assertThat(fr.get("common.contacts", 0)).isEqualTo("0 contact");
        assertThat(fr.get("common.contacts", 1)).isEqualTo("1 contact");
        assertThat(fr.get("common.contacts", 2)).isEqualTo("2 contacts");
        assertThat(en.get("common.contacts", 0)).isEqualTo("0 contacts");
        assertThat(en.get("common.contacts", 1)).isEqualTo("1 contact");
    }

    @Test
    void largeCountsAreNotGrouped() {
        assertThat(fr.get("common.contacts", 1_000_000)).isEqualTo("1000000 contacts");
    }

    @Test
    void aMissingKeyFailsLoudly() {
        assertThatThrownBy(() -> fr.get("no.such.key")).hasMessageContaining("no.such.key");
    }

    @Test
    void languageSettingValues() {
        assertThat(Language.parse("English")).isEqualTo(Language.EN);
        assertThat(Language.parse(" ")).isEqualTo(Language.FR);
        assertThatThrownBy(() -> Language.parse("de")).isInstanceOf(IllegalArgumentException.class);
    }
}

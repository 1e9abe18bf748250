package io.cmsync.report;

import io.cmsync.report.ReportMessages.Key;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportMessagesTest {

    @ParameterizedTest
    @EnumSource(Key.class)
    void everyKeyIsWordedInEveryLanguage(Key key) {
        for (ReportLanguage language : ReportLanguage.values()) {
            assertThat(language.text(key)).as("%s %s", language, key).isNotBlank();
        }
    }

    @ParameterizedTest
    @EnumSource(Key.class)
    void placeholdersMatchAcrossLanguages(Key key) {
        assertThat(conversions(ReportLanguage.EN.text(key))).as(key.name())
                .isEqualTo(conversions(ReportLanguage.FR.text(key)));
    }

    /** The template's conversions in order, e.g. "%d%s" (a literal "%%" is left out). */
    private static String conversions(String template) {
        StringBuilder sb = new StringBuilder();
        Matcher m = Pattern.compile("%(%|[sd])").matcher(template);
        while (m.find()) {
            if (!m.group(1).equals("%")) {
                sb.append('%').append(m.group(1));
            }
        }
        return sb.toString();
    }

    @Test
    void languageSetting() {
        assertThat(ReportLanguage.parse(null)).isEqualTo(ReportLanguage.FR);
        assertThat(ReportLanguage.parse("  ")).isEqualTo(ReportLanguage.FR);
        assertThat(ReportLanguage.parse("EN")).isEqualTo(ReportLanguage.EN);
        assertThat(ReportLanguage.parse(" english ")).isEqualTo(ReportLanguage.EN);
        assertThat(ReportLanguage.parse("Français")).isEqualTo(ReportLanguage.FR);
        assertThatThrownBy(() -> ReportLanguage.parse("de"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fr").hasMessageContaining("en");
    }

    @Test
    void formatUsesADotForDecimals() {
        assertThat(ReportMessages.format(ReportLanguage.FR, Key.SUCCESS_RATE, "66.7"))
                .isEqualTo("📊 Taux de réussite: 66.7%");
    }
}

package io.cmsync.mailchimp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Merge fields are cut at 255 UTF-8 bytes, never inside a character. */
class MailchimpMappingTruncateTest {

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({
        "a, 300, 255",
        "é, 200, 127",
        "€, 100, 85",
        "😀, 100, 63",
        "a, 255, 255",
    })
    void cutsOnACharacterBoundary(String unit, int repeat, int expectedUnits) {
        String s = unit.repeat(repeat);
        String cut = MailchimpMapping.truncateUtf8(s, 255);
        assertThat(cut).isEqualTo(unit.repeat(expectedUnits));
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(cut);
    }

    @Test
    void mixedTextNeverEndsInAHalfCharacter() {
        String s = "a" + "😀".repeat(100);
        for (int max = 0; max < 40; max++) {
            String cut = MailchimpMapping.truncateUtf8(s, max);
            assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
            assertThat(!cut.isEmpty() && Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
            assertThat(s).startsWith(cut);
        }
        assertThat(MailchimpMapping.truncateUtf8("e\u0301".repeat(100), 255).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(255);
    }

    @Test
    void nullAndShortValues() {
        assertThat(MailchimpMapping.truncateUtf8(null, 255)).isEmpty();
        assertThat(MailchimpMapping.truncateUtf8("", 255)).isEmpty();
        assertThat(MailchimpMapping.truncateUtf8("Zoé 🎉", 255)).isEqualTo("Zoé 🎉");
        assertThat(MailchimpMapping.mergeFields("é".repeat(200), null)).containsEntry("FNAME", "é".repeat(127))
                .containsEntry("LNAME", "");
    }
}

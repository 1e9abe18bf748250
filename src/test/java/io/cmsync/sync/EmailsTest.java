package io.cmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailsTest {

    @Test
    void normaliseTrimsAndLowerCases() {
        assertThat(Emails.normalise("  Jean.Dupont@Exemple.FR \t")).isEqualTo("jean.dupont@exemple.fr");
        assertThat(Emails.normalise("\u00A0ANNE@X.COM\u200B")).isEqualTo("anne@x.com");
        assertThat(Emails.normalise(null)).isEmpty();
        assertThat(Emails.normalise("   ")).isEmpty();
    }

    @Test
    void normaliseUsesRootLocale() {
        // a Turkish default locale would turn "I" into a dotless i
        assertThat(Emails.normalise("INFO@X.COM")).isEqualTo("info@x.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jean@exemple.fr",
            "jean.dupont@exemple.fr",
            "jean+newsletter@exemple.fr",
            "j_d-1@mail.sub.exemple.co.uk",
            "o'neil@exemple.ie",
            "a@b.co",
            "contact@société.fr",
            "info@xn--socit-esab.fr",
            "user@münchen.de",
            "x@exemple-1.com",
            "1234567890123456789012345678901234567890123456789012345678901234@exemple.fr",
    })
    void valid(String email) {
        assertThat(Emails.isValid(email)).as(email).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "jean",
            "jean@",
            "@exemple.fr",
            "jean@@exemple.fr",
            "jean@dupont@exemple.fr",
            "jean dupont@exemple.fr",
            "jean@exemple .fr",
            "jean@exemple",
            "jean@exemple.f",
            "jean@exemple.123",
            "jean..dupont@exemple.fr",
            ".jean@exemple.fr",
            "jean.@exemple.fr",
            "jean@exemple..fr",
            "jean@.exemple.fr",
            "jean@exemple.fr.",
            "jean@-exemple.fr",
            "jean@exemple-.fr",
            "jean@exem_ple.fr",
            "jean(at)exemple.fr",
            "jéan@exemple.fr",
            "12345678901234567890123456789012345678901234567890123456789012345@exemple.fr",
            "jean@exemple.fr,anne@exemple.fr",
            "<jean@exemple.fr>",
    })
    void invalid(String email) {
        assertThat(Emails.isValid(email)).as(email).isFalse();
    }

    @Test
    void nullIsInvalid() {
        assertThat(Emails.isValid(null)).isFalse();
    }

    @Test
    void localPart() {
        assertThat(Emails.localPart("jean.dupont@exemple.fr")).isEqualTo("jean.dupont");
        assertThat(Emails.localPart("nothing")).isEqualTo("nothing");
    }
}

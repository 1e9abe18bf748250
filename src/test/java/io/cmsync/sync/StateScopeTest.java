package io.cmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.cmsync.i18n.Messages;

/** The scope a synced state records, read back, and what changed since, in the report's language. */
class StateScopeTest {
    private static final StateScope TEST = new StateScope("TEST", "+Test", "Ops@Exemple.fr", "aud1", "mapping-v1;a");

    @Test
    void aStoredScopeReadsBackTheSame() {
        assertThat(StateScope.parse(TEST.stored())).contains(TEST);
        assertThat(StateScope.parse(new StateScope("PRODUCTION", "x", "a@b", "l").stored()))
                .as("a scope without a mapping keeps the four-line form states had before mappings")
                .contains(new StateScope("PRODUCTION", "", "a@b", "l", ""));
        assertThat(StateScope.parse("garbage")).isEmpty();
    }

    @Test
    void whatChangedIsSaidInTheReportsLanguage() {
        StateScope now = new StateScope("PRODUCTION", null, "ops@exemple.fr", "aud2", "mapping-v1;b");
        assertThat(now.changesSince(TEST, Messages.of(Messages.Language.FR))).isEqualTo(
                "mode TEST → PRODUCTION, audience Mailchimp aud1 → aud2, correspondance des champs modifiée");
        assertThat(now.changesSince(TEST, Messages.of(Messages.Language.EN)))
                .isEqualTo("mode TEST → PRODUCTION, Mailchimp audience aud1 → aud2, field mapping changed");
        StateScope marker = new StateScope("TEST", "+essai", "ops@exemple.fr", "aud1", "mapping-v1;a");
        assertThat(marker.changesSince(TEST, Messages.of(Messages.Language.EN))).isEqualTo("test marker \"+test\" → \"+essai\"");
        assertThat(TEST.changesSince(TEST, Messages.of(Messages.Language.EN))).isEmpty();
    }
}

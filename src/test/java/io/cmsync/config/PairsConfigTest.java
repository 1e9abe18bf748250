package io.cmsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.i18n.Messages;

/** {@code pairs=…} and {@code pair.<name>.<key>}: each pair's settings, secrets and folders, and every mistake. */
class PairsConfigTest {
    @TempDir
    Path dir;
    Path config;
    Path env;
    final Map<String, String> environment = new HashMap<>();

    @BeforeEach
    void files() throws IOException {
        config = dir.resolve("application.properties");
        Files.copy(Path.of("config/application.properties"), config);
        env = dir.resolve(".env");
        Files.writeString(env, """
                COPPER_API_KEY=copper-key
                COPPER_API_EMAIL=owner@example.com
                MAILCHIMP_API_KEY=abc-us6
                MAILCHIMP_LIST_ID=common0001
                FR_MAILCHIMP_LIST_ID=frlist0001
                EN_MAILCHIMP_LIST_ID=enlist0001
                EN_MAILCHIMP_API_KEY=def-us21
                """, StandardCharsets.UTF_8);
    }

    private void append(String lines) throws IOException {
        Files.writeString(config, "\n" + lines + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    private List<Settings> load() {
        return Pairs.load(config, env, environment, Map.of());
    }

    @Test
    void noPairsIsTodaysSinglePairWithTodaysFiles() {
        List<Settings> pairs = load();
        assertThat(pairs).hasSize(1);
        Settings s = pairs.get(0);
        assertThat(s.implicitPair()).isTrue();
        assertThat(s.pairLabel()).isEqualTo("default");
        assertThat(s.dataDir()).isEqualTo(Path.of("data"));
        assertThat(s.reportsDir()).isEqualTo(Path.of("reports"));
        assertThat(s.archiveDir()).isEqualTo(Path.of("archive"));
        assertThat(s.stateJdbcUrl()).isEqualTo("jdbc:h2:file:./data/sync-state");
        assertThat(s.secrets().mailchimpListId()).isEqualTo("common0001");
        assertThat(s.copperScopeTag()).isEmpty();
    }

    @Test
    void eachPairHasItsOwnSettingsSecretsAndFolders() throws IOException {
        append("""
                pairs=fr, en
                pair.en.sync.cron=0 5/15 * * * ?
                pair.en.sync.mode=PRODUCTION
                pair.en.scope.copper-tag=Newsletter EN
                pair.fr.scope.copper-tag=Newsletter FR
                pair.fr.paths.reports-dir=rapports-fr
                """);
        List<Settings> pairs = load();
        assertThat(pairs).extracting(Settings::pair).containsExactly("fr", "en");
        Settings fr = pairs.get(0);
        Settings en = pairs.get(1);
        assertThat(en.cron()).isEqualTo("0 5/15 * * * ?");
        assertThat(fr.cron()).isEqualTo("0 0/15 * * * ?");
        assertThat(en.productionMode()).isTrue();
        assertThat(fr.productionMode()).isFalse();
        assertThat(en.copperScopeTag()).isEqualTo("Newsletter EN");
        // prefixed secrets win; a missing prefixed key falls back to the common one (one Copper account here)
        assertThat(fr.secrets().mailchimpListId()).isEqualTo("frlist0001");
        assertThat(fr.secrets().mailchimpApiKey()).isEqualTo("abc-us6");
        assertThat(en.secrets().mailchimpApiKey()).isEqualTo("def-us21");
        assertThat(en.secrets().mailchimpDc()).isEqualTo("us21");
        assertThat(en.mailchimpBaseUrl().toString()).isEqualTo("https://us21.api.mailchimp.com/3.0");
        assertThat(en.secrets().copperApiEmail()).isEqualTo("owner@example.com");
        // own folders by default; a pair's own setting as written
        assertThat(en.dataDir()).isEqualTo(Path.of("data/pairs/en"));
        assertThat(en.stateJdbcUrl()).isEqualTo("jdbc:h2:file:./data/pairs/en/sync-state");
        assertThat(en.lockFile()).isEqualTo(Path.of("data/pairs/en/sync.lock"));
        assertThat(en.reportsDir()).isEqualTo(Path.of("reports/en"));
        assertThat(en.archiveDir()).isEqualTo(Path.of("archive/en"));
        assertThat(fr.reportsDir()).isEqualTo(Path.of("rapports-fr"));
    }

    @Test
    void pairsOnOnePostgresDatabaseEachHaveASchema() throws IOException {
        append("""
                pairs=fr,en
                state.jdbc-url=jdbc:postgresql://localhost:5432/cmsync
                """);
        Files.writeString(env, "STATE_DB_USER=cmsync\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        List<Settings> pairs = load();
        assertThat(pairs.get(0).stateJdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/cmsync?currentSchema=cmsync_fr");
        assertThat(pairs.get(1).stateDatabase().schema()).isEqualTo("cmsync_en");
    }

    @Test
    void aBadPairName() throws IOException {
        append("pairs=fr,EN-2");
        assertThatThrownBy(this::load).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("pairs");
            assertThat(e.file()).isEqualTo(config.toString());
            assertThat(e.describe(Messages.of(Messages.Language.FR))).contains("EN-2").contains("pairs");
        });
    }

    @Test
    void aPairDeclaredTwice() throws IOException {
        append("pairs=fr,en,fr");
        assertThatThrownBy(this::load).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.getMessage()).contains("pairs").contains("\"fr\" is declared twice"));
    }

    @Test
    void aKeyOfAnUndeclaredPair() throws IOException {
        append("""
                pairs=fr,en
                pair.de.sync.cron=0 0/5 * * * ?
                """);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("pair.de.sync.cron");
            assertThat(e.file()).isEqualTo(config.toString());
            assertThat(e.getMessage()).contains("\"de\" is not declared").contains("fr, en");
        });
    }

    @Test
    void aPairKeyWithoutPairs() throws IOException {
        append("pair.en.sync.cron=0 0/5 * * * ?");
        assertThatThrownBy(this::load).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("pair.en.sync.cron"));
    }

    @Test
    void aDeploymentWideSettingPerPair() throws IOException {
        append("""
                pairs=fr,en
                pair.en.language=en
                """);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("pair.en.language");
            assertThat(e.getMessage()).contains("not a per-pair setting");
        });
    }

    @Test
    void twoPairsOnTheSameAudience() throws IOException {
        append("pairs=fr,en,de");
        // de has no DE_MAILCHIMP_LIST_ID, and no key of its own: the common audience... which is nobody else's here
        Files.writeString(env, "DE_MAILCHIMP_LIST_ID=frlist0001\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("DE_MAILCHIMP_LIST_ID");
            assertThat(e.file()).isEqualTo(env.toString());
            assertThat(e.describe(Messages.of(Messages.Language.FR))).contains("« fr » et « de »");
        });
    }

    @Test
    void aBadValueInAPairNamesThePairsKey() throws IOException {
        append("""
                pairs=fr,en
                pair.en.sync.mode=SOMETIMES
                """);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("pair.en.sync.mode"));
    }

    @Test
    void aMissingSecretNamesThePrefixedKey() throws IOException {
        append("pairs=fr,en");
        Files.writeString(env, "MAILCHIMP_LIST_ID=common0001\n", StandardCharsets.UTF_8);
        assertThatThrownBy(this::load).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.key()).isEqualTo("FR_COPPER_API_KEY"));
    }

    @Test
    void aPairsOwnSafetyLimits() throws IOException {
        append("""
                pairs=fr,en
                safety.max-removals=50
                pair.en.safety.max-removals=5
                """);
        assertThat(SafetySettings.load(config, "en").maxRemovals()).isEqualTo(5);
        assertThat(SafetySettings.load(config, "fr").maxRemovals()).isEqualTo(50);
        assertThat(SafetySettings.load(config, null).maxRemovals()).isEqualTo(50);
    }
}

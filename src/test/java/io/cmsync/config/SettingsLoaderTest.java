package io.cmsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
    @TempDir
    Path dir;
    Path properties;
    Path env;

    @BeforeEach
    void copyShippedConfiguration() throws IOException {
        properties = dir.resolve("application.properties");
        Files.copy(Path.of("config/application.properties"), properties);
        env = dir.resolve(".env");
        Files.writeString(env, """
                # comment
                COPPER_API_KEY=copper-secret-123
                COPPER_API_EMAIL=ops@acme.fr
                export MAILCHIMP_API_KEY="mc-secret-456-us6"
                MAILCHIMP_LIST_ID=abc123def4
                """, StandardCharsets.UTF_8);
    }

    private Settings load(Map<String, String> environment) {
        return new SettingsLoader(properties, env, environment, Map.of()).load();
    }

    private void setProperty(String key, String value) throws IOException {
        String text = Files.readString(properties, StandardCharsets.UTF_8);
        text = text.replaceAll("(?m)^" + java.util.regex.Pattern.quote(key) + "=.*$",
                java.util.regex.Matcher.quoteReplacement(key + "=" + value));
        Files.writeString(properties, text, StandardCharsets.UTF_8);
    }

    @Test
    void shippedConfigurationLoadsWithDefaults() {
        Settings s = load(Map.of());
        assertThat(s.productionMode()).isFalse();
        assertThat(s.testMarker()).isEqualTo("@exemple");
        assertThat(s.cron()).isEqualTo("0 0/15 * * * ?");
        assertThat(s.deletionTag()).isEqualTo("🗑️ À SUPPRIMER"); // read as UTF-8
        assertThat(s.mailchimpBaseUrl()).hasToString("https://us6.api.mailchimp.com/3.0"); // dc from the key suffix
        assertThat(s.copperBaseUrl()).hasToString("https://api.copper.com/developer_api/v1");
        assertThat(s.copperRequestsPerMinute()).isEqualTo(180); // Copper's documented limits
        assertThat(s.copperBulkRequestsPerSecond()).isEqualTo(3);
        assertThat(s.secrets().mailchimpDc()).isEqualTo("us6");
        assertThat(s.stateJdbcUrl()).isEqualTo("jdbc:h2:file:./data/sync-state");
    }

    @Test
    void environmentOverridesDotEnvAndBaseUrls() {
        Map<String, String> environment = new HashMap<>();
        environment.put("COPPER_API_KEY", "from-env");
        environment.put("COPPER_BASE_URL", "http://127.0.0.1:18080/developer_api/v1/");
        environment.put("MAILCHIMP_BASE_URL", "http://127.0.0.1:18080/3.0");
        Settings s = load(environment);
        assertThat(s.secrets().copperApiKey()).isEqualTo("from-env");
        assertThat(s.copperBaseUrl()).hasToString("http://127.0.0.1:18080/developer_api/v1");
        assertThat(s.mailchimpBaseUrl()).hasToString("http://127.0.0.1:18080/3.0");
    }

    @Test
    void missingEnvKeyNamesTheKeyAndTheFile() throws IOException {
        Files.writeString(env, "COPPER_API_KEY=x\nCOPPER_API_EMAIL=a@b.fr\nMAILCHIMP_LIST_ID=l\n");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("MAILCHIMP_API_KEY in " + env)
                .hasMessageContaining("missing");
    }

    @Test
    void dataCenterRequiredWhenTheKeyHasNoSuffix() throws IOException {
        Files.writeString(env, "COPPER_API_KEY=x\nCOPPER_API_EMAIL=a@b.fr\nMAILCHIMP_API_KEY=nosuffix\nMAILCHIMP_LIST_ID=l\n");
        assertThatThrownBy(() -> load(Map.of())).hasMessageStartingWith("MAILCHIMP_DC in " + env);
    }

    @Test
    void malformedBaseUrlIsRejected() throws IOException {
        setProperty("copper.base-url", "api.copper.com/developer_api");
        assertThatThrownBy(() -> load(Map.of()))
                .hasMessageStartingWith("copper.base-url in " + properties)
                .hasMessageContaining("http(s) URL");
    }

    @Test
    void nonNumericSettingIsRejected() throws IOException {
        setProperty("copper.page-size", "two hundred");
        assertThatThrownBy(() -> load(Map.of()))
                .hasMessage("copper.page-size in " + properties + ": must be a whole number, got 'two hundred'");
    }

    @Test
    void outOfRangePageSizeIsRejected() throws IOException {
        setProperty("mailchimp.page-size", "5000");
        assertThatThrownBy(() -> load(Map.of())).hasMessageContaining("between 1 and 1000");
    }

    @Test
    void bulkPacingDefaultsToCoppersLimitAndIsBounded() throws IOException {
        setProperty("copper.bulk-requests-per-second", "0");
        assertThatThrownBy(() -> load(Map.of())).hasMessageContaining("copper.bulk-requests-per-second in " + properties)
                .hasMessageContaining("between 1 and 1000");
        Files.writeString(properties, Files.readString(properties, StandardCharsets.UTF_8)
                .replaceAll("(?m)^copper\\.bulk-requests-per-second=.*$", ""), StandardCharsets.UTF_8);
        assertThat(load(Map.of()).copperBulkRequestsPerSecond()).isEqualTo(3); // a configuration of an older version
    }

    @Test
    void badCronAndModeAreRejected() throws IOException {
        setProperty("sync.cron", "every 15 minutes");
        assertThatThrownBy(() -> load(Map.of())).hasMessageStartingWith("sync.cron in ");
        setProperty("sync.cron", "0 0/15 * * * ?");
        setProperty("sync.mode", "PROD");
        assertThatThrownBy(() -> load(Map.of())).hasMessageStartingWith("sync.mode in ");
    }

    @Test
    void malformedEnvLineIsReportedByNumberWithoutItsContent() throws IOException {
        Files.writeString(env, "COPPER_API_KEY=x\nthis line holds secret-789 but no equals\n");
        assertThatThrownBy(() -> load(Map.of()))
                .hasMessageStartingWith(env + ": line 2")
                .hasMessageNotContaining("secret-789");
    }

    @Test
    void secretsNeverPrintThemselves() {
        Settings s = load(Map.of());
        assertThat(s.secrets().toString()).doesNotContain("copper-secret-123").doesNotContain("mc-secret-456");
        assertThat(s.toString()).doesNotContain("copper-secret-123").doesNotContain("mc-secret-456");
    }

    @Test
    void languageAndTimezoneDefaultToFrenchAndParis() throws IOException {
        Settings shipped = load(Map.of());
        assertThat(shipped.language()).isEqualTo(io.cmsync.i18n.Messages.Language.FR);
        assertThat(shipped.zone()).isEqualTo(java.time.ZoneId.of("Europe/Paris"));
        Files.writeString(properties, Files.readString(properties, StandardCharsets.UTF_8)
                .replaceAll("(?m)^(language|timezone)=.*$", ""), StandardCharsets.UTF_8);
        Settings without = load(Map.of());
        assertThat(without.language()).isEqualTo(io.cmsync.i18n.Messages.Language.FR);
        assertThat(without.reportLanguage()).isEqualTo("fr");
        assertThat(without.zone()).isEqualTo(java.time.ZoneId.of("Europe/Paris"));
    }

    @Test
    void theOlderNamesReportLanguageAndReportTimezoneStillWork() throws IOException {
        Files.writeString(properties, Files.readString(properties, StandardCharsets.UTF_8)
                .replaceAll("(?m)^language=.*$", "report.language=en")
                .replaceAll("(?m)^timezone=.*$", "report.timezone=America/New_York"), StandardCharsets.UTF_8);
        Settings s = load(Map.of());
        assertThat(s.language()).isEqualTo(io.cmsync.i18n.Messages.Language.EN);
        assertThat(s.reportLanguage()).isEqualTo("en");
        assertThat(s.zone()).isEqualTo(java.time.ZoneId.of("America/New_York"));
    }

    @Test
    void bothNamesWithDifferentValuesIsAnErrorNamingBoth() throws IOException {
        Files.writeString(properties, "\nreport.language=en\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).describe(io.cmsync.i18n.Messages.of(
                        io.cmsync.i18n.Messages.Language.FR)))
                        .startsWith("Erreur de configuration : language dans " + properties)
                        .contains("report.language", "« fr »", "« en »"));
        setProperty("language", "en");
        assertThat(load(Map.of()).language()).isEqualTo(io.cmsync.i18n.Messages.Language.EN); // same meaning: fine

        setProperty("report.language", "en");
        Files.writeString(properties, "\nreport.timezone=UTC\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> load(Map.of())).hasMessageStartingWith("timezone in " + properties)
                .hasMessageContaining("report.timezone");
    }

    @Test
    void theEnvironmentLanguageWinsOverTheFile() {
        assertThat(load(Map.of("CMSYNC_LANGUAGE", "english")).language())
                .isEqualTo(io.cmsync.i18n.Messages.Language.EN);
        assertThat(SettingsLoader.languageOf(properties, Map.of("CMSYNC_LANGUAGE", "en")))
                .isEqualTo(io.cmsync.i18n.Messages.Language.EN);
        assertThat(SettingsLoader.languageOf(properties, Map.of())).isEqualTo(io.cmsync.i18n.Messages.Language.FR);
        assertThat(SettingsLoader.languageOf(dir.resolve("none.properties"), Map.of()))
                .isEqualTo(io.cmsync.i18n.Messages.Language.FR);
        assertThatThrownBy(() -> load(Map.of("CMSYNC_LANGUAGE", "de"))).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).describe(io.cmsync.i18n.Messages.of(
                        io.cmsync.i18n.Messages.Language.FR))).isEqualTo("Erreur de configuration : CMSYNC_LANGUAGE "
                        + "dans l'environnement : langue inconnue « de » : fr (français) ou en (anglais)"));
    }

    @Test
    void theEmbeddedStateIsOpenedAsH2sDefaultUserWhateverDotEnvSaysForPostgres() throws IOException {
        // .env set up for a PostgreSQL state, and a --sandbox run (which keeps its own H2 state)
        Files.writeString(env, "STATE_DB_USER=cmsync\nSTATE_DB_PASSWORD=pg-secret-789\n", StandardOpenOption.APPEND);
        Settings s = load(Map.of());
        assertThat(s.stateDatabase().postgres()).isFalse();
        assertThat(s.stateDatabase().user()).isEqualTo("sa");
        assertThat(s.stateDatabase().password()).isEmpty();
    }

    @Test
    void aPostgresStateTakesItsCredentialsFromDotEnvAndNeverPrintsThePassword() throws IOException {
        setProperty("state.jdbc-url", "jdbc:postgresql://db.internal:5432/cmsync");
        assertThatThrownBy(() -> load(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("STATE_DB_USER in " + env);

        Files.writeString(env, "STATE_DB_USER=cmsync\nSTATE_DB_PASSWORD=pg-secret-789\n", StandardOpenOption.APPEND);
        Settings s = load(Map.of());
        assertThat(s.stateDatabase().postgres()).isTrue();
        assertThat(s.stateDatabase().user()).isEqualTo("cmsync");
        assertThat(s.stateDatabase().password()).isEqualTo("pg-secret-789");
        assertThat(s.toString()).doesNotContain("pg-secret-789");
        assertThat(load(Map.of("STATE_DB_PASSWORD", "from-the-environment")).stateDatabase().password())
                .as("the environment wins over .env, as for the API keys").isEqualTo("from-the-environment");
    }

    @Test
    void aStateUrlOfAnotherDatabaseIsRejected() throws IOException {
        setProperty("state.jdbc-url", "jdbc:mysql://db/cmsync");
        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("state.jdbc-url");
    }

    @Test
    void fieldMappingSettingsAndTheirDefaults() throws IOException {
        Settings s = load(Map.of());
        assertThat(s.mappingFile()).isEqualTo(Path.of("config/mapping.yaml"));
        assertThat(s.createMissingMergeFields()).isFalse();

        setProperty("mapping.file", "/etc/cmsync/mapping.yaml");
        setProperty("mapping.create-missing-merge-fields", "true");
        s = load(Map.of());
        assertThat(s.mappingFile()).isEqualTo(Path.of("/etc/cmsync/mapping.yaml"));
        assertThat(s.createMissingMergeFields()).isTrue();

        // both optional: an older settings file without them keeps today's behaviour
        String text = Files.readString(properties, StandardCharsets.UTF_8)
                .replaceAll("(?m)^mapping\\..*$", "");
        Files.writeString(properties, text, StandardCharsets.UTF_8);
        s = load(Map.of());
        assertThat(s.mappingFile()).isEqualTo(Path.of(SettingsLoader.DEFAULT_MAPPING_FILE));
        assertThat(s.createMissingMergeFields()).isFalse();
    }

    @Test
    void fieldMappingSettingsMistakes() throws IOException {
        setProperty("mapping.create-missing-merge-fields", "oui");
        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("mapping.create-missing-merge-fields in " + properties);
        setProperty("mapping.create-missing-merge-fields", "false");
        setProperty("mapping.file", "");
        assertThatThrownBy(() -> load(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("mapping.file in " + properties);
    }
}

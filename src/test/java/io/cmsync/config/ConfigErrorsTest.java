package io.cmsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cmsync.i18n.Messages;
import io.cmsync.i18n.Messages.Language;

/** Every configuration mistake is one line naming the key and the file, in French by default and in English. */
class ConfigErrorsTest {
    private static final String ENV_OK = """
            COPPER_API_KEY=ck-111
            COPPER_API_EMAIL=ops@acme.fr
            MAILCHIMP_API_KEY=mk-222-us6
            MAILCHIMP_LIST_ID=abc123
            """;

    @TempDir
    Path dir;
    Path properties;
    Path env;

    @BeforeEach
    void files() throws IOException {
        properties = dir.resolve("application.properties");
        Files.copy(Path.of("config/application.properties"), properties);
        env = dir.resolve(".env");
        Files.writeString(env, ENV_OK);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("sync.mode", "PROD", "sync.mode"),
                Arguments.of("sync.cron", "every 15 minutes", "sync.cron"),
                Arguments.of("sync.full-reconciliation-cron", "nightly", "sync.full-reconciliation-cron"),
                Arguments.of("sync.new-member-status", "maybe", "sync.new-member-status"),
                Arguments.of("sync.import-statuses", "happy", "sync.import-statuses"),
                Arguments.of("sync.incremental", "perhaps", "sync.incremental"),
                Arguments.of("tags.deletion", "", "tags.deletion"),
                Arguments.of("copper.base-url", "ftp//nowhere", "copper.base-url"),
                Arguments.of("copper.page-size", "two hundred", "copper.page-size"),
                Arguments.of("copper.page-size", "999", "copper.page-size"),
                Arguments.of("state.jdbc-url", "h2:file:x", "state.jdbc-url"),
                Arguments.of("language", "de", "language"),
                Arguments.of("timezone", "Mars/Olympus", "timezone"),
                Arguments.of("flagged.mailchimp-action", "burn", "flagged.mailchimp-action"),
                Arguments.of("safety.max-update-ratio", "2", "safety.max-update-ratio"),
                Arguments.of("safety.max-removals", "-1", "safety.max-removals"),
                Arguments.of("safety.first-production-run-needs-confirmation", "maybe",
                        "safety.first-production-run-needs-confirmation"),
                Arguments.of(".env", "COPPER_API_KEY=ck\nCOPPER_API_EMAIL=ops@acme.fr\nMAILCHIMP_API_KEY=mk-us6\n",
                        "MAILCHIMP_LIST_ID"),
                Arguments.of(".env", ENV_OK.replace("ops@acme.fr", "ops"), "COPPER_API_EMAIL"),
                Arguments.of(".env", ENV_OK + "MAILCHIMP_DC=europe\n", "MAILCHIMP_DC"),
                Arguments.of(".env", ENV_OK.replace("mk-222-us6", "mk-222"), "MAILCHIMP_DC"),
                Arguments.of(".env", "COPPER_API_KEY=x\nthis line holds secret-789\n", null),
                Arguments.of("(no file)", "", null));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("mistakes")
    void namesTheKeyAndTheFileInBothLanguages(String key, String value, String expectedKey) throws IOException {
        Path file = properties;
        Path settingsFile = properties;
        if (key.equals(".env")) {
            Files.writeString(env, value, StandardCharsets.UTF_8);
            file = env;
        } else if (key.equals("(no file)")) {
            settingsFile = dir.resolve("missing.properties");
            file = settingsFile;
        } else {
            set(key, value);
        }
        Path loaded = settingsFile;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> {
            new SettingsLoader(loaded, env, Map.of(), Map.of()).load();
            SafetySettings.load(loaded);
        });
        assertThat(e).as("a ConfigException").isNotNull();

        String fr = e.describe(Messages.of(Language.FR));
        String en = e.describe(Messages.of(Language.EN));
        if (expectedKey != null) {
            assertThat(fr).startsWith("Erreur de configuration : " + expectedKey + " dans " + file + " : ");
            assertThat(en).startsWith("Configuration error: " + expectedKey + " in " + file + ": ");
        } else {
            assertThat(fr).startsWith("Erreur de configuration : " + file + " : ");
            assertThat(en).startsWith("Configuration error: " + file + ": ");
        }
        String frProblem = fr.substring(fr.lastIndexOf(file.toString()) + file.toString().length());
        String enProblem = en.substring(en.lastIndexOf(file.toString()) + file.toString().length());
        assertThat(frProblem).as("the problem, said in French").isNotEqualTo(enProblem)
                .doesNotContainPattern("\\b(must|got|missing|cannot|expected|not found)\\b");
        assertThat(fr.lines()).hasSize(1);
        assertThat(fr + en).doesNotContain("secret-789", "ck-111", "mk-222");
    }

    private void set(String key, String value) throws IOException {
        String text = Files.readString(properties, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=.*$").matcher(text);
        text = m.find() ? m.replaceAll(Matcher.quoteReplacement(key + "=" + value)) : text + "\n" + key + "=" + value + "\n";
        Files.writeString(properties, text, StandardCharsets.UTF_8);
    }
}

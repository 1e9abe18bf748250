package io.cmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: help, and configuration mistakes (one line, exit code 2, no stack trace). */
class ApplicationTest {
    @TempDir
    Path dir;
    Path config;
    Path env;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void files() throws Exception {
        config = dir.resolve("application.properties");
        Files.copy(Path.of("config/application.properties"), config);
        env = dir.resolve(".env");
        Files.writeString(env, """
                COPPER_API_KEY=ck-111
                COPPER_API_EMAIL=ops@acme.fr
                MAILCHIMP_API_KEY=mk-222-us6
                MAILCHIMP_LIST_ID=abc123
                """);
    }

    private int run(String... args) {
        return Application.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private void set(String key, String value) throws Exception {
        String text = Files.readString(config, StandardCharsets.UTF_8)
                .replaceAll("(?m)^" + java.util.regex.Pattern.quote(key) + "=.*$", key + "=" + value);
        Files.writeString(config, text, StandardCharsets.UTF_8);
    }

    private void assertOneLineConfigError(String expectedStart) {
        String text = err.toString().strip();
        assertThat(text).startsWith("Erreur de configuration : " + expectedStart);
        assertThat(text.lines()).hasSize(1);
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void helpListsEveryOptionInFrenchByDefault() {
        assertThat(run("--help", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("--once", "--dry-run", "--sandbox", "--reset", "--config", "--env-file",
                "sandbox", "Utilisation :", "Fait une synchronisation, puis s'arrête.", "Codes de sortie :",
                "3   le frein de sécurité a arrêté le plan", "--config=FICHIER", "CMSYNC_LANGUAGE");
        assertThat(out.toString()).doesNotContain("Usage:", "Run one sync", "Exit codes", "FILE");
        out.getBuffer().setLength(0);
        assertThat(run("sandbox", "serve", "--help")).isZero();
        assertThat(out.toString()).contains("--port=PORT", "--data", "État de départ (JSON)");
    }

    @Test
    void helpInEnglishWithTheLanguageSetting() throws Exception {
        set("language", "en");
        assertThat(run("--help", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("Usage:", "Run one sync, then exit.", "Exit codes:", "--config=FILE",
                "3   the safety brake stopped the plan").doesNotContain("Utilisation", "Fait une synchronisation");
        out.getBuffer().setLength(0);
        assertThat(run("flagged", "archive", "--help", "--config=" + config)).isZero();
        assertThat(out.toString()).contains("Act without asking", "--email=EMAIL").doesNotContain("Agit sans");
    }

    @Test
    void theHelpLanguageIsKnownBeforeParsingFromTheEnvironmentOrTheConfigFile() throws Exception {
        java.util.Map<String, String> none = java.util.Map.of();
        assertThat(Application.languageBeforeParsing(new String[] {"--help"}, none))
                .isEqualTo(io.cmsync.i18n.Messages.Language.FR);
        assertThat(Application.languageBeforeParsing(new String[] {"--help"}, java.util.Map.of("CMSYNC_LANGUAGE", "en")))
                .isEqualTo(io.cmsync.i18n.Messages.Language.EN);
        set("language", "en");
        assertThat(Application.languageBeforeParsing(new String[] {"flagged", "--config=" + config, "list"}, none))
                .isEqualTo(io.cmsync.i18n.Messages.Language.EN);
        assertThat(Application.languageBeforeParsing(new String[] {"--config", config.toString(), "--help"}, none))
                .isEqualTo(io.cmsync.i18n.Messages.Language.EN);
        // the older name works too; an unreadable file is French (its error comes later, in French)
        set("language", "");
        Files.writeString(config, "\nreport.language=en\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(Application.languageBeforeParsing(new String[] {"--config", config.toString()}, none))
                .isEqualTo(io.cmsync.i18n.Messages.Language.EN);
        assertThat(Application.languageBeforeParsing(new String[] {"--config", "nope.properties"}, none))
                .isEqualTo(io.cmsync.i18n.Messages.Language.FR);
    }

    /**
     * Every command's help is wholly in the language: no description of the annotations (picocli's English fallback,
     * used when the catalogue lacks a key) shows in the French help.
     */
    @Test
    void everyCommandsFrenchHelpHasNoEnglishFallback() {
        java.util.Map<String, java.util.List<String>> english = new java.util.LinkedHashMap<>();
        collectEnglish(new picocli.CommandLine(new Application()), english);
        assertThat(english).hasSizeGreaterThan(8);
        english.forEach((command, texts) -> {
            out.getBuffer().setLength(0);
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
            args.remove(0); // the root command's name
            args.add("--help");
            assertThat(run(args.toArray(String[]::new))).as(command).isZero();
            String help = out.toString().replaceAll("\\s+", " ");
            for (String text : texts) {
                assertThat(help).as(command + " help").doesNotContain(text);
            }
        });
    }

    private static void collectEnglish(picocli.CommandLine cmd, java.util.Map<String, java.util.List<String>> into) {
        var spec = cmd.getCommandSpec();
        java.util.List<String> texts = new java.util.ArrayList<>();
        java.util.stream.Stream.concat(java.util.Arrays.stream(spec.usageMessage().description()),
                        java.util.stream.Stream.concat(spec.options().stream(), spec.positionalParameters().stream())
                                .flatMap(a -> java.util.Arrays.stream(a.description())))
                .map(s -> s.replaceAll("\\s+", " ").strip())
                .filter(s -> s.length() > 12)
                .forEach(s -> texts.add(s.substring(0, Math.min(25, s.length()))));
        into.put(spec.qualifiedName(" "), texts);
        cmd.getSubcommands().values().forEach(sub -> collectEnglish(sub, into));
    }

    @Test
    void anUnknownOptionIsOneFrenchLineAndTheHelpHint() {
        assertThat(run("--onse")).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                "Option inconnue : --onse (vouliez-vous dire --once ?)",
                "Pour l'aide : java -jar target/copper-mailchimp-sync.jar --help");
        err.getBuffer().setLength(0);
        assertThat(run("flagged", "archive", "--limit", "beaucoup")).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                "Valeur incorrecte pour --limit : « beaucoup »",
                "Pour l'aide : java -jar target/copper-mailchimp-sync.jar flagged archive --help");
    }

    @Test
    void anUnknownOptionInEnglish() throws Exception {
        set("language", "en");
        assertThat(run("--config", config.toString(), "mode", "--yess")).isEqualTo(2);
        assertThat(err.toString().lines().toList()).containsExactly(
                "Unknown option: --yess (did you mean --yes?)",
                "For help: java -jar target/copper-mailchimp-sync.jar mode --help");
    }

    @Test
    void configurationErrorsInEnglishWithTheLanguageSetting() throws Exception {
        set("language", "en");
        set("mailchimp.batch-size", "lots");
        assertThat(run("--once", "--config", config.toString(), "--env-file", env.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("Configuration error: mailchimp.batch-size in " + config
                + ": must be a whole number, got 'lots'");
    }

    @Test
    void missingEnvKeyStopsWithExitCode2() throws Exception {
        Files.writeString(env, "COPPER_API_KEY=ck-111\nCOPPER_API_EMAIL=ops@acme.fr\nMAILCHIMP_LIST_ID=abc\n");
        assertThat(run("--once", "--config", config.toString(), "--env-file", env.toString())).isEqualTo(2);
        assertOneLineConfigError("MAILCHIMP_API_KEY dans " + env + " : absent (à renseigner dans " + env);
    }

    @Test
    void malformedBaseUrlStopsWithExitCode2() throws Exception {
        set("copper.base-url", "ftp//nowhere");
        assertThat(run("--once", "--config", config.toString(), "--env-file", env.toString())).isEqualTo(2);
        assertOneLineConfigError("copper.base-url dans " + config + " : doit être une adresse http(s)");
    }

    @Test
    void nonNumericSettingStopsWithExitCode2() throws Exception {
        set("mailchimp.batch-size", "lots");
        assertThat(run("--once", "--config", config.toString(), "--env-file", env.toString())).isEqualTo(2);
        assertOneLineConfigError("mailchimp.batch-size dans " + config
                + " : doit être un nombre entier, valeur lue : « lots »");
        assertThat(err.toString()).doesNotContain("ck-111").doesNotContain("mk-222");
    }

    @Test
    void missingSettingsFileStopsWithExitCode2() {
        assertThat(run("--once", "--config", dir.resolve("nope.properties").toString())).isEqualTo(2);
        assertOneLineConfigError(dir.resolve("nope.properties") + " : fichier introuvable");
    }

    @Test
    void resetWithoutSandboxIsAUsageError() {
        assertThat(run("--reset", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("--reset ne s'utilise qu'avec --sandbox");
    }
}

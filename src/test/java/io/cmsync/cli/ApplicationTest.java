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
        assertThat(text).startsWith("Configuration error: " + expectedStart);
        assertThat(text.lines()).hasSize(1);
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void helpListsEveryOptionWithOneLineEach() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--once", "--dry-run", "--sandbox", "--reset", "--config", "--env-file",
                "sandbox", "Exit codes");
        out.getBuffer().setLength(0);
        assertThat(run("sandbox", "serve", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "--data");
    }

    @Test
    void missingEnvKeyStopsWithExitCode2() throws Exception {
        Files.writeString(env, "COPPER_API_KEY=ck-111\nCOPPER_API_EMAIL=ops@acme.fr\nMAILCHIMP_LIST_ID=abc\n");
        assertThat(run("--once", "--config", config.toString(), "--env-file", env.toString())).isEqualTo(2);
        assertOneLineConfigError("MAILCHIMP_API_KEY in " + env);
    }

    @Test
    void malformedBaseUrlStopsWithExitCode2() throws Exception {
        set("copper.base-url", "ftp//nowhere");
        assertThat(run("--once", "--config", config.toString(), "--env-file", env.toString())).isEqualTo(2);
        assertOneLineConfigError("copper.base-url in " + config);
    }

    @Test
    void nonNumericSettingStopsWithExitCode2() throws Exception {
        set("mailchimp.batch-size", "lots");
        assertThat(run("--once", "--config", config.toString(), "--env-file", env.toString())).isEqualTo(2);
        assertOneLineConfigError("mailchimp.batch-size in " + config);
        assertThat(err.toString()).doesNotContain("ck-111").doesNotContain("mk-222");
    }

    @Test
    void missingSettingsFileStopsWithExitCode2() {
        assertThat(run("--once", "--config", dir.resolve("nope.properties").toString())).isEqualTo(2);
        assertOneLineConfigError("(file) in ");
    }

    @Test
    void resetWithoutSandboxIsAUsageError() {
        assertThat(run("--reset", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--reset only works with --sandbox");
    }
}

package io.cmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sandbox} with several pairs declared, as docs/PLUSIEURS_AUDIENCES.md tells a person to try them: each pair
 * gets an audience of its own in the sandbox, kept from one command to the next, so the pairs run side by side on the
 * demo data (Copper tag « newsletter » → pair fr, « client » → pair en).
 */
class SandboxPairsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<String> console = new java.util.concurrent.CopyOnWriteArrayList<>();
    private org.apache.logging.log4j.core.appender.AbstractAppender capture;

    @org.junit.jupiter.api.BeforeEach
    void attach() {
        capture = new org.apache.logging.log4j.core.appender.AbstractAppender("sandbox-pairs", null, null, true,
                org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
            @Override
            public void append(org.apache.logging.log4j.core.LogEvent event) {
                console.add(event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        var l = (org.apache.logging.log4j.core.Logger) org.apache.logging.log4j.LogManager
                .getLogger(io.cmsync.console.ConsoleLines.CONSOLE_LOGGER);
        l.addAppender(capture);
        l.setLevel(org.apache.logging.log4j.Level.INFO);
    }

    @org.junit.jupiter.api.AfterEach
    void detach() {
        ((org.apache.logging.log4j.core.Logger) org.apache.logging.log4j.LogManager
                .getLogger(io.cmsync.console.ConsoleLines.CONSOLE_LOGGER)).removeAppender(capture);
    }

    record Result(int code, String out, String err) {
    }

    @Test
    void eachDeclaredPairGetsItsOwnSandboxAudienceKeptBetweenCommands() throws Exception {
        Path config = config();

        Result first = run("--sandbox", "--reset", "--once", "--config", config.toString());
        assertThat(first.code()).as(first.err()).isZero();
        // the sandbox's state is one folder for every pair: the console names it, not the first pair's
        assertThat(console.get(0)).isEqualTo("Bac à sable démarré : données de démonstration, état gardé dans "
                + dir.resolve("data/sandbox"));
        assertThat(console).anyMatch(l -> l.startsWith("━━ Paire en : audience " + SandboxSession.pairListId("en")));

        JsonNode state = JSON.readTree(dir.resolve("data/sandbox/state.json").toFile());
        Map<String, List<String>> audiences = new java.util.LinkedHashMap<>();
        for (JsonNode list : state.path("mailchimp").path("lists")) {
            List<String> emails = new ArrayList<>();
            list.path("members").forEach(m -> emails.add(m.path("email_address").asText().toLowerCase()));
            audiences.put(list.path("id").asText(), emails);
        }
        assertThat(audiences).hasSizeGreaterThanOrEqualTo(3); // the demo audience, and one per pair
        List<String> fr = audiences.get(SandboxSession.pairListId("fr"));
        List<String> en = audiences.get(SandboxSession.pairListId("en"));
        assertThat(fr).isNotNull();
        assertThat(en).isNotNull();
        // TEST mode (@exemple): the newsletter readers go to fr, the clients to en
        assertThat(fr).contains("sophie.bernard@exemple.fr", "claire.robin@exemple.fr")
                .doesNotContain("nicolas.fournier@exemple.fr");
        assertThat(en).contains("nicolas.fournier@exemple.fr").doesNotContain("sophie.bernard@exemple.fr");
        assertThat(reports("fr")).anyMatch(f -> f.startsWith("import_report_"));
        assertThat(reports("en")).anyMatch(f -> f.startsWith("import_report_"));

        // the next command finds the same audiences: nothing left to write
        Result again = run("--sandbox", "--once", "--config", config.toString());
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode after = JSON.readTree(dir.resolve("data/sandbox/state.json").toFile());
        assertThat(after.path("mailchimp").path("lists").size()).isEqualTo(state.path("mailchimp").path("lists").size());
        assertThat(newestJson("en").path("summary").toString()).doesNotContain("\"mailchimpCreated\":1");

        // --reset: the demo data again, each pair's audience empty again and its synced state forgotten
        Result reset = run("--sandbox", "--reset", "--once", "--config", config.toString());
        assertThat(reset.code()).as(reset.err()).isZero();
        assertThat(newestJson("fr").path("summary").path("copperToMailchimp").asLong()).isEqualTo(fr.size());

                // a pair's own commands work in the sandbox too
        Result flagged = run("flagged", "list", "--sandbox", "--pair", "fr", "--config", config.toString());
        assertThat(flagged.code()).as(flagged.err()).isZero();
    }

    private List<String> reports(String pair) throws Exception {
        Path folder = dir.resolve("data/sandbox/reports").resolve(pair);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private JsonNode newestJson(String pair) throws Exception {
        Path folder = dir.resolve("data/sandbox/reports").resolve(pair);
        try (Stream<Path> s = Files.list(folder)) {
            Path newest = s.filter(p -> p.getFileName().toString().startsWith("import_report_")
                    && p.getFileName().toString().endsWith(".json")).max(Path::compareTo).orElseThrow();
            return JSON.readTree(newest.toFile());
        }
    }

    private Path config() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config")).resolve("application.properties");
        Files.writeString(config, Files.readString(Path.of("config/application.properties"), StandardCharsets.UTF_8)
                + "\npaths.data-dir=" + dir.resolve("data") + "\npaths.reports-dir=" + dir.resolve("reports")
                + "\npaths.archive-dir=" + dir.resolve("archive") + "\ncamel.management.port=0\n"
                + "pairs=fr,en\npair.fr.scope.copper-tag=newsletter\npair.en.scope.copper-tag=client\n",
                StandardCharsets.UTF_8);
        return config;
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Application.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }
}

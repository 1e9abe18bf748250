package io.cmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.report.Commands;

/**
 * The deletion workflow tried without real accounts, as the guide tells it: a {@code --sandbox} run, then every command
 * its report (and each command's output) recommends, pasted as printed, on the same sandbox state.
 */
class SandboxEverywhereTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A recommended command, up to the end of its line or a closing bracket. */
    private static final Pattern COMMAND = Pattern.compile(Pattern.quote(Commands.JAR) + "[^\\n):]*");
    private static final String GERARD = "gerard.dubois@exemple.fr";
    private static final String RENE = "rene.chevalier@exemple.fr";

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    @Test
    void everyCommandASandboxRunRecommendsWorksAsPrinted() throws Exception {
        Path config = config();
        Path sandbox = dir.resolve("data/sandbox");

        Result first = run("--sandbox", "--reset", "--once", "--config", config.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(sandbox.resolve("reports")).isDirectory();
        assertThat(dir.resolve("reports")).as("the real accounts' reports folder stays clean").doesNotExist();

        String report = newest(sandbox.resolve("reports"), ".txt");
        assertThat(report).contains(GERARD, RENE);
        Set<String> recommended = commands(report + newest(sandbox.resolve("reports"), ".json"));
        try (Stream<Path> logs = Files.list(sandbox.resolve("reports"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("sync_log_")).toList()) {
                recommended.addAll(commands(Files.readString(log, StandardCharsets.UTF_8)));
            }
        }
        assertThat(recommended).contains(Commands.SANDBOX.flaggedList());

        // each recommended command, then each command those recommend, and so on: every one works
        Set<String> done = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(recommended);
        todo.add(Commands.SANDBOX.command("flagged archive")); // the guide's next step: its preview names the rest
        todo.add(Commands.SANDBOX.reportSummary());
        String outputs = "";
        while (!todo.isEmpty()) {
            String command = todo.remove(0);
            if (!done.add(command)) {
                continue;
            }
            assertThat(command).as("a sandbox run's recommendation").endsWith(" --sandbox");
            List<String> args = new ArrayList<>(List.of(command.substring(Commands.JAR.length()).strip().split(" ")));
            args.addAll(List.of("--config", config.toString()));
            Result r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(command + "\n" + r.out() + r.err()).isZero();
            outputs += r.out();
            commands(r.out() + r.err()).stream().filter(c -> !done.contains(c)).forEach(todo::add);
        }
        assertThat(done).contains(Commands.SANDBOX.flaggedConfirmAll("flagged archive"));
        assertThat(outputs).contains("✅ " + GERARD, "✅ " + RENE);

        // the effect is in the sandbox's own state: archived in Mailchimp, inactive in Copper
        JsonNode state = JSON.readTree(sandbox.resolve("state.json").toFile());
        for (String email : List.of(GERARD, RENE)) {
            JsonNode member = find(state.path("mailchimp").path("lists").get(0).path("members"), "email_address", email);
            assertThat(member.path("status").asText()).as(email).isEqualTo("archived");
        }
        assertThat(state.path("copper").path("people").toString()).contains("📥 INACTIF");
        assertThat(Files.readString(archiveFile(sandbox.resolve("archive")))).contains(GERARD, RENE);
        assertThat(dir.resolve("archive")).as("the real archive file never holds demo contacts").doesNotExist();

        // nothing left to decide: the next sandbox run no longer lists them, and recommends nothing about them
        Result next = run("--sandbox", "--once", "--config", config.toString());
        assertThat(next.code()).as(next.err()).isZero();
        String after = newest(sandbox.resolve("reports"), ".txt");
        assertThat(after).isNotEqualTo(report).doesNotContain("flagged list");
        JsonNode afterJson = JSON.readTree(newest(sandbox.resolve("reports"), ".json"));
        assertThat(afterJson.path("summary").path("flagged").asLong()).isZero();
        assertThat(afterJson.path("flagged").toString()).doesNotContain(GERARD, RENE);
        Result list = run("flagged", "list", "--sandbox", "--config", config.toString());
        assertThat(list.out()).contains("Aucun contact marqué pour suppression en attente.");
    }

    @Test
    void aBlockedSandboxPlanIsExecutedByTheCommandItsReportPrints() throws Exception {
        Path config = config();
        Files.writeString(config, "\nsafety.update-grace=0\nsafety.max-update-ratio=0.01\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path reports = dir.resolve("data/sandbox/reports");

        Result blocked = run("--sandbox", "--reset", "--once", "--config", config.toString());
        assertThat(blocked.code()).isEqualTo(3);
        String text = newest(reports, ".txt");
        String log;
        try (Stream<Path> logs = Files.list(reports)) {
            log = Files.readString(logs.filter(p -> p.getFileName().toString().startsWith("sync_log_")).findFirst()
                    .orElseThrow(), StandardCharsets.UTF_8);
        }
        String confirm = Commands.SANDBOX.confirmPlan();
        assertThat(commands(text)).contains(confirm);
        assertThat(commands(log)).contains(confirm);

        List<String> args = new ArrayList<>(List.of(confirm.substring(Commands.JAR.length()).strip().split(" ")));
        args.addAll(List.of("--config", config.toString()));
        Result confirmed = run(args.toArray(String[]::new));
        assertThat(confirmed.code()).as(confirmed.err()).isZero();
        assertThat(newest(reports, ".json")).contains("\"copperToMailchimp\"").doesNotContain("\"blocked\"");
    }

    @Test
    void reportCommandsReadTheSandboxFolderAndModeExplainsItself() throws Exception {
        Path config = config();
        Result none = run("report", "summary", "--sandbox", "--config", config.toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains(dir.resolve("data/sandbox/reports").toString());

        Result purge = run("report", "purge", "--sandbox", "--config", config.toString());
        assertThat(purge.code()).isZero();
        assertThat(purge.out()).contains(dir.resolve("data/sandbox/reports").toString());

        Result mode = run("mode", "--sandbox", "--config", config.toString());
        assertThat(mode.code()).isZero();
        assertThat(mode.out()).contains("Mode actuel : TEST", "Le bac à sable suit ce mode");
        String before = Files.readString(config);
        Result sw = run("mode", "production", "--yes", "--sandbox", "--config", config.toString());
        assertThat(sw.code()).isEqualTo(1);
        assertThat(sw.err()).contains("vaut aussi pour les vrais comptes").doesNotContain("Usage");
        assertThat(Files.readString(config)).as("the real mode is untouched").isEqualTo(before);
    }

    @Test
    void oneSandboxSessionAtATimeSoNoCommandOverwritesAnothersState() throws Exception {
        Path config = config();
        try (SandboxSession daemonLike = SandboxSession.start(config, true, Map.of())) {
            Result flagged = run("flagged", "archive", "--confirm", "--all", "--sandbox", "--config", config.toString());
            assertThat(flagged.code()).isEqualTo(2);
            assertThat(flagged.err().strip()).startsWith("❌ Le bac à sable de ce dossier est déjà utilisé")
                    .doesNotContain("\n");
            Result once = run("--sandbox", "--once", "--config", config.toString());
            assertThat(once.code()).as("skipped, as when a sync holds the lock").isEqualTo(4);
        }
        assertThat(run("flagged", "list", "--sandbox", "--config", config.toString()).code()).isZero();
    }

    @Test
    void sandboxServeOnABusyPortSaysSoInOneFrenchLine() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(busy.getLocalPort());
            Result r = run("sandbox", "serve", "--port", port);
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("❌ Le port " + port + " de 127.0.0.1 est déjà utilisé (un autre "
                    + "bac à sable ?) : arrêtez-le, ou choisissez un autre port avec --port.");
            assertThat(r.out()).isEmpty();
        }
    }

    private Path config() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config")).resolve("application.properties");
        Files.writeString(config, Files.readString(Path.of("config/application.properties"))
                + "\npaths.data-dir=" + dir.resolve("data") + "\npaths.reports-dir=" + dir.resolve("reports")
                + "\npaths.archive-dir=" + dir.resolve("archive") + "\ncamel.management.port=0\n");
        return config;
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Application.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    static Set<String> commands(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = COMMAND.matcher(text);
        while (m.find()) {
            found.add(m.group().strip().replaceAll("[.,;]$", ""));
        }
        return found;
    }

    private static String newest(Path reports, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(reports)) {
            Path p = files.filter(f -> f.getFileName().toString().startsWith("import_report_")
                    && f.getFileName().toString().endsWith(suffix)).max(Path::compareTo).orElseThrow();
            return Files.readString(p, StandardCharsets.UTF_8);
        }
    }

    private static Path archiveFile(Path archiveDir) throws Exception {
        try (Stream<Path> files = Files.list(archiveDir)) {
            return files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equalsIgnoreCase(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError(value + " not found");
    }
}

package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;

/**
 * What a person sees on the console of the packaged jar (its own log4j2.xml, stdout and stderr together), run in a
 * working folder as a user has it (config/, routes/): a short French (or English) console with no framework line,
 * no stack trace, no line per contact unless --verbose; one line per expected failure; the detail in the technical
 * log under logs/. Runs in {@code mvn verify} (failsafe), after package.
 */
class ConsoleIT {
    /** A framework's or a logger's line: Camel's banner, a level column, a logger or class name, a stack frame. */
    private static final Pattern TECHNICAL = Pattern.compile(
            "Apache Camel|\\b(INFO|DEBUG|WARN|ERROR)\\b|org\\.apache|io\\.cmsync|^\\s+at |Exception|Caused by|\\[main\\]");

    @TempDir
    Path dir;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("cmsync.jar", "target/copper-mailchimp-sync.jar")).toAbsolutePath();
        assertThat(jar).as("run mvn package first").exists();
        return jar;
    }

    private record Run(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }
    }

    /** The product's settings and routes in the working folder, plus {@code extra} settings. */
    private void folder(String... extra) throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Files.copy(Path.of("config/application.properties"), dir.resolve("config/application.properties"));
        Files.writeString(dir.resolve("config/application.properties"), "\n" + String.join("\n", extra) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.createDirectories(dir.resolve("routes"));
        try (var routes = Files.list(Path.of(System.getProperty("cmsync.routes", "routes")))) {
            for (Path r : routes.toList()) {
                Files.copy(r, dir.resolve("routes").resolve(r.getFileName()));
            }
        }
    }

    private Run jar(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("COPPER_") || k.startsWith("MAILCHIMP_"));
        pb.environment().putAll(env);
        Path out = dir.resolve("console.txt");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        return new Run(p.exitValue(), lines);
    }

    private String technicalLog() throws IOException {
        return Files.readString(dir.resolve("logs/copper-mailchimp-sync.log"), StandardCharsets.UTF_8);
    }

    private static void assertForPeople(Run run) {
        assertThat(run.lines()).as(run.text()).hasSizeLessThanOrEqualTo(25)
                .noneMatch(l -> TECHNICAL.matcher(l).find());
    }

    @Test
    void aFirstSandboxRunSpeaksFrenchInAFewLines() throws Exception {
        folder();
        Run run = jar(Map.of(), "--sandbox", "--reset", "--once");

        assertThat(run.code()).as(run.text()).isZero();
        assertForPeople(run);
        assertThat(run.text()).contains("mode TEST", "synchronisation complète", "Lecture Copper : 29 personnes lues",
                "Lecture Mailchimp :", "Plan : 16 écritures prévues", "Synchronisation terminée en",
                "Rapport : data/sandbox/reports/import_report_", "Journal détaillé : data/sandbox/reports/sync_log_",
                // the one write Mailchimp refused (a forgotten address) is said, or "15 sur 16" reads as a lost write
                "1 adresse refusée par Mailchimp");
        // no line per contact: they are in the sync log
        assertThat(run.text()).doesNotContain("@exemple.fr", "Watermarks", "Synced state");
        String log = technicalLog();
        assertThat(log).contains("Apache Camel", "Watermarks", "Contact identique ignoré");
        try (var reports = Files.list(dir.resolve("data/sandbox/reports"))) {
            Path syncLog = reports.filter(f -> f.getFileName().toString().startsWith("sync_log_")).findFirst().orElseThrow();
            assertThat(Files.readString(syncLog, StandardCharsets.UTF_8)).contains("Copper → Mailchimp (création)");
        }
    }

    @Test
    void aBrakedPlanGivesTheCommandThatExecutesIt() throws Exception {
        folder("sync.mode=PRODUCTION");
        Run run = jar(Map.of(), "--sandbox", "--reset", "--once");

        assertThat(run.code()).as(run.text()).isEqualTo(3);
        assertForPeople(run);
        assertThat(run.text()).contains("⛔ Plan bloqué par le frein de sécurité, rien n'a été écrit",
                "lancez : java -jar target/copper-mailchimp-sync.jar --once --confirm-plan --sandbox");
    }

    @Test
    void theLanguageSettingGivesAnEnglishConsole() throws Exception {
        folder("language=en", "timezone=Asia/Tokyo");
        Run run = jar(Map.of(), "--sandbox", "--reset", "--once");

        assertThat(run.code()).as(run.text()).isZero();
        assertForPeople(run);
        // one clock: the start line and the technical log's times are in the settings' zone
        var tokyo = java.time.LocalDateTime.now(java.time.ZoneId.of("Asia/Tokyo"));
        List<String> log = technicalLog().lines().filter(l -> l.matches("\\d{4}-.*")).toList();
        var logged = java.time.LocalDateTime.parse(log.get(log.size() - 1).substring(0, 19).replace(' ', 'T'));
        assertThat(java.time.Duration.between(logged, tokyo).abs()).isLessThan(java.time.Duration.ofMinutes(3));
        assertThat(run.lines().get(1)).startsWith("▶ Sync of " + tokyo.toLocalDate() + " at ");
        assertThat(run.text()).contains("TEST mode", "full sync", "Reading Copper: 29 people read",
                "Plan: 16 writes", "Sync finished in", "Report: data/sandbox/reports/import_report_",
                "1 address refused by Mailchimp");
        assertThat(run.text()).doesNotContain("Synchronisation", "Lecture", "Rapport", "Bac à sable");
    }

    @Test
    void verboseAlsoShowsOneLinePerContact() throws Exception {
        folder();
        Run run = jar(Map.of(), "--sandbox", "--reset", "--once", "--verbose");

        assertThat(run.code()).as(run.text()).isZero();
        assertThat(run.text()).contains("Copper → Mailchimp (création): emma.mercier@exemple.fr",
                "Contact identique ignoré: camille.durand@exemple.com", "Synchronisation terminée en");
        assertThat(run.lines()).noneMatch(l -> TECHNICAL.matcher(l).find());
    }

    private Map<String, String> sandboxEnv(SandboxServer s, String mailchimpKey) throws IOException {
        Files.writeString(dir.resolve(".env"), "COPPER_API_KEY=" + SandboxServer.COPPER_API_KEY
                + "\nCOPPER_API_EMAIL=" + SandboxServer.COPPER_USER_EMAIL
                + "\nMAILCHIMP_API_KEY=" + mailchimpKey
                + "\nMAILCHIMP_LIST_ID=" + SandboxServer.LIST_ID + "\n");
        Files.setPosixFilePermissions(dir.resolve(".env"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return Map.of("COPPER_BASE_URL", s.copperBaseUrl(), "MAILCHIMP_BASE_URL", s.mailchimpBaseUrl());
    }

    @Test
    void aWrongKeyIsOneLineSayingWhatToCheckAndNoStackTrace() throws Exception {
        folder();
        try (SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, null, false))) {
            Run run = jar(sandboxEnv(s, "wrong0key0000-us1"), "--once");

            assertThat(run.code()).as(run.text()).isEqualTo(2);
            assertForPeople(run);
            assertThat(run.lines()).as(run.text()).filteredOn(l -> l.contains("MAILCHIMP_API_KEY")).hasSize(1)
                    .allMatch(l -> l.contains(".env"));
            assertThat(run.text()).doesNotContain("wrong0key0000");
        }
    }

    @Test
    void anOutageRetriesQuietlyAndTheTechnicalLogKeepsTheDetail() throws Exception {
        folder("http.max-attempts=3");
        try (SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, null, false))) {
            s.faults(new FaultConfig(0, 0, 0, 1.0, 0, 0, 30_000, 7));
            Run run = jar(sandboxEnv(s, SandboxServer.MAILCHIMP_API_KEY), "--once");

            assertThat(run.code()).as(run.text()).isEqualTo(2);
            assertForPeople(run);
            // one line for the failure; at most one per retry of the outage (a 500; the 429s are the API's pace)
            assertThat(run.lines()).as(run.text()).filteredOn(l -> l.startsWith("❌")).hasSize(1);
            assertThat(run.lines()).as(run.text()).filteredOn(l -> l.contains("nouvel essai")).hasSizeLessThanOrEqualTo(2)
                    .allMatch(l -> l.matches("Copper ne répond pas \\(500\\), nouvel essai dans [0-9,]+ s \\([23]/3\\)"));
            assertThat(run.text()).doesNotContain("attempt");
            String log = technicalLog();
            assertThat(log).contains("attempt 1/3", "attempt 2/3").containsPattern("\tat io\\.cmsync\\.");
        }
    }

    @Test
    void aRunThatFindsTheLockHeldSaysSoInOneLineAndExits4() throws Exception {
        folder();
        Path lockFile = Files.createDirectories(dir.resolve("data/sandbox")).resolve("sync.lock");
        try (var held = io.cmsync.state.RunLock.tryAcquire(lockFile).orElseThrow()) {
            Run run = jar(Map.of(), "--sandbox", "--once");

            assertThat(run.code()).as(run.text()).isEqualTo(4);
            assertForPeople(run);
            assertThat(run.lines()).as(run.text()).filteredOn(l -> l.startsWith("⏭️")).singleElement()
                    .asString().contains("Une autre synchronisation est en cours");
        }
    }

    @Test
    void theDaemonSaysItStartedThenOneLinePerRun() throws Exception {
        folder("sync.cron=0/3 * * * * ?", "camel.management.port=0");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar().toString(), "--sandbox", "--reset");
        Path out = dir.resolve("daemon.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            long deadline = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < deadline
                    && Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("[")).count() < 2) {
                Thread.sleep(500);
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        // up to the second run's line (a run cut short by the stop is not this test's matter)
        List<String> all = Files.readAllLines(out, StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>();
        for (String l : all) {
            lines.add(l);
            if (lines.stream().filter(x -> x.startsWith("[")).count() == 2) {
                break;
            }
        }
        String text = String.join("\n", all);
        assertThat(lines).as(text).noneMatch(l -> TECHNICAL.matcher(l).find());
        assertThat(lines.get(1)).as(text).startsWith("▶ Service de synchronisation démarré, mode TEST")
                .contains("« 0/3 * * * * ? »");
        // each run: one line, with its time, its outcome and its report
        assertThat(lines.subList(2, lines.size())).as(text).hasSizeGreaterThanOrEqualTo(2)
                .allMatch(l -> l.matches("\\[\\d\\d:\\d\\d\\] ✅ Synchronisation terminée en .* Rapport : data/sandbox/reports/import_report_.*"));
    }

    @Test
    void flaggedArchiveShowsItsPreviewWithoutFrameworkLines() throws Exception {
        folder();
        try (SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, null, false))) {
            Map<String, String> env = sandboxEnv(s, SandboxServer.MAILCHIMP_API_KEY);
            assertThat(jar(env, "--once").code()).isZero();
            Run run = jar(env, "flagged", "archive"); // not a terminal: a preview

            assertThat(run.code()).as(run.text()).isZero();
            assertThat(run.text()).contains("gerard.dubois@exemple.fr");
            assertThat(run.lines()).as(run.text()).noneMatch(l -> TECHNICAL.matcher(l).find());
        }
    }
}

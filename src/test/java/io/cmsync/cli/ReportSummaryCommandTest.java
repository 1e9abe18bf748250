package io.cmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report summary}: the newest JSON report, summarised for bin/run_sync.sh. */
class ReportSummaryCommandTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Application.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static String report(int c2m, int m2c, int errors, String extra) {
        return """
                {"schemaVersion":1,"startedAt":"2026-03-02T08:15:00Z","mode":"PRODUCTION","dryRun":false,
                 "nothingToSync":false,"abortedReason":null,
                 "summary":{"totalOperations":%d,"success":%d,"errors":%d,"successRate":50.0,"copperToMailchimp":%d,
                   "mailchimpToCopper":%d,"identicalSkipped":7,"excluded":2,"flagged":1,"notSynced":3,"conflicts":0,
                   "forgotten":1,"forgottenNew":1,"resubscribed":0},
                 %s}
                """.formatted(c2m + m2c + errors, c2m + m2c, errors, c2m, m2c, extra);
    }

    @Test
    void summarisesTheNewestReportOfTheConfiguredFolder() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("out"));
        Path config = dir.resolve("app.properties");
        Files.writeString(config, "paths.reports-dir=" + reports + "\nreport.timezone=Europe/Paris\n");
        Files.writeString(reports.resolve("import_report_2026-03-01_09-00-00.json"), report(99, 99, 0, "\"operations\":[]"));
        Files.writeString(reports.resolve("import_report_2026-03-02_09-15-00.json"), report(4, 2, 1, """
                "operations":[{"email":"bad@exemple.fr","directionLabel":"Copper → Mailchimp","success":false,
                               "error":"Invalid Resource"}],
                "flagged":[{"email":"old@exemple.fr","matchedTag":"🗑️ À SUPPRIMER"}],
                "forgotten":[{"email":"gone@exemple.fr","resubscribeLink":"https://example.list-manage.com/subscribe?x=1"}]
                """));
        Files.writeString(reports.resolve("import_report_2026-03-02_09-15-00.txt"), "text");
        Files.writeString(reports.resolve("zzz_notes.json"), "{}");

        assertThat(run("report", "summary", "--config", config.toString())).isZero();

        assertThat(out.toString()).contains("Date: 2026-03-02 09:15:00   Mode: PRODUCTION", "❌ Erreurs: 1",
                        "Copper → Mailchimp: 4", "Mailchimp → Copper: 2", "⏭️ Contacts identiques ignorés: 7",
                        "bad@exemple.fr (Copper → Mailchimp): Invalid Resource", "old@exemple.fr [🗑️ À SUPPRIMER]",
                        "gone@exemple.fr : https://example.list-manage.com/subscribe?x=1",
                        reports.resolve("import_report_2026-03-02_09-15-00.txt").toString())
                // not the older report: neither its date nor its counts (the temp path may contain "99" by chance)
                .doesNotContain("2026-03-01").doesNotContain(": 99").doesNotContain("Total d'opérations: 99");
    }

    @Test
    void theSummarySpeaksTheLanguageSetting() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("out"));
        Path config = dir.resolve("app.properties");
        Files.writeString(config, "paths.reports-dir=" + reports + "\nlanguage=en\n");
        Files.writeString(reports.resolve("import_report_2026-03-02_09-15-00.json"), report(4, 2, 1, """
                "operations":[],
                "flagged":[{"email":"old@exemple.fr","matchedTag":"🗑️ À SUPPRIMER"}]
                """));

        assertThat(run("report", "summary", "--config", config.toString())).isZero();

        assertThat(out.toString()).contains("📊 SYNC SUMMARY", "❌ Errors: 1", "Identical contacts skipped: 7",
                "FLAGGED FOR DELETION (see: java -jar target/copper-mailchimp-sync.jar flagged list)")
                .doesNotContain("Erreurs", "Contacts identiques", "RÉSUMÉ");
    }

    @Test
    void anExplicitFileAndTheMissingCases() throws Exception {
        Path file = dir.resolve("import_report_2026-01-01_00-00-00.json");
        Files.writeString(file, report(1, 0, 0, "\"operations\":[], \"dryRun\":true"), StandardCharsets.UTF_8);
        assertThat(run("report", "summary", file.toString())).isZero();
        assertThat(out.toString()).contains("Copper → Mailchimp: 1", "simulation --dry-run", file.toString());

        assertThat(run("report", "summary", "--reports-dir", dir.resolve("none").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("Aucun rapport import_report_*.json");
        Path broken = Files.writeString(dir.resolve("import_report_broken.json"), "{not json");
        assertThat(run("report", "summary", broken.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("Rapport illisible");
    }

    @Test
    void aPlanStoppedByTheBrakeIsNotCalledADryRun() throws Exception {
        Path file = dir.resolve("import_report_2026-01-02_00-00-00.json");
        Files.writeString(file, report(1, 0, 0, "\"operations\":[], \"dryRun\":true, "
                + "\"safetyBrake\":{\"blocked\":true,\"reason\":\"première synchronisation en PRODUCTION\"}"),
                StandardCharsets.UTF_8);
        assertThat(run("report", "summary", file.toString())).isZero();
        assertThat(out.toString()).contains("plan bloqué par le frein de sécurité : rien n'a été écrit",
                "Opérations prévues: 1").doesNotContain("--dry-run", "Taux de réussite");
        // the exact command, as the text report prints it
        assertThat(out.toString()).contains("première synchronisation en PRODUCTION",
                "java -jar target/copper-mailchimp-sync.jar --once --confirm-plan");
    }

    @Test
    void membersArchivedWhileActiveInCopperHaveTheirOwnLine() throws Exception {
        Path file = dir.resolve("import_report_2026-01-04_00-00-00.json");
        Files.writeString(file, report(1, 0, 0, "\"operations\":[], \"excluded\":[{\"email\":\"s@x.fr\",\"side\":\"mailchimp\","
                + "\"reason\":\"" + io.cmsync.sync.Planner.REASON_ARCHIVED_ACTIVE + "\",\"id\":\"12\"},"
                + "{\"email\":\"u@x.fr\",\"side\":\"mailchimp\",\"reason\":\"statut Mailchimp unsubscribed\"}]"),
                StandardCharsets.UTF_8);
        assertThat(run("report", "summary", file.toString())).isZero();
        assertThat(out.toString()).contains("📥 Contacts exclus: 1",
                "📦 Membres archivés dans Mailchimp, actifs dans Copper: 1");
    }

    @Test
    void aStoppedRunShowsNoSuccessMark() throws Exception {
        Path file = dir.resolve("import_report_2026-01-03_00-00-00.json");
        Files.writeString(file, report(0, 0, 0, "\"operations\":[], "
                + "\"abortedReason\":\"Mailchimp a refusé les identifiants (HTTP 401)\""), StandardCharsets.UTF_8);
        assertThat(run("report", "summary", file.toString())).isZero();
        assertThat(out.toString()).contains("❌ Synchronisation interrompue: Mailchimp a refusé les identifiants",
                "Écritures réussies avant l'interruption: 0").doesNotContain("✅", "100.0%", "📊 Taux");
    }

    @Test
    void purgeRemovesOnlyRunFilesOlderThanTheRetention() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Path config = dir.resolve("app.properties");
        Files.writeString(config, "paths.reports-dir=" + reports + "\nreport.retention-days=30\nreport.timezone=UTC\n");
        Path old = Files.writeString(reports.resolve("import_report_2020-01-01_00-00-00.json"), "{}");
        String recentName = "sync_log_" + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss")
                .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusDays(10)) + ".txt";
        Path recent = Files.writeString(reports.resolve(recentName), "recent");
        Path mine = Files.writeString(reports.resolve("notes_2020-01-01_00-00-00.txt"), "mine");

        assertThat(run("report", "purge", "--config", config.toString())).isZero();
        assertThat(old).doesNotExist();
        assertThat(recent).exists();
        assertThat(mine).exists();
        assertThat(out.toString()).contains("✅ 1 fichier supprimé (plus de 30 jours) dans ", "import_report_2020-01-01_00-00-00.json");

        assertThat(run("report", "purge", "--days", "5", "--config", config.toString())).isZero();
        assertThat(recent).doesNotExist();
        assertThat(mine).exists();
        assertThat(run("report", "purge", "--days", "0", "--config", config.toString())).isEqualTo(2);
    }
}

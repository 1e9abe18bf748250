package io.cmsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/run_sync.sh: prerequisites, a real run against the sandbox, exit codes passed through. */
class RunSyncScriptTest {
    @TempDir
    Path dir;

    @Test
    void runsOneSyncAgainstTheSandboxAndSummarisesTheNewReport() throws Exception {
        TestProject p = new TestProject(dir).withLauncherJar();
        // retention is the daemon's job: a one-shot run leaves old reports alone
        Path old = Files.writeString(Files.createDirectories(dir.resolve("reports"))
                .resolve("sync_log_2020-01-01_00-00-00.txt"), "old");

        TestProject.Result r = p.bash("bin/run_sync.sh", "--sandbox");
        assertThat(old).exists();

        assertThat(r.code()).as(r.out()).isZero();
        Path json;
        // the sandbox keeps its reports with its state, apart from the real accounts' reports/
        try (Stream<Path> files = Files.list(dir.resolve("data/sandbox/reports"))) {
            List<Path> all = files.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
            assertThat(all).hasSize(1);
            json = all.get(0);
        }
        try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
            assertThat(files).containsExactly(old);
        }
        JsonNode summary = new ObjectMapper().readTree(json.toFile()).path("summary");
        assertThat(summary.path("copperToMailchimp").asLong()).isPositive();
        assertThat(r.out()).contains("✅ Java", "✅ Bac à sable", "✅ Synchronisation terminée avec succès",
                "📊 RÉSUMÉ DE LA SYNCHRONISATION",
                "Copper → Mailchimp: " + summary.path("copperToMailchimp").asLong(),
                "Mailchimp → Copper: " + summary.path("mailchimpToCopper").asLong(),
                "❌ Erreurs: " + summary.path("errors").asLong(),
                "🗑️ Contacts marqués pour suppression: " + summary.path("flagged").asLong(),
                "📧 Emails oubliés par Mailchimp (réinscription requise): " + summary.path("forgotten").asLong(),
                json.toString(), json.toString().replace(".json", ".txt"),
                // pasted as printed, the recommended command works on the sandbox too
                "flagged list --sandbox");
        // the technical log went to logs/, not to the screen
        assertThat(r.out()).doesNotContain("AbstractCamelContext");
        assertThat(Files.readString(dir.resolve("logs/run_sync.log"), StandardCharsets.UTF_8))
                .contains("AbstractCamelContext");
    }

    @Test
    void pairsInTheSandboxGetEachPairsOutcomeAndSummary() throws Exception {
        TestProject p = new TestProject(dir).withLauncherJar();
        Files.writeString(dir.resolve("config/application.properties"),
                "\npairs=fr,en\npair.fr.scope.copper-tag=newsletter\npair.en.scope.copper-tag=client\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        TestProject.Result r = p.bash("bin/run_sync.sh", "--sandbox", "--reset");

        assertThat(r.code()).as(r.out()).isZero();
        String out = r.out();
        assertThat(out).doesNotContain("Aucun nouveau rapport");
        // the program's line for each pair, then each pair's summary of its own report
        assertThat(out).contains("Paire fr : terminée sans erreur", "Paire en : terminée sans erreur");
        int fr = out.indexOf("━━ Paire fr");
        int en = out.indexOf("━━ Paire en");
        assertThat(fr).isPositive();
        assertThat(en).isGreaterThan(fr);
        assertThat(out.substring(fr, en)).contains("📊 RÉSUMÉ DE LA SYNCHRONISATION", "data/sandbox/reports/fr/");
        assertThat(out.substring(en)).contains("📊 RÉSUMÉ DE LA SYNCHRONISATION", "data/sandbox/reports/en/");
    }

    @Test
    void namesTheMissingEnvFileAndKeys() throws Exception {
        TestProject p = new TestProject(dir).withLauncherJar();

        TestProject.Result none = p.bash("bin/run_sync.sh");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.out()).contains("❌ Fichier .env introuvable",
                "COPPER_API_KEY COPPER_API_EMAIL MAILCHIMP_API_KEY MAILCHIMP_LIST_ID", "--sandbox");

        Files.writeString(dir.resolve(".env"), "COPPER_API_KEY=abc\nCOPPER_API_EMAIL=\nMAILCHIMP_API_KEY=key-without-dc\n");
        TestProject.Result partial = p.bash("bin/run_sync.sh");
        assertThat(partial.code()).isEqualTo(2);
        assertThat(partial.out()).contains("❌ Clé(s) manquante(s) dans .env : COPPER_API_EMAIL MAILCHIMP_LIST_ID MAILCHIMP_DC");

        // real environment variables count, as they override .env; the program's code 2 is passed through with
        // the line that explains it (a stand-in java answers as the product does on a configuration error)
        p.script("java", "#!/bin/bash\nif [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.9\"' >&2; exit 0; fi\n"
                + "echo '2026-01-01 10:00:00 INFO  [main] X - starting'\n"
                + "echo 'Configuration error: mailchimp.page-size in config/application.properties must be 1-1000' >&2\nexit 2\n");
        TestProject.Result env = p.bash(null, Map.of("COPPER_API_EMAIL", "me@x.fr", "MAILCHIMP_LIST_ID", "l1",
                "MAILCHIMP_DC", "us1"), p.path(true), "bin/run_sync.sh");
        assertThat(env.out()).contains("✅ Fichier .env complet");
        assertThat(env.code()).as(env.out()).isEqualTo(2);
        assertThat(env.out()).contains("❌ Synchronisation impossible",
                "│ Configuration error: mailchimp.page-size in config/application.properties must be 1-1000")
                .doesNotContain("X - starting");
    }

    @Test
    void saysWhenJavaIsMissingOrTooOld() throws Exception {
        TestProject p = new TestProject(dir).withLauncherJar();
        String isolated = p.isolatedPath();

        TestProject.Result missing = p.bash(null, Map.of(), isolated, "bin/run_sync.sh", "--sandbox");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.out()).contains("❌ Java n'est pas installé");

        p.script("java", "#!/bin/bash\necho 'openjdk version \"11.0.22\" 2024-01-16' >&2\n");
        TestProject.Result old = p.bash(null, Map.of(), isolated, "bin/run_sync.sh", "--sandbox");
        assertThat(old.code()).isEqualTo(2);
        assertThat(old.out()).contains("Java 17 ou plus récent est requis", "11.0.22");

        p.script("java", "#!/bin/bash\necho 'java version \"1.8.0_381\"' >&2\n");
        assertThat(p.bash(null, Map.of(), isolated, "bin/run_sync.sh", "--sandbox").out())
                .contains("Java 17 ou plus récent est requis", "1.8.0_381");
    }

    @Test
    void buildsTheJarWhenMissingOrSaysHow() throws Exception {
        TestProject p = new TestProject(dir);
        String isolated = p.isolatedPath();
        Path log = dir.resolve("mvn-args.txt");
        p.script("java", "#!/bin/bash\nif [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.9\"' >&2; exit 0; fi\n"
                + "echo \"java $*\" >> '" + dir.resolve("java-args.txt") + "'\nexit 1\n");

        TestProject.Result noMaven = p.bash(null, Map.of(), isolated, "bin/run_sync.sh", "--sandbox");
        assertThat(noMaven.code()).isEqualTo(2);
        assertThat(noMaven.out()).contains("Maven (« mvn ») est introuvable", "mvn -B -q package -DskipTests");

        p.script("mvn", "#!/bin/bash\necho \"$*\" > '" + log + "'\nmkdir -p target && : > target/copper-mailchimp-sync.jar\n");
        TestProject.Result built = p.bash(null, Map.of(), isolated, "bin/run_sync.sh", "--sandbox", "--dry-run");
        assertThat(Files.readString(log).strip()).isEqualTo("-B -q package -DskipTests");
        assertThat(built.out()).contains("🔨 Construction du programme", "🧪 Mode simulation");
        // the fake java fails with 1: the code is passed through, with the options
        assertThat(built.code()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("java-args.txt")))
                .contains("java -jar target/copper-mailchimp-sync.jar --once --sandbox --dry-run");
    }

    @Test
    void rejectsUnknownOptions() throws Exception {
        TestProject p = new TestProject(dir);
        TestProject.Result r = p.bash("bin/run_sync.sh", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("Option inconnue : --bogus", "Usage");
    }

    /** Each exit code of the program is passed through and explained in one French sentence; options reach it. */
    @Test
    void explainsEveryExitCodeInFrenchAndPassesConfirmPlanThrough() throws Exception {
        TestProject p = new TestProject(dir);
        String isolated = p.isolatedPath();
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("target/copper-mailchimp-sync.jar"), "");
        Map<Integer, String> explained = Map.of(
                0, "✅ Synchronisation terminée avec succès",
                1, "des écritures de contacts ont échoué",
                2, "❌ Synchronisation impossible",
                3, "⛔ Plan bloqué par le frein de sécurité : rien n'a été écrit",
                4, "⏭️ Une autre synchronisation était déjà en cours",
                5, "les rapports n'ont pas pu être écrits");
        for (var e : explained.entrySet()) {
            p.script("java", "#!/bin/bash\nif [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.9\"' >&2; exit 0; fi\n"
                    + "if [ \"$3\" = report ]; then exit 0; fi\n"
                    + "echo \"java $*\" >> '" + dir.resolve("java-args.txt") + "'\nexit " + e.getKey() + "\n");
            TestProject.Result r = p.bash(null, Map.of(), isolated, "bin/run_sync.sh", "--sandbox", "--confirm-plan");
            assertThat(r.code()).as(r.out()).isEqualTo(e.getKey());
            assertThat(r.out()).as("code %d", e.getKey()).contains(e.getValue()).doesNotContain("Option inconnue");
            if (e.getKey() == 3) {
                // the advice works when pasted: a sandbox plan is confirmed in the sandbox
                assertThat(r.out()).contains("bin/run_sync.sh --sandbox --confirm-plan");
            }
            for (var other : explained.entrySet()) {
                if (!other.getKey().equals(e.getKey())) {
                    assertThat(r.out()).as("code %d", e.getKey()).doesNotContain(other.getValue());
                }
            }
        }
        assertThat(Files.readString(dir.resolve("java-args.txt")))
                .contains("java -jar target/copper-mailchimp-sync.jar --once --sandbox --confirm-plan");
    }

    /**
     * Cron's log gets the result and the summary of each run, not the program's technical lines, and the script
     * rotates it by size (seen failing first: cron appended the whole technical log, ~120 lines a run, forever).
     */
    @Test
    void cronModeWritesOnlyTheSummaryToTheCronLogAndRotatesIt() throws Exception {
        TestProject p = new TestProject(dir);
        String isolated = p.isolatedPath();
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("target/copper-mailchimp-sync.jar"), "");
        p.script("java", "#!/bin/bash\nif [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.9\"' >&2; exit 0; fi\n"
                + "if [ \"$3\" = report ]; then echo '📊 RÉSUMÉ DE LA SYNCHRONISATION'; exit 0; fi\n"
                + "for ((i = 1; i <= 120; i++)); do echo \"2026-01-01 10:00:00 INFO  [main] AbstractCamelContext - line $i\"; done\n"
                // a --sandbox run's reports are in the sandbox's folder
                + "mkdir -p data/sandbox/reports && echo '{}' > data/sandbox/reports/import_report_2026-01-01_10-00-0$RANDOM.json\nexit 0\n");
        Path cronLog = dir.resolve("logs/sync_cron.log");
        Files.createDirectories(cronLog.getParent());
        // a log past the limit (1 KB here) is rotated before the run writes
        Files.writeString(cronLog, "old run\n".repeat(300));

        TestProject.Result r = p.bash(null, Map.of("SYNC_LOG_MAX_KB", "1", "SYNC_LOG_KEEP", "2"), isolated,
                "bin/run_sync.sh", "--sandbox", "--cron");

        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).isEmpty();
        String log = Files.readString(cronLog);
        assertThat(log).contains("synchronisation automatique", "✅ Synchronisation terminée avec succès",
                "📊 RÉSUMÉ DE LA SYNCHRONISATION").doesNotContain("AbstractCamelContext", "Vérification des prérequis",
                "old run");
        assertThat(log.lines().count()).isLessThan(15);
        // one clock: the settings' zone (report.timezone=Europe/Paris), not the machine's UTC
        assertThat(log).containsPattern("===== \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d CES?T : synchronisation automatique");
        assertThat(Files.readString(dir.resolve("logs/sync_cron.log.1"))).contains("old run");
        // the technical lines are kept apart
        assertThat(Files.readString(dir.resolve("logs/run_sync.log"))).contains("AbstractCamelContext - line 120");

        // two more rotations: at most SYNC_LOG_KEEP old files
        for (int i = 0; i < 2; i++) {
            Files.writeString(cronLog, "x".repeat(2048));
            p.bash(null, Map.of("SYNC_LOG_MAX_KB", "1", "SYNC_LOG_KEEP", "2"), isolated, "bin/run_sync.sh",
                    "--sandbox", "--cron");
        }
        assertThat(dir.resolve("logs/sync_cron.log.2")).exists();
        assertThat(dir.resolve("logs/sync_cron.log.3")).doesNotExist();
    }

    /** A dry run that ends well says nothing was written and how to apply it; a blocked sandbox plan's command has --sandbox. */
    @Test
    void aDryRunAndABlockedPlanSayWhatToRunNext() throws Exception {
        TestProject p = new TestProject(dir);
        String isolated = p.isolatedPath();
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("target/copper-mailchimp-sync.jar"), "");
        p.script("java", "#!/bin/bash\nif [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.9\"' >&2; exit 0; fi\n"
                + "if [ \"$3\" = report ]; then exit 0; fi\nexit 0\n");
        TestProject.Result dry = p.bash(null, Map.of(), isolated, "bin/run_sync.sh", "--sandbox", "--dry-run");
        assertThat(dry.out()).contains("✅ Simulation terminée : rien n'a été écrit",
                "pour l'appliquer : bin/run_sync.sh --sandbox").doesNotContain("terminée avec succès");

        p.script("java", "#!/bin/bash\nif [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.9\"' >&2; exit 0; fi\n"
                + "if [ \"$3\" = report ]; then exit 0; fi\nexit 3\n");
        TestProject.Result blocked = p.bash(null, Map.of(), isolated, "bin/run_sync.sh", "--sandbox");
        assertThat(blocked.code()).isEqualTo(3);
        assertThat(blocked.out()).contains("bin/run_sync.sh --sandbox --confirm-plan")
                .doesNotContain("--dry-run", "en erreur", "Aucune synchronisation nécessaire");
    }
}

package io.cmsync.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real daemon against the sandbox, stopped with bin/stop_sync.sh. On the way: the daemon writes data/daemon.pid, the
 * report-retention route cleans the reports folder at start (and nothing else), a broken route edit is refused.
 */
class StopSyncScriptTest {
    @TempDir
    Path dir;

    @Test
    void stopsARunningDaemonCleanly() throws Exception {
        TestProject p = new TestProject(dir).withLauncherJar();
        // a --sandbox daemon keeps its reports (and purges them) in the sandbox's folder
        Path reports = Files.createDirectories(dir.resolve("data/sandbox/reports"));
        Path oldLog = Files.writeString(reports.resolve("sync_log_2020-01-01_09-00-00.txt"), "old");
        Path oldJson = Files.writeString(reports.resolve("import_report_2020-01-01_09-00-00.json"), "{}");
        Path recent = Files.writeString(reports.resolve("import_report_2999-01-01_09-00-00.txt"), "future");
        Path notes = Files.writeString(reports.resolve("notes.txt"), "mine");
        Files.setLastModifiedTime(notes, FileTime.from(Instant.parse("2019-01-01T00:00:00Z")));
        Path pidFile = dir.resolve("data/daemon.pid");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process daemon = p.builder(p.path(true), Map.of(), java, "-Dreport.retention-start-delay-ms=100", "-jar",
                        "target/copper-mailchimp-sync.jar", "--sandbox")
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !Files.exists(oldLog) && Files.exists(pidFile));
            assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(daemon.pid()));
            assertThat(oldJson).doesNotExist();
            assertThat(recent).exists();
            assertThat(notes).exists();
            assertThat(daemon.isAlive()).isTrue();

            // a second daemon from the same folder refuses to start, and leaves the first's pid file alone
            Process second = p.builder(p.path(true), Map.of(), java, "-jar", "target/copper-mailchimp-sync.jar",
                    "--sandbox").redirectErrorStream(true).redirectOutput(dir.resolve("second.log").toFile()).start();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).isEqualTo(2);
            assertThat(Files.readString(dir.resolve("second.log"), StandardCharsets.UTF_8))
                    .contains("❌ Un autre service de synchronisation tourne déjà depuis ce dossier (pid " + daemon.pid());
            assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(daemon.pid()));

            // live reload (docs/integration-guide.md): a broken route file is refused with a WARN, the daemon runs on
            Files.writeString(dir.resolve("routes/plan.yaml"), "- route:\n    id: plan\n    from: [broken\n");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> Files.readString(
                    dir.resolve("daemon.log"), StandardCharsets.UTF_8).contains("plan.yaml not reloaded: line "));
            assertThat(daemon.isAlive()).isTrue();

            TestProject.Result r = p.bash("bin/stop_sync.sh", "--timeout", "60");

            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains("SIGTERM", "processus " + daemon.pid(), "✅ Service arrêté proprement");
            assertThat(daemon.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(pidFile).doesNotExist();
            assertThat(Files.readString(dir.resolve("daemon.log"), StandardCharsets.UTF_8))
                    .contains("triggered by SIGTERM", "is shutdown");
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void nothingToStopAndStalePidFiles() throws Exception {
        TestProject p = new TestProject(dir);
        TestProject.Result none = p.bash("bin/stop_sync.sh");
        assertThat(none.code()).isZero();
        assertThat(none.out()).contains("Aucun service en cours");

        Path pidFile = Files.createDirectories(dir.resolve("data")).resolve("daemon.pid");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(pidFile, gone.pid() + "\n");
        TestProject.Result stale = p.bash("bin/stop_sync.sh");
        assertThat(stale.code()).isZero();
        assertThat(stale.out()).contains("n'est plus en cours");
        assertThat(pidFile).doesNotExist();

        // a live process that is not the product is never signalled
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(pidFile, other.pid() + "\n");
            TestProject.Result foreign = p.bash("bin/stop_sync.sh");
            assertThat(foreign.out()).contains("n'est pas ce programme");
            assertThat(other.isAlive()).isTrue();
            assertThat(pidFile).doesNotExist();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void readsThePidFileFromTheConfiguredDataDir() throws Exception {
        TestProject p = new TestProject(dir);
        Path props = dir.resolve("config/application.properties");
        Files.writeString(props, Files.readString(props).replace("paths.data-dir=data", "paths.data-dir=var" + File.separator + "state"));
        Path pidFile = Files.createDirectories(dir.resolve("var/state")).resolve("daemon.pid");
        Files.writeString(pidFile, "not-a-pid");
        TestProject.Result r = p.bash("bin/stop_sync.sh");
        assertThat(r.out()).contains("var/state/daemon.pid ne contient pas de numéro de processus");
        assertThat(pidFile).doesNotExist();
    }
}

package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain {@code java -jar … --once} runs the sync in a second JVM (the class-data archive, see Launcher). SIGKILL
 * cannot be forwarded: the second JVM must stop by itself, or a run would go on behind the process an operator (or a
 * supervisor) killed, and race the next one. Runs in {@code mvn verify} (failsafe), after package.
 */
class LauncherIT {
    @TempDir
    Path dir;

    @Test
    void aKilledOneShotRunTakesItsSecondJvmWithIt() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.copy(Path.of("config/application.properties"), dir.resolve("config/application.properties"));
        Files.createDirectories(dir.resolve("routes"));
        try (var routes = Files.list(Path.of("routes"))) {
            for (Path r : routes.toList()) {
                Files.copy(r, dir.resolve("routes").resolve(r.getFileName()));
            }
        }
        Path jar = Path.of("target/copper-mailchimp-sync.jar").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--sandbox", "--reset", "--once")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("console.txt").toFile());
        pb.environment().remove("CMSYNC_CLASS_ARCHIVE");
        Process launcher = pb.start();
        // the second JVM has started the sandbox: the run is under way
        long deadline = System.currentTimeMillis() + 60_000;
        List<ProcessHandle> second = List.of();
        while (System.currentTimeMillis() < deadline && (second.isEmpty() || !Files.isDirectory(dir.resolve("data/sandbox")))) {
            second = launcher.descendants().toList();
            Thread.sleep(20);
        }
        assertThat(second).as("a second JVM runs the sync").isNotEmpty();

        launcher.destroyForcibly(); // SIGKILL, to the first JVM only
        launcher.waitFor(10, TimeUnit.SECONDS);

        for (ProcessHandle h : second) {
            assertThat(h.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).get())
                    .as("the second JVM stopped with the first").isNotNull();
        }
        // and it stopped where it was: the run it carried never finished (no report written afterwards)
        Thread.sleep(3_000);
        Path reports = dir.resolve("data/sandbox/reports");
        assertThat(!Files.isDirectory(reports) || Files.list(reports).noneMatch(
                f -> f.getFileName().toString().startsWith("import_report_"))).as("no report of a finished run").isTrue();
    }
}

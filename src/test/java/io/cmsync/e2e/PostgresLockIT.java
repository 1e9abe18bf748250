package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;
import io.cmsync.state.RunLock;
import io.cmsync.state.StateDatabase;
import io.cmsync.testsupport.PostgresServer;

/**
 * Two processes, one PostgreSQL state: while one holds the run lock (this test's JVM, through the same advisory lock
 * a run takes), the packaged jar's {@code --once} is skipped with exit code 4 and calls no API; once it is released,
 * the jar syncs. The jar's working folders differ: only the database is shared, as on two machines.
 */
class PostgresLockIT {
    @TempDir
    Path tmp;

    private static Path workdir(Path dir, StateDatabase db) throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Path props = dir.resolve("config/application.properties");
        Files.copy(Path.of("config/application.properties"), props);
        Files.writeString(props, String.join("\n", "",
                "paths.data-dir=" + dir.resolve("data"),
                "paths.reports-dir=" + dir.resolve("reports"),
                "paths.archive-dir=" + dir.resolve("archive"),
                "state.jdbc-url=" + db.jdbcUrl(),
                "safety.first-production-run-needs-confirmation=false", ""), StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(".env"), "COPPER_API_KEY=" + SandboxServer.COPPER_API_KEY
                + "\nCOPPER_API_EMAIL=" + SandboxServer.COPPER_USER_EMAIL
                + "\nMAILCHIMP_API_KEY=" + SandboxServer.MAILCHIMP_API_KEY
                + "\nMAILCHIMP_LIST_ID=" + SandboxServer.LIST_ID
                + "\n" + StateDatabase.USER_ENV + "=" + db.user()
                + "\n" + StateDatabase.PASSWORD_ENV + "=" + db.password() + "\n");
        return dir;
    }

    private static int once(Path dir, SandboxServer s, String name) throws Exception {
        Path jar = Path.of(System.getProperty("cmsync.jar", "target/copper-mailchimp-sync.jar"));
        assertThat(jar).as("run mvn package first").exists();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toAbsolutePath().toString(), "--once",
                "--config", dir.resolve("config/application.properties").toString(),
                "--env-file", dir.resolve(".env").toString());
        pb.directory(Path.of("").toAbsolutePath().toFile()); // routes/ is read from the working directory
        pb.environment().put("COPPER_BASE_URL", s.copperBaseUrl());
        pb.environment().put("MAILCHIMP_BASE_URL", s.mailchimpBaseUrl());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(name + " finished").isTrue();
        return p.exitValue();
    }

    @Test
    void aSecondProcessIsSkippedWhileTheFirstHoldsTheDatabaseLock() throws Exception {
        StateDatabase db = PostgresServer.get().newDatabase("lock_it");
        try (SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, null, false))) {
            s.load(new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
            s.resetCalls();
            Path dir = workdir(tmp.resolve("node"), db);
            try (RunLock held = RunLock.tryAcquire(db, tmp.resolve("first.lock")).orElseThrow()) {
                assertThat(once(dir, s, "skipped")).as("exit code of the process that finds the lock held").isEqualTo(4);
            }
            String out = Files.readString(dir.resolve("skipped.out"), StandardCharsets.UTF_8);
            assertThat(out).contains("pg_advisory_lock").doesNotContain(db.password());
            assertThat(s.totalCalls()).as("API calls of the skipped process").isZero();

            assertThat(once(dir, s, "after")).as("once the lock is released").isZero();
            assertThat(s.totalCalls()).isPositive();
            assertThat(Files.readString(dir.resolve("after.out"), StandardCharsets.UTF_8)).doesNotContain(db.password());
        }
    }
}

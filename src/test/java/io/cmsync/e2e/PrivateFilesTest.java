package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.testsupport.LogCapture;

/** Files holding names and e-mails are the owner's only, whatever the umask; a .env others can read is flagged. */
class PrivateFilesTest {
    @TempDir
    Path dir;
    SyncHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void reportsAndStateAreOwnerOnlyAndAReadableEnvFileIsWarnedAbout() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        Path env = Files.writeString(dir.resolve(".env"), "# nothing secret in this test\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));
        try (LogCapture log = new LogCapture(Map.of())) {
            assertThat(h.run()).isZero();
            assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN")
                    .contains(".env (les clés d'API) est lisible par d'autres utilisateurs (rw-r--r--)", "chmod 600"));
        }
        assertThat(permissions(dir.resolve("reports"))).isEqualTo("rwx------");
        assertThat(permissions(dir.resolve("data"))).isEqualTo("rwx------");
        List<Path> reports;
        try (Stream<Path> files = Files.list(dir.resolve("reports"))) {
            reports = files.toList();
        }
        assertThat(reports).hasSize(3).allSatisfy(f -> assertThat(permissions(f)).as(f.toString()).isEqualTo("rw-------"));
    }

    private static String permissions(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

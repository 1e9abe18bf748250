package io.cmsync.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data/daemon.pid is held, not just written: a second daemon of the same folder refuses to start. */
class DaemonPidFileTest {
    @TempDir
    Path dir;

    @Test
    void aSecondDaemonCannotTakeThePidFileAndTheFirstKeepsIt() throws Exception {
        Path file = dir.resolve("data/daemon.pid");
        String me = Long.toString(ProcessHandle.current().pid());
        try (DaemonPidFile first = DaemonPidFile.write(file)) {
            assertThat(Files.readString(file, StandardCharsets.US_ASCII).strip()).isEqualTo(me);
            assertThatThrownBy(() -> DaemonPidFile.write(file)).isInstanceOf(DaemonPidFile.AlreadyRunning.class)
                    .hasMessageContaining("Un autre service de synchronisation tourne déjà depuis ce dossier")
                    .hasMessageContaining("pid " + me).hasMessageContaining("bin/stop_sync.sh");
            assertThat(Files.readString(file, StandardCharsets.US_ASCII).strip()).as("still the first's").isEqualTo(me);
        }
        assertThat(file).doesNotExist();
        try (DaemonPidFile again = DaemonPidFile.write(file)) {
            assertThat(file).exists();
        }
    }

    @Test
    void aStalePidFileLeftByAKilledDaemonIsTakenOver() throws Exception {
        Path file = Files.createDirectories(dir.resolve("data")).resolve("daemon.pid");
        Files.writeString(file, "999999999\n");
        try (DaemonPidFile pid = DaemonPidFile.write(file)) {
            assertThat(Files.readString(file, StandardCharsets.US_ASCII).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }
}

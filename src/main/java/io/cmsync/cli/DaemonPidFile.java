package io.cmsync.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.config.SettingsLoader;

/**
 * {@code data/daemon.pid}: the process id of the running daemon, written when it starts and removed when it stops,
 * so that {@code bin/stop_sync.sh} (and systemd, cron wrappers, people) can find it. Always under the
 * {@code paths.data-dir} of the settings file, also with {@code --sandbox}.
 */
final class DaemonPidFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonPidFile.class);
    static final String NAME = "daemon.pid";

    private final Path file;
    private final String pid = Long.toString(ProcessHandle.current().pid());
    private final AtomicBoolean removed = new AtomicBoolean();
    private final Thread hook = new Thread(this::remove, "daemon-pid-file");

    private DaemonPidFile(Path file) {
        this.file = file;
    }

    /** The pid file of the daemon configured by {@code propertiesFile}. */
    static Path location(Path propertiesFile) {
        String dataDir = SettingsLoader.readProperties(propertiesFile).getProperty("paths.data-dir", "data").strip();
        return Path.of(dataDir.isEmpty() ? "data" : dataDir).resolve(NAME);
    }

    /** Writes this process's id; it is removed by {@link #close()} or, failing that, when the JVM exits. */
    static DaemonPidFile write(Path file) throws IOException {
        Optional<String> previous = Files.isRegularFile(file)
                ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip()) : Optional.empty();
        previous.flatMap(p -> {
            try {
                return ProcessHandle.of(Long.parseLong(p));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).filter(ProcessHandle::isAlive).ifPresent(p -> LOG.warn(
                "⚠️ {} names process {}, which is still running: is another daemon running from this folder?",
                file, p.pid()));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        DaemonPidFile pidFile = new DaemonPidFile(file);
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Files.writeString(tmp, pidFile.pid + System.lineSeparator(), StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Runtime.getRuntime().addShutdownHook(pidFile.hook);
        LOG.info("Daemon pid {} written to {}", pidFile.pid, file);
        return pidFile;
    }

    Path file() {
        return file;
    }

    /** Removes the file if it still names this process (another daemon may have replaced it). */
    void remove() {
        if (!removed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (Files.isRegularFile(file) && pid.equals(Files.readString(file, StandardCharsets.US_ASCII).strip())) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("⚠️ Could not remove {}: {}", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs (or ran) anyway
        }
    }
}

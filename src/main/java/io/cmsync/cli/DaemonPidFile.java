package io.cmsync.cli;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;

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

    private final FileChannel channel;
    private final FileLock lock;

    private DaemonPidFile(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The pid file of the daemon configured by {@code propertiesFile}. */
    static Path location(Path propertiesFile) {
        String dataDir = SettingsLoader.readProperties(propertiesFile).getProperty("paths.data-dir", "data").strip();
        return Path.of(dataDir.isEmpty() ? "data" : dataDir).resolve(NAME);
    }

    /** Another daemon holds the pid file of this folder: this one must not start. */
    static final class AlreadyRunning extends Exception {
        private final String pid;
        private final Path file;

        AlreadyRunning(String pid, Path file) {
            super("Un autre service de synchronisation tourne déjà depuis ce dossier (pid "
                    + (pid.isEmpty() ? "inconnu" : pid) + ", " + file + "): arrêtez-le d'abord (bin/stop_sync.sh)");
            this.pid = pid;
            this.file = file;
        }

        /** The same, in the person's language. */
        String describe(io.cmsync.i18n.Messages m) {
            return m.get("cli.daemon.already-running", pid.isEmpty() ? m.get("cli.daemon.pid-unknown") : pid, file);
        }
    }

    /**
     * Takes the pid file (an exclusive lock held for the daemon's life, so a second daemon of the same folder cannot
     * take it) and writes this process's id; removed by {@link #close()} or, failing that, when the JVM exits.
     */
    static DaemonPidFile write(Path file) throws IOException, AlreadyRunning {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String other = Files.readString(file, StandardCharsets.US_ASCII).strip();
            channel.close();
            throw new AlreadyRunning(other, file);
        }
        DaemonPidFile pidFile = new DaemonPidFile(file, channel, lock);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((pidFile.pid + System.lineSeparator()).getBytes(StandardCharsets.US_ASCII)));
        channel.force(false);
        Runtime.getRuntime().addShutdownHook(pidFile.hook);
        LOG.info("Daemon pid {} written to {}", pidFile.pid, file);
        return pidFile;
    }

    Path file() {
        return file;
    }

    /** Removes the file and releases it. */
    void remove() {
        if (!removed.compareAndSet(false, true)) {
            return;
        }
        try {
            // still ours (we hold the lock): removed before the lock is released, so no other daemon's file is lost
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("⚠️ Could not remove {}: {}", file, e.getMessage());
        } finally {
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // the OS drops the lock with the process anyway
            }
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

package io.cmsync.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * One run at a time on one synced state. With the embedded H2 file: an OS file lock on {@code data/sync.lock} (the
 * file only keeps the holder's pid for the curious). With PostgreSQL, where processes on several machines share the
 * state: a session advisory lock ({@code pg_try_advisory_lock}) held by a connection of its own for the whole run.
 * Either way the lock goes with its holder: the OS drops a dead process's file lock, the server a dead session's
 * advisory lock, so a crashed run leaves no stale lock to clean up.
 */
public final class RunLock implements AutoCloseable {
    /** The scope of today's single sync pair, the part of the advisory lock's key that names what is locked. */
    public static final String DEFAULT_SCOPE = "default";

    private final AutoCloseable release;

    private RunLock(AutoCloseable release) {
        this.release = release;
    }

    /** The lock of the state in {@code db}: the file lock for H2, the advisory lock for PostgreSQL. */
    public static Optional<RunLock> tryAcquire(StateDatabase db, Path lockFile) {
        return db.postgres() ? tryAcquireAdvisory(db, DEFAULT_SCOPE) : tryAcquire(lockFile);
    }

    /** What {@link #tryAcquire(StateDatabase, Path)} locks, for the "another run holds it" message. */
    public static String describe(StateDatabase db, Path lockFile) {
        return db.postgres() ? "pg_advisory_lock (" + db.displayUrl() + ")" : lockFile.toString();
    }

    /** The file lock, or empty when another process (or run) holds it. */
    public static Optional<RunLock> tryAcquire(Path file) {
        try {
            io.cmsync.config.PrivateFiles.directory(file.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                return Optional.empty();
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
            FileLock held = l;
            return Optional.of(new RunLock(() -> {
                held.release();
                ch.close();
            }));
        } catch (IOException e) {
            throw new StateException("cannot use the lock file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The advisory lock of {@code scope} in the state's schema, or empty when another session holds it. */
    public static Optional<RunLock> tryAcquireAdvisory(StateDatabase db, String scope) {
        Connection c = null;
        try {
            c = db.connect();
            long key;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT current_schema()")) {
                rs.next();
                key = advisoryKey(rs.getString(1), scope);
            }
            boolean got;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    got = rs.getBoolean(1);
                }
            }
            if (!got) {
                c.close();
                return Optional.empty();
            }
            Connection session = c;
            // closing the session releases its advisory locks; the explicit unlock just says so sooner
            return Optional.of(new RunLock(() -> {
                try (PreparedStatement ps = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, key);
                    ps.execute();
                } finally {
                    session.close();
                }
            }));
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the lock failure is the one to report
                }
            }
            throw new StateException("cannot take the run lock in " + db.displayUrl() + ": " + e.getMessage(), e);
        }
    }

    /** A stable 64-bit key for the advisory lock: the same for every process syncing this scope in this schema. */
    static long advisoryKey(String schema, String scope) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(("copper-mailchimp-sync/run/" + schema + "/" + scope).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(h).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            release.close();
        } catch (Exception ignored) {
            // the OS or the server drops the lock with the channel or the session anyway
        }
    }
}

package io.cmsync.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The product's folders hold names and e-mails (synced state, reports, archive, logs): they are owner-only (0700),
 * the files it writes there 0600, whatever the user's umask. A {@code .env} that others can read gets a warning.
 * Does nothing where the file system has no POSIX permissions.
 */
public final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates the folder if needed and makes it owner-only; a folder it cannot change is logged, not fatal. */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, DIRECTORY);
        return dir;
    }

    /** Makes a file the product wrote owner-only. */
    public static void file(Path file) {
        restrict(file, FILE);
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) {
        if (!POSIX || !Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
            return;
        }
        try {
            if (!Files.getPosixFilePermissions(path).equals(permissions)) {
                Files.setPosixFilePermissions(path, permissions);
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.warn("⚠️ Droits de {} non restreints au propriétaire: {}", path, e.getMessage());
        }
    }

    /** One warning line when the secrets file can be read by other users. */
    public static void warnIfOthersCanRead(Path envFile) {
        if (!POSIX || !Files.isRegularFile(envFile)) {
            return;
        }
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(envFile);
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("⚠️ {} (les clés d'API) est lisible par d'autres utilisateurs ({}): chmod 600 {}", envFile,
                        PosixFilePermissions.toString(p), envFile);
            }
        } catch (IOException e) {
            // unreadable permissions: the read itself reports what is wrong
        }
    }
}

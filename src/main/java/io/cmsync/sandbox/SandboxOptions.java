package io.cmsync.sandbox;

import java.nio.file.Path;

/**
 * Start options of the {@link SandboxServer}.
 *
 * @param port      TCP port on 127.0.0.1; 0 picks a free port
 * @param dataFile  seed JSON (state format, see docs/sandbox.md); null = built-in demo data
 * @param stateFile persisted state: loaded at start if it exists (unless {@code reset}), saved on close()/save();
 *                  null = not persisted
 * @param reset     ignore an existing state file at start and begin from the seed
 */
public record SandboxOptions(int port, Path dataFile, Path stateFile, boolean reset) {
    /** Random port, demo data, no persistence. */
    public static SandboxOptions defaults() {
        return new SandboxOptions(0, null, null, false);
    }
}

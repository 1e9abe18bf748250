package io.cmsync.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cmsync.config.Secrets;
import io.cmsync.config.SettingsLoader;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;
import io.cmsync.state.RunLock;

/**
 * The built-in sandbox as every {@code --sandbox} command sees it: the emulators started on
 * {@code <paths.data-dir>/sandbox/state.json}, their credentials in place of {@code .env}, and the settings that keep
 * everything of the sandbox in that folder (synced state, lock, reports, archive file), never mixed with a real
 * account's. Closing it saves the emulators' state, so the next command finds what this one did.
 * <p>
 * One session at a time per folder ({@code sandbox.lock}): each holds the state in memory and writes it back when it
 * ends, so a second one (a {@code flagged --sandbox} beside a {@code --sandbox} daemon) would lose the other's writes.
 */
final class SandboxSession implements AutoCloseable {
    /** Another command or the daemon uses this folder's sandbox now. */
    static final class Busy extends IOException {
        private final Path lock;

        Busy(Path lock) {
            super("the sandbox of this folder is in use by another program (lock " + lock + ")");
            this.lock = lock;
        }

        /** The one line a person reads, in their language. */
        String describe(io.cmsync.i18n.Messages messages) {
            return messages.get("cli.sandbox.busy", lock);
        }
    }

    private final RunLock lock;
    private final SandboxServer server;
    private final Map<String, String> environment;
    private final Map<String, String> overrides;

    private SandboxSession(RunLock lock, SandboxServer server, Map<String, String> environment,
                           Map<String, String> overrides) {
        this.lock = lock;
        this.server = server;
        this.environment = environment;
        this.overrides = overrides;
    }

    /**
     * Starts the sandbox of the folder that {@code config} describes.
     *
     * @param reset start again from the demo data, forgetting the sandbox's synced state
     * @param environment the process environment; the sandbox's credentials replace the real ones in a copy
     */
    static SandboxSession start(Path config, boolean reset, Map<String, String> environment) throws IOException {
        Path dir = dir(config);
        Path lockFile = dir.resolve("sandbox.lock");
        RunLock lock = RunLock.tryAcquire(lockFile).orElseThrow(() -> new Busy(lockFile));
        SandboxServer server;
        try {
            if (reset) {
                deleteSyncedState(dir);
            }
            server = SandboxServer.start(new SandboxOptions(0, null, dir.resolve("state.json"), reset));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        Map<String, String> env = new HashMap<>(environment);
        env.put(Secrets.COPPER_API_KEY, SandboxServer.COPPER_API_KEY);
        env.put(Secrets.COPPER_API_EMAIL, SandboxServer.COPPER_USER_EMAIL);
        env.put(Secrets.MAILCHIMP_API_KEY, SandboxServer.MAILCHIMP_API_KEY);
        env.put(Secrets.MAILCHIMP_LIST_ID, SandboxServer.LIST_ID);
        env.remove(Secrets.MAILCHIMP_DC);
        env.put(SettingsLoader.COPPER_BASE_URL_ENV, server.copperBaseUrl());
        env.put(SettingsLoader.MAILCHIMP_BASE_URL_ENV, server.mailchimpBaseUrl());
        // several pairs declared: each its own audience in the sandbox (two pairs never share one), created empty the
        // first time and kept in the sandbox's state; every prefixed key is the sandbox's, never a real account's
        java.util.List<String> pairs = List.of();
        try {
            pairs = Files.isRegularFile(config) ? io.cmsync.config.Pairs.names(config, Map.of()) : List.of();
        } catch (io.cmsync.config.ConfigException e) {
            // a bad pairs= line is said by the settings' own check, with the file and the key
        }
        for (String pair : pairs) {
            String prefix = io.cmsync.config.Pairs.envPrefix(pair);
            server.ensureList(pairListId(pair), pairListName(pair));
            env.put(prefix + Secrets.COPPER_API_KEY, SandboxServer.COPPER_API_KEY);
            env.put(prefix + Secrets.COPPER_API_EMAIL, SandboxServer.COPPER_USER_EMAIL);
            env.put(prefix + Secrets.MAILCHIMP_API_KEY, SandboxServer.MAILCHIMP_API_KEY);
            env.put(prefix + Secrets.MAILCHIMP_LIST_ID, pairListId(pair));
            env.remove(prefix + Secrets.MAILCHIMP_DC);
        }
        return new SandboxSession(lock, server, env, overrides(config));
    }

    /** The sandbox audience of the pair {@code pair}: a Mailchimp-like id of 10 hex digits, the same every time. */
    static String pairListId(String pair) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("MD5")
                    .digest(("sandbox-pair-" + pair).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The name of a pair's sandbox audience, as the sandbox's state file shows it. */
    static String pairListName(String pair) {
        return "Sandbox audience of pair " + pair;
    }

    /** {@code <paths.data-dir>/sandbox}: the emulators' state and everything the sandbox runs write. */
    static Path dir(Path config) {
        String dataDir = Files.isRegularFile(config)
                ? SettingsLoader.readProperties(config).getProperty("paths.data-dir", "data").strip() : "data";
        return Path.of(dataDir.isEmpty() ? "data" : dataDir).resolve("sandbox");
    }

    /** Where the sandbox runs and {@code flagged} commands write their reports. */
    static Path reportsDir(Path config) {
        return dir(config).resolve("reports");
    }

    /** The settings that differ in the sandbox; no API is needed to know them ({@code report} commands). */
    static Map<String, String> overrides(Path config) {
        Path dir = dir(config);
        Map<String, String> o = new HashMap<>();
        o.put("paths.data-dir", dir.toString());
        o.put("paths.reports-dir", reportsDir(config).toString());
        o.put("paths.archive-dir", dir.resolve("archive").toString());
        o.put("state.jdbc-url", "");
        o.put(SettingsLoader.SANDBOX, "true");
        return o;
    }

    SandboxServer server() {
        return server;
    }

    /** The environment to load the settings with: the sandbox's credentials and base URLs. */
    Map<String, String> environment() {
        return environment;
    }

    Map<String, String> overrides() {
        return overrides;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            lock.close();
        }
    }

    private static void deleteSyncedState(Path sandboxDir) throws IOException {
        if (!Files.isDirectory(sandboxDir)) {
            return;
        }
        try (var files = Files.list(sandboxDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("sync-state")).toList()) {
                Files.deleteIfExists(f);
            }
        }
        // each pair's synced state (data/sandbox/pairs/<name>): its audience starts empty again with the demo data
        Path pairs = sandboxDir.resolve("pairs");
        if (Files.isDirectory(pairs)) {
            try (var folders = Files.list(pairs)) {
                for (Path folder : folders.filter(Files::isDirectory).toList()) {
                    deleteSyncedState(folder);
                }
            }
        }
    }
}

package io.cmsync.cli;

import io.cmsync.app.SyncApplication;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.config.ConfigException;
import io.cmsync.config.Secrets;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: the daemon, one run, the sandbox. Exit codes per SPEC §5. */
@Command(name = "copper-mailchimp-sync", mixinStandardHelpOptions = true, version = "copper-mailchimp-sync 0.1.0",
        description = "Keeps the people of a Copper CRM account and a Mailchimp audience in sync.%n"
                + "Without options: the daemon (syncs on sync.cron until stopped).",
        subcommands = {Application.SandboxCommand.class, io.cmsync.cli.FlaggedCommand.class, ModeCommand.class,
                ReportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:some contacts failed (see the report)",
            "2:configuration, connection or state error: the sync stopped",
            "3:the safety brake stopped the plan: nothing written (see the report, then --confirm-plan)",
            "4:skipped: another sync holds the lock", "5:synced, but the reports could not be written"})
public final class Application implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--once", description = "Run one sync, then exit.")
    boolean once;

    @Option(names = "--dry-run", description = "Plan and report everything, write nothing to either API.")
    boolean dryRun;

    @Option(names = "--confirm-plan", description = "Execute the plan even when the safety brake stops it "
            + "(first production run, too many updates or removals; see safety.* settings).")
    boolean confirmPlan;

    @Option(names = "--sandbox", description = "Run against the built-in sandbox with demo data (state kept in data/sandbox/).")
    boolean sandbox;

    @Option(names = "--reset", description = "With --sandbox: start again from the demo data.")
    boolean reset;

    @Option(names = "--verbose", description = "Also show one line per contact on the console (they are always in the "
            + "sync log, reports/sync_log_*.txt).")
    boolean verbose;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/application.properties",
            description = "Settings file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--env-file", paramLabel = "FILE", defaultValue = ".env",
            description = "Secrets file (default: ${DEFAULT-VALUE}).")
    Path envFile;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given streams (tests read what a user would see). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Application());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("Configuration error: " + e.getMessage());
                return 2;
            }
            if (e instanceof CommandLine.ParameterException) {
                cmd.getErr().println(e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (reset && !sandbox) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reset only works with --sandbox");
        }
        DaemonPidFile pid = null;
        if (!once) {
            // first of all: a second daemon of this folder stops here, before touching the sandbox or any API
            try {
                pid = DaemonPidFile.write(DaemonPidFile.location(config));
            } catch (DaemonPidFile.AlreadyRunning e) {
                spec.commandLine().getErr().println("❌ " + e.getMessage());
                return 2;
            }
        }
        Map<String, String> environment = new HashMap<>(System.getenv());
        Map<String, String> overrides = new HashMap<>();
        SandboxServer server = null;
        if (sandbox) {
            Path dataDir = Path.of(SettingsLoader.readProperties(config).getProperty("paths.data-dir", "data").strip());
            Path sandboxDir = dataDir.resolve("sandbox");
            if (reset) {
                deleteSyncedState(sandboxDir);
            }
            server = SandboxServer.start(new SandboxOptions(0, null, sandboxDir.resolve("state.json"), reset));
            sandboxEnvironment(environment, server);
            // the sandbox run keeps its own synced state, never mixed with a real account's
            overrides.put("paths.data-dir", sandboxDir.toString());
            overrides.put("state.jdbc-url", "");
            LOG.info("Sandbox started at {} (state in {})", server.baseUrl(), sandboxDir);
        }
        try {
            Settings settings = new SettingsLoader(config, envFile, environment, overrides).load();
            // before anything else logs with the settings: log-file times in their zone, --verbose
            io.cmsync.console.LogSetup.apply(settings.reportZone(), verbose);
            SyncApplication app = new SyncApplication(settings, !once, dryRun, confirmPlan);
            if (sandbox) {
                app.console().say("console.sandbox", settings.dataDir());
            }
            if (once) {
                return app.runOnceStandalone();
            }
            app.runDaemon();
            return 0;
        } finally {
            if (server != null) {
                server.close();
            }
            if (pid != null) {
                pid.close();
            }
        }
    }

    static void sandboxEnvironment(Map<String, String> environment, SandboxServer server) {
        environment.put(Secrets.COPPER_API_KEY, SandboxServer.COPPER_API_KEY);
        environment.put(Secrets.COPPER_API_EMAIL, SandboxServer.COPPER_USER_EMAIL);
        environment.put(Secrets.MAILCHIMP_API_KEY, SandboxServer.MAILCHIMP_API_KEY);
        environment.put(Secrets.MAILCHIMP_LIST_ID, SandboxServer.LIST_ID);
        environment.remove(Secrets.MAILCHIMP_DC);
        environment.put(SettingsLoader.COPPER_BASE_URL_ENV, server.copperBaseUrl());
        environment.put(SettingsLoader.MAILCHIMP_BASE_URL_ENV, server.mailchimpBaseUrl());
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
    }

    @Command(name = "sandbox", description = "The built-in Copper + Mailchimp emulator.",
            mixinStandardHelpOptions = true, subcommands = {ServeCommand.class})
    static final class SandboxCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Serve the sandbox alone (for tests, demos and benchmarks) until stopped.")
    static final class ServeCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--port", defaultValue = "18080", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port).")
        int port;

        @Option(names = "--data", paramLabel = "FILE", description = "Seed state (JSON) instead of the demo data.")
        Path data;

        @Option(names = "--state", paramLabel = "FILE", description = "Keep the state in this file between runs.")
        Path state;

        @Override
        public Integer call() throws Exception {
            if (data != null && !Files.isRegularFile(data)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--data: no such file: " + data);
            }
            SandboxServer server = SandboxServer.start(new SandboxOptions(port, data, state, false));
            PrintWriter out = new PrintWriter(System.out, true);
            out.println(server.describe());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "sandbox-shutdown"));
            stopped.await();
            return 0;
        }
    }
}

package io.cmsync.cli;

import io.cmsync.app.SyncApplication;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.config.ConfigException;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.i18n.Messages;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: the daemon, one run, the sandbox. Exit codes per SPEC §5. Every text a person reads (help, usage
 * and configuration errors) comes from the catalogue ({@code cli.*}), in the language of {@code CMSYNC_LANGUAGE} or
 * of the settings file named by {@code --config} (known before the arguments are parsed, for the help); the English
 * texts of the annotations below are only picocli's fallback.
 */
@Command(name = HelpBundle.ROOT_COMMAND, mixinStandardHelpOptions = true, version = "copper-mailchimp-sync 0.1.0",
        description = "Keeps the people of a Copper CRM account and a Mailchimp audience in sync.",
        subcommands = {Application.SandboxCommand.class, io.cmsync.cli.FlaggedCommand.class, ModeCommand.class,
                ReportCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:some contacts failed (see the report)",
            "2:configuration, connection or state error: the sync stopped",
            "3:the safety brake stopped the plan: nothing written (see the report, then --confirm-plan)",
            "4:skipped: another sync holds the lock", "5:synced, but the reports could not be written"})
public final class Application implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    /** The demo mapping {@code --sandbox} uses while the person's own maps names only (see the file's header). */
    static final Path SANDBOX_MAPPING = Path.of("config/mapping.sandbox.yaml");

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

    @Option(names = "--pair", paramLabel = "NAME", description = "With --once: sync only this pair (see pairs in the "
            + "settings file); by default every pair, one after the other.")
    String pair;

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
        Messages messages = Messages.of(languageBeforeParsing(args, System.getenv()));
        CommandLine cli = new CommandLine(new Application());
        cli.setOut(out);
        cli.setErr(err);
        cli.setResourceBundle(new HelpBundle(messages));
        cli.setHelpFactory(HelpBundle.translatingLabels(messages));
        // French is longer than English: 100 columns keep most options on one or two lines
        cli.setUsageHelpWidth(100);
        cli.setParameterExceptionHandler((e, arguments) -> UsageErrors.print(e, messages));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException c) {
                cmd.getErr().println(c.describe(messages));
                return 2;
            }
            if (e instanceof CommandLine.ParameterException p) {
                return UsageErrors.print(p, messages);
            }
            throw e;
        });
        return cli.execute(args);
    }

    /**
     * The language of the help and of the mistakes, known before picocli parses anything: {@code CMSYNC_LANGUAGE},
     * else the {@code language} setting of the {@code --config} file (config/application.properties by default).
     */
    static Messages.Language languageBeforeParsing(String[] args, Map<String, String> environment) {
        Path config = Path.of("config/application.properties");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                config = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--config=")) {
                config = Path.of(args[i].substring("--config=".length()));
            }
        }
        return SettingsLoader.languageOf(config, environment);
    }

    @Override
    public Integer call() throws Exception {
        if (reset && !sandbox) {
            throw UsageErrors.said(spec.commandLine(), Messages.of(SettingsLoader.languageOf(config, System.getenv())),
                    "cli.usage.reset-needs-sandbox");
        }
        DaemonPidFile pid = null;
        if (!once) {
            // first of all: a second daemon of this folder stops here, before touching the sandbox or any API
            try {
                pid = DaemonPidFile.write(DaemonPidFile.location(config));
            } catch (DaemonPidFile.AlreadyRunning e) {
                spec.commandLine().getErr().println("❌ " + e.describe(
                        Messages.of(SettingsLoader.languageOf(config, System.getenv()))));
                return 2;
            }
        }
        Map<String, String> environment = System.getenv();
        Map<String, String> overrides = Map.of();
        SandboxSession sandboxSession = null;
        if (sandbox) {
            try {
                sandboxSession = SandboxSession.start(config, reset, environment);
            } catch (SandboxSession.Busy e) {
                spec.commandLine().getErr().println(e.describe(Messages.of(SettingsLoader.languageOf(config, environment))));
                if (pid != null) {
                    pid.close();
                }
                return 4;
            }
            environment = sandboxSession.environment();
            overrides = sandboxSession.overrides();
            LOG.info("Sandbox started at {} (state in {})", sandboxSession.server().baseUrl(),
                    SandboxSession.dir(config));
        }
        try {
            java.util.List<Settings> pairs = io.cmsync.config.Pairs.load(config, envFile, environment, overrides);
            if (pair != null && io.cmsync.config.Pairs.find(pairs, pair).filter(s -> !s.implicitPair()).isEmpty()) {
                throw new ConfigException("--pair", config.toString(), "pair-unknown", pair,
                        pairs.get(0).implicitPair() ? "-" : io.cmsync.config.Pairs.describe(pairs));
            }
            Settings settings = pairs.get(0);
            boolean demoMapping = false;
            if (sandbox && settings.implicitPair() && Files.exists(SANDBOX_MAPPING)
                    && io.cmsync.mapping.MappingLoader.load(settings.mappingFile()).isDefault()) {
                // the demo data carries mapped fields: show them, until the person's own mapping maps more than names
                Map<String, String> withDemo = new java.util.HashMap<>(overrides);
                withDemo.put("mapping.file", SANDBOX_MAPPING.toString());
                settings = new SettingsLoader(config, envFile, environment, withDemo).load();
                pairs = java.util.List.of(settings);
                demoMapping = true;
            }
            // before anything else logs with the settings: log-file times in their zone, --verbose
            io.cmsync.console.LogSetup.apply(settings.reportZone(), verbose);
            SyncApplication app = new SyncApplication(pairs, !once, dryRun, confirmPlan);
            if (sandbox) {
                // one sandbox folder for every pair (each pair's state is in a folder of it)
                app.console().say("console.sandbox", SandboxSession.dir(config));
                if (demoMapping) {
                    app.console().say("console.sandbox-mapping", SANDBOX_MAPPING);
                }
            }
            if (once) {
                return app.runOnceStandalone(pair);
            }
            app.runDaemon();
            return 0;
        } finally {
            if (sandboxSession != null) {
                sandboxSession.close();
            }
            if (pid != null) {
                pid.close();
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

        @Option(names = "--port", paramLabel = "PORT", defaultValue = "18080", description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port).")
        int port;

        @Option(names = "--data", paramLabel = "FILE", description = "Seed state (JSON) instead of the demo data.")
        Path data;

        @Option(names = "--state", paramLabel = "FILE", description = "Keep the state in this file between runs.")
        Path state;

        @Override
        public Integer call() throws Exception {
            if (data != null && !Files.isRegularFile(data)) {
                throw UsageErrors.said(spec.commandLine(), Messages.of(SettingsLoader.languageOf(null, System.getenv())),
                        "cli.usage.no-such-file", data);
            }
            SandboxServer server;
            try {
                server = SandboxServer.start(new SandboxOptions(port, data, state, false));
            } catch (BindException e) {
                // an expected failure: one line that says what to do, no stack trace
                spec.commandLine().getErr().println(Messages.of(SettingsLoader.languageOf(null, System.getenv()))
                        .get("cli.sandbox.port-busy", String.valueOf(port)));
                return 2;
            }
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

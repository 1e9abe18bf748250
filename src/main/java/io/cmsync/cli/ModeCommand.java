package io.cmsync.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cmsync.config.ConfigException;
import io.cmsync.config.SettingsLoader;
import io.cmsync.i18n.Messages;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mode [test|production]}: shows or switches {@code sync.mode} in the settings file (the old tool's
 * {@code toggle_mode.py}). The file is edited in place: only the {@code sync.mode=} line changes, every comment and
 * other line is kept as it was.
 */
@Command(name = "mode", mixinStandardHelpOptions = true,
        description = "Show the mode (TEST or PRODUCTION), or switch it in the settings file after confirmation.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:mode shown or switched", "1:switch cancelled", "2:settings file missing or unreadable"})
final class ModeCommand implements java.util.concurrent.Callable<Integer> {
    /** The active {@code sync.mode} line: key, separator, value, rest. */
    private static final Pattern MODE_LINE = Pattern.compile("(?m)^([ \\t]*sync\\.mode[ \\t]*[=:][ \\t]*)([^\\r\\n]*)$");

    @Parameters(index = "0", arity = "0..1", paramLabel = "test|production", descriptionKey = "target",
            description = "The mode to switch to.")
    String target;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (scripts).")
    boolean yes;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/application.properties",
            description = "Settings file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--pair", paramLabel = "NAME", description = "The sync pair whose mode to show or switch "
            + "(pair.NAME.sync.mode; required to switch when several pairs are declared).")
    String pair;

    @Option(names = "--sandbox", description = "Show the mode the sandbox runs use (the same setting).")
    boolean sandbox;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Messages m = Messages.of(SettingsLoader.languageOf(config, System.getenv()));
        String pairName = io.cmsync.config.Pairs.chosen(config, java.util.Map.of(), pair);
        String current = currentMode(config, pairName);
        if (target == null) {
            out.println(m.get("cli.mode.current", current));
            out.println(describe(m, current));
            if (sandbox) {
                out.println(m.get("cli.mode.sandbox-follows", config));
            }
            return 0;
        }
        if (sandbox) {
            // one setting serves both: switching it "for the sandbox" would switch the real accounts too
            spec.commandLine().getErr().println(m.get("cli.mode.sandbox-no-switch", config, target));
            return 1; // the switch is refused, as when cancelled: nothing changed
        }
        String wanted = target.strip().toUpperCase(Locale.ROOT);
        if (!wanted.equals("TEST") && !wanted.equals("PRODUCTION")) {
            throw UsageErrors.said(spec.commandLine(), m, "cli.usage.unknown-mode", target);
        }
        if (wanted.equals(current)) {
            out.println(m.get("cli.mode.already", current));
            return 0;
        }
        out.println(m.get("cli.mode.change", current, wanted));
        if (!yes) {
            out.print(wanted.equals("PRODUCTION") ? m.get("cli.mode.confirm-production")
                    : m.get("cli.mode.confirm-test", marker(config)));
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            Answers<Boolean> yesNo = new Answers<>(m, java.util.Map.of("cli.answer.yes", true, "cli.answer.no", false));
            if (!Boolean.TRUE.equals(yesNo.match(answer))) {
                out.println();
                out.println(m.get("cli.mode.cancelled", current));
                return 1;
            }
        }
        write(config, pairName, wanted);
        out.println(m.get("cli.mode.saved", wanted, config));
        out.println(describe(m, wanted));
        out.println(m.get("cli.mode.daemon-restart"));
        return 0;
    }

    static String currentMode(Path config) {
        return currentMode(config, null);
    }

    /** The mode of {@code pair} ({@code pair.NAME.sync.mode}, else {@code sync.mode}); null: today's single pair. */
    static String currentMode(Path config, String pair) {
        var p = SettingsLoader.readProperties(config);
        String own = pair == null ? null : p.getProperty(io.cmsync.config.Pairs.PREFIX + pair + ".sync.mode");
        String mode = (own != null && !own.isBlank() ? own : p.getProperty("sync.mode", "TEST")).strip();
        return mode.toUpperCase(Locale.ROOT);
    }

    private static String marker(Path config) {
        return SettingsLoader.readProperties(config).getProperty("sync.test-marker", "@exemple").strip();
    }

    private String describe(Messages m, String mode) {
        return mode.equals("PRODUCTION") ? m.get("cli.mode.describe-production")
                : m.get("cli.mode.describe-test", marker(config));
    }

    /** Replaces the value of the active {@code sync.mode} line (appends one if there is none), atomically. */
    static void write(Path config, String mode) throws IOException {
        write(config, null, mode);
    }

    /**
     * Same for a pair: its own {@code pair.NAME.sync.mode} line (appended if there is none), the other pairs keep
     * theirs.
     */
    static void write(Path config, String pair, String mode) throws IOException {
        Pattern line = pair == null ? MODE_LINE : Pattern.compile("(?m)^([ \\t]*" + Pattern.quote(
                io.cmsync.config.Pairs.PREFIX + pair + ".sync.mode") + "[ \\t]*[=:][ \\t]*)([^\\r\\n]*)$");
        String key = pair == null ? "sync.mode" : io.cmsync.config.Pairs.PREFIX + pair + ".sync.mode";
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(null, config.toString(), "file-unreadable", e.getMessage());
        }
        Matcher m = line.matcher(text);
        String updated;
        if (m.find()) {
            updated = text.substring(0, m.start(2)) + mode + text.substring(m.end(2));
        } else {
            String nl = text.contains("\r\n") ? "\r\n" : "\n";
            updated = text + (text.isEmpty() || text.endsWith("\n") ? "" : nl) + key + "=" + mode + nl;
        }
        Path tmp = config.resolveSibling(config.getFileName() + ".tmp");
        Files.writeString(tmp, updated, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}

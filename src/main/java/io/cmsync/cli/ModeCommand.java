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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String current = currentMode(config);
        if (target == null) {
            out.println("Mode actuel : " + current);
            out.println(describe(current));
            return 0;
        }
        String wanted = target.strip().toUpperCase(Locale.ROOT);
        if (!wanted.equals("TEST") && !wanted.equals("PRODUCTION")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Mode inconnu: " + target + " (attendu: test ou production)");
        }
        if (wanted.equals(current)) {
            out.println("ℹ️ Le mode est déjà " + current + " : rien à changer.");
            return 0;
        }
        out.println("Mode actuel : " + current + "  →  nouveau mode : " + wanted);
        if (!yes) {
            out.print(wanted.equals("PRODUCTION")
                    ? "⚠️ ATTENTION : le mode PRODUCTION traitera TOUTE LA BASE Copper et Mailchimp. Confirmer ? [o/N] "
                    : "Le mode TEST ne traitera plus que les contacts dont l'e-mail contient « " + marker(config)
                            + " ». Confirmer ? [o/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).matches("o|oui|y|yes")) {
                out.println();
                out.println("❌ Annulé : le mode reste " + current + ".");
                return 1;
            }
        }
        write(config, wanted);
        out.println("✅ Mode " + wanted + " enregistré dans " + config + ".");
        out.println(describe(wanted));
        out.println("ℹ️ Un démon en cours d'exécution prend le nouveau mode à son prochain redémarrage.");
        return 0;
    }

    static String currentMode(Path config) {
        String mode = SettingsLoader.readProperties(config).getProperty("sync.mode", "TEST").strip();
        return mode.toUpperCase(Locale.ROOT);
    }

    private static String marker(Path config) {
        return SettingsLoader.readProperties(config).getProperty("sync.test-marker", "@exemple").strip();
    }

    private String describe(String mode) {
        return mode.equals("PRODUCTION")
                ? "PRODUCTION : tous les contacts de Copper et de Mailchimp sont synchronisés."
                : "TEST : seuls les contacts dont l'e-mail contient « " + marker(config) + " » sont lus et écrits.";
    }

    /** Replaces the value of the active {@code sync.mode} line (appends one if there is none), atomically. */
    static void write(Path config, String mode) throws IOException {
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(null, config.toString(), "file-unreadable", e.getMessage());
        }
        Matcher m = MODE_LINE.matcher(text);
        String updated;
        if (m.find()) {
            updated = text.substring(0, m.start(2)) + mode + text.substring(m.end(2));
        } else {
            String nl = text.contains("\r\n") ? "\r\n" : "\n";
            updated = text + (text.isEmpty() || text.endsWith("\n") ? "" : nl) + "sync.mode=" + mode + nl;
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

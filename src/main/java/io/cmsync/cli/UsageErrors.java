package io.cmsync.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

import io.cmsync.i18n.Messages;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A mistake on the command line, said in the person's language: one line naming what is wrong, then where the help
 * is. Picocli's own messages are English; only their parts (the option, the value) are reused.
 */
final class UsageErrors {
    private UsageErrors() {
    }

    /** A mistake our own commands find (options that do not go together…), already in the person's language. */
    static final class Said extends CommandLine.ParameterException {
        private static final long serialVersionUID = 1L;

        Said(CommandLine cmd, String text) {
            super(cmd, text);
        }
    }

    static Said said(CommandLine cmd, Messages messages, String key, Object... args) {
        return new Said(cmd, messages.get(key, args));
    }

    /** Prints the mistake and the hint; returns the exit code of a usage error (2, as configuration errors). */
    static int print(CommandLine.ParameterException e, Messages messages) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(describe(e, messages));
        err.println(messages.get("cli.usage.hint", subcommandPath(cmd)));
        err.flush();
        return 2;
    }

    static String describe(CommandLine.ParameterException e, Messages m) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            String line = m.get(first.startsWith("-") ? "cli.usage.unknown-option" : "cli.usage.unexpected-parameter",
                    first);
            List<String> suggestions = u.getSuggestions();
            return suggestions.isEmpty() ? line
                    : m.get("cli.usage.did-you-mean", line, String.join(", ", suggestions.subList(0,
                    Math.min(3, suggestions.size()))));
        }
        if (e instanceof CommandLine.MissingParameterException missing) {
            return m.get("cli.usage.missing-value", missing.getMissing().stream().map(UsageErrors::name)
                    .collect(Collectors.joining(", ")));
        }
        if (e instanceof CommandLine.OverwrittenOptionException o) {
            return m.get("cli.usage.given-twice", name(o.getOverwritten()));
        }
        if (e.getArgSpec() != null && e.getValue() != null) {
            return m.get("cli.usage.invalid-value", name(e.getArgSpec()), e.getValue());
        }
        if (e instanceof Said) {
            return e.getMessage();
        }
        return m.get("cli.usage.other", e.getMessage());
    }

    private static String name(ArgSpec spec) {
        return spec instanceof OptionSpec o ? o.longestName() : spec.paramLabel();
    }

    /** " flagged archive" for the flagged archive command, "" for the root command. */
    private static String subcommandPath(CommandLine cmd) {
        String qualified = cmd.getCommandSpec().qualifiedName(" ");
        String root = cmd.getCommandSpec().root().name();
        return qualified.startsWith(root) ? qualified.substring(root.length()) : " " + qualified;
    }
}

package io.cmsync.cli;

import io.cmsync.archive.ArchiveFile;
import io.cmsync.archive.FlaggedReport;
import io.cmsync.archive.FlaggedWorkflow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.api.ApiClients;
import io.cmsync.archive.FlaggedWorkflow.Decision;
import io.cmsync.archive.FlaggedWorkflow.Result;
import io.cmsync.config.ConfigException;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.i18n.Messages;
import io.cmsync.http.ApiException;
import io.cmsync.report.Commands;
import io.cmsync.state.RunLock;
import io.cmsync.state.StateException;
import io.cmsync.state.StateStore;
import io.cmsync.state.StateStore.PendingFlagged;
import io.cmsync.sync.TagRules;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code flagged list|archive|delete}: the contacts the sync put in the archive channel (deletion tag), previewed,
 * then acted on only when confirmed — interactively in a terminal, or with {@code --confirm}. Exit codes: 0 done,
 * 1 some contacts failed, 2 configuration or connection error.
 */
@Command(name = "flagged", mixinStandardHelpOptions = true,
        description = "Contacts carrying the deletion tag, waiting for a decision (list, archive, delete).",
        subcommands = {FlaggedCommand.ListCommand.class, FlaggedCommand.ArchiveCommand.class,
                FlaggedCommand.DeleteCommand.class})
public final class FlaggedCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(FlaggedCommand.class);
    static final int DEFAULT_LIMIT = 50;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    /** Where answers come from: a terminal is attached, and its input (read only in interactive mode). */
    public interface Terminal {
        boolean attached();

        BufferedReader reader();

        static Terminal system() {
            return new Terminal() {
                private BufferedReader reader;

                @Override
                public boolean attached() {
                    return System.console() != null;
                }

                @Override
                public synchronized BufferedReader reader() {
                    if (reader == null) {
                        reader = new BufferedReader(System.console().reader());
                    }
                    return reader;
                }
            };
        }

        static Terminal scripted(BufferedReader answers) {
            return new Terminal() {
                @Override
                public boolean attached() {
                    return true;
                }

                @Override
                public BufferedReader reader() {
                    return answers;
                }
            };
        }

        static Terminal none() {
            return new Terminal() {
                @Override
                public boolean attached() {
                    return false;
                }

                @Override
                public BufferedReader reader() {
                    throw new IllegalStateException("no terminal");
                }
            };
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Settings file (default: config/application.properties).")
    Path config;

    @Option(names = "--env-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Secrets file (default: .env).")
    Path envFile;

    @Option(names = "--pair", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "The sync pair whose flagged contacts to work on (required when several are declared).")
    String pair;

    @Option(names = "--sandbox", scope = ScopeType.INHERIT,
            description = "Work on the built-in sandbox (the state of --sandbox --once).")
    boolean sandbox;

    private final Terminal terminal;
    private final Map<String, String> environment;
    private final Map<String, String> overrides;
    private final Clock clock;

    public FlaggedCommand() {
        this(Terminal.system(), System.getenv(), Map.of(), Clock.systemUTC());
    }

    /** For tests: scripted terminal, environment and setting overrides. */
    public FlaggedCommand(Terminal terminal, Map<String, String> environment, Map<String, String> overrides,
                          Clock clock) {
        this.terminal = terminal;
        this.environment = environment;
        this.overrides = overrides;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    Settings settings() {
        return new SettingsLoader(configFile(), envFile(), environment, overrides, pair()).load();
    }

    /** The pair of this call (null: today's single pair), checked against the declared ones. */
    private String pair() {
        return io.cmsync.config.Pairs.chosen(configFile(), overrides, pairOption());
    }

    /** {@code --pair} as given on this command or its parent. */
    private String pairOption() {
        return pair;
    }

    /**
     * The settings of this call, and with {@code --sandbox} the sandbox, started for the call's length: closing the
     * context saves its state, so the next {@code --sandbox} command sees what this one did.
     */
    Context open() throws IOException {
        if (!sandbox()) {
            return new Context(settings(), null);
        }
        SandboxSession session = SandboxSession.start(configFile(), false, environment);
        try {
            Map<String, String> all = new java.util.HashMap<>(session.overrides());
            all.putAll(overrides);
            return new Context(new SettingsLoader(configFile(), envFile(), session.environment(), all, pair()).load(),
                    session);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** The settings of one call and the sandbox it works on (null: the real accounts). */
    record Context(Settings settings, SandboxSession sandbox) implements AutoCloseable {
        @Override
        public void close() {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private Path configFile() {
        return config != null ? config : rootValue("--config", Path.of("config/application.properties"));
    }

    private Path envFile() {
        return envFile != null ? envFile : rootValue("--env-file", Path.of(".env"));
    }

    /** {@code flagged list --sandbox}, {@code flagged --sandbox list} or {@code --sandbox flagged list}. */
    private boolean sandbox() {
        return sandbox || spec.root() != spec && rootValue("--sandbox", Boolean.FALSE);
    }

    private <T> T rootValue(String option, T fallback) {
        CommandLine.Model.CommandSpec root = spec.root();
        if (root != spec) {
            CommandLine.Model.OptionSpec o = root.findOption(option);
            if (o != null && fallback.getClass().isInstance(o.getValue())) {
                @SuppressWarnings("unchecked")
                T value = (T) o.getValue();
                return value;
            }
        }
        return fallback;
    }

    /** The language before the settings are loaded (for a configuration error): see {@link SettingsLoader#languageOf}. */
    Messages messagesBeforeSettings() {
        Path cfg = config != null ? config : rootValue("--config", Path.of("config/application.properties"));
        return Messages.of(SettingsLoader.languageOf(cfg, environment));
    }

    static TagRules tagRules(Settings s) {
        return new TagRules(s.deletionTag(), s.deletionAliases(), s.inactiveTag(), s.inactiveAliases(),
                s.unsubscribedTag(), s.cleanedTag(), s.resubscribeTag());
    }

    // ------------------------------------------------------------------ list

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The contacts waiting for a decision, with the tag that matched.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand
        FlaggedCommand parent;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT, description = "Show at most N (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = parent.spec.commandLine().getOut();
            Messages messages = parent.messagesBeforeSettings();
            try (Context context = parent.open()) {
                Settings settings = context.settings();
                messages = Messages.of(settings.language());
                List<PendingFlagged> pending;
                try (StateStore store = StateStore.open(settings.stateDatabase())) {
                    pending = store.pending();
                }
                printPreview(out, messages, settings.zone(), pending,
                        pending.subList(0, Math.min(limit, pending.size())), List.of());
                return 0;
            } catch (SandboxSession.Busy e) {
                parent.spec.commandLine().getErr().println(e.describe(messages));
                return 2;
            } catch (ConfigException e) {
                parent.spec.commandLine().getErr().println(e.describe(messages));
                return 2;
            } catch (StateException e) {
                parent.spec.commandLine().getErr().println(messages.get("cli.flagged.state-unreadable", e.getMessage()));
                return 2;
            }
        }
    }

    // ------------------------------------------------------------------ archive / delete

    abstract static class ActCommand implements Callable<Integer> {
        @ParentCommand
        FlaggedCommand parent;

        @Option(names = "--confirm", description = "Act without asking (with --all or --email).")
        boolean confirm;

        @Option(names = "--all", description = "Every pending contact (up to --limit).")
        boolean all;

        @Option(names = "--email", paramLabel = "EMAIL", split = ",",
                description = "Only these contacts (repeatable or comma-separated).")
        List<String> emails = new ArrayList<>();

        @Option(names = "--limit", paramLabel = "N", defaultValue = "" + DEFAULT_LIMIT,
                description = "Act on at most N contacts per call (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--preview", description = "Only show what would be done, never ask (even in a terminal).")
        boolean previewOnly;

        /** The person's language, known once the settings are loaded. */
        Messages messages = Messages.of(Messages.Language.FR);

        abstract Decision decision();

        abstract boolean permanent();

        String commandName() {
            return "flagged " + (decision() == Decision.ARCHIVE ? "archive" : "delete") + (permanent() ? " --permanent" : "");
        }

        @Override
        public Integer call() throws Exception {
            CommandLine cli = parent.spec.commandLine();
            PrintWriter out = cli.getOut();
            PrintWriter err = cli.getErr();
            Messages early = parent.messagesBeforeSettings();
            if (limit < 1) {
                throw UsageErrors.said(cli, early, "cli.usage.limit-min");
            }
            if (all && !emails.isEmpty()) {
                throw UsageErrors.said(cli, early, "cli.usage.all-and-email");
            }
            if (confirm && !all && emails.isEmpty()) {
                throw UsageErrors.said(cli, early, "cli.usage.confirm-needs-target");
            }
            Context context;
            try {
                context = parent.open();
            } catch (SandboxSession.Busy e) {
                err.println(e.describe(early));
                return 2;
            } catch (ConfigException e) {
                err.println(e.describe(early));
                return 2;
            }
            try (context) {
                Settings settings = context.settings();
                messages = Messages.of(settings.language());
                Optional<RunLock> lock = RunLock.tryAcquire(settings.stateDatabase(), settings.lockFile());
                if (lock.isEmpty()) {
                    err.println(messages.get("cli.flagged.lock-held",
                            RunLock.describe(settings.stateDatabase(), settings.lockFile())));
                    return 2;
                }
                try (RunLock held = lock.get(); StateStore store = StateStore.open(settings.stateDatabase())) {
                    return run(settings, store, out, err);
                } catch (StateException e) {
                    err.println(messages.get("cli.flagged.state-unreadable", e.getMessage()));
                    return 2;
                }
            }
        }

        private int run(Settings settings, StateStore store, PrintWriter out, PrintWriter err) throws Exception {
            List<PendingFlagged> pending = store.pending();
            List<PendingFlagged> chosen = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            if (emails.isEmpty()) {
                chosen.addAll(pending);
            } else {
                Set<String> wanted = new LinkedHashSet<>();
                emails.forEach(e -> wanted.add(e.strip().toLowerCase(Locale.ROOT)));
                for (String w : wanted) {
                    pending.stream().filter(p -> p.email().equalsIgnoreCase(w)).findFirst()
                            .ifPresentOrElse(chosen::add, () -> unknown.add(w));
                }
            }
            List<PendingFlagged> batch = chosen.subList(0, Math.min(limit, chosen.size()));
            printPreview(out, messages, settings.zone(), chosen, batch, unknown);
            if (permanent()) {
                printPermanentWarning(out, messages);
            }
            if (batch.isEmpty()) {
                return 0;
            }
            boolean interactive = !confirm && !previewOnly && parent.terminal.attached();
            List<Decision> decisions;
            if (confirm) {
                decisions = batch.stream().map(p -> decision()).toList();
            } else if (interactive) {
                decisions = ask(out, batch);
                if (decisions == null) {
                    out.println(messages.get("cli.flagged.aborted"));
                    return 0;
                }
            } else {
                out.println();
                out.println(messages.get("cli.flagged.preview-only"));
                out.println("  " + Commands.of(settings.sandbox()).flaggedConfirmAll(commandName()));
                return 0;
            }
            if (decisions.stream().allMatch(d -> d == Decision.IGNORE)) {
                out.println(messages.get("cli.flagged.all-ignored"));
                LOG.info("{}: {} contact(s) ignorés, rien n'a été modifié", commandName(), batch.size());
                return 0;
            }
            return act(settings, store, batch, decisions, out, err);
        }

        private int act(Settings settings, StateStore store, List<PendingFlagged> batch, List<Decision> decisions,
                        PrintWriter out, PrintWriter err) throws Exception {
            Instant started = parent.clock.instant();
            ArchiveFile archive = new ArchiveFile(settings.archiveDir());
            List<Result> results = new ArrayList<>();
            boolean fatal = false;
            LOG.info("{}: {} contact(s) à traiter (archive {})", commandName(), batch.size(), archive.path());
            try (ApiClients.Standalone api = ApiClients.standalone(settings)) {
                FlaggedWorkflow workflow = new FlaggedWorkflow(api.clients().copper(), api.clients().mailchimp(),
                        store, archive, tagRules(settings), settings.flaggedMailchimpAction(), parent.clock, messages);
                for (int i = 0; i < batch.size(); i++) {
                    PendingFlagged p = batch.get(i);
                    Decision d = decisions.get(i);
                    Result r = fatal ? null : workflow.apply(p, d, permanent());
                    if (r == null) {
                        break;
                    }
                    results.add(r);
                    out.println((d == Decision.IGNORE ? "⏭️ " : r.success() ? "✅ " : "❌ ") + p.email() + " — "
                            + label(messages, d) + (r.success() ? "" : " : " + r.error()));
                    fatal = r.fatal();
                }
            } catch (ApiException e) {
                err.println(messages.get("cli.flagged.connection-failed", e.getMessage()));
                fatal = true;
            }
            int stillPending = store.pending().size();
            String text = FlaggedReport.format(messages, commandName(), settings.modeLabel(), started, settings.zone(),
                    results, archive.path(), stillPending, Commands.of(settings.sandbox()));
            try {
                Path report = FlaggedReport.write(settings.reportsDir(), started, settings.reportZone(), text);
                out.println(messages.get("cli.flagged.report-written", report));
                LOG.info("{}: rapport écrit dans {}", commandName(), report);
            } catch (IOException e) {
                err.println(messages.get("cli.flagged.report-failed", settings.reportsDir(), e.getMessage()));
                LOG.error("{}: rapport impossible à écrire: {}", commandName(), e.toString());
            }
            if (fatal) {
                err.println(messages.get("cli.flagged.stopped"));
                return 2;
            }
            return results.stream().anyMatch(r -> !r.success()) ? 1 : 0;
        }

        /** The old tool's dialogue: a group choice, then one answer per contact when asked. Null: aborted. */
        private List<Decision> ask(PrintWriter out, List<PendingFlagged> batch) throws IOException {
            BufferedReader in = parent.terminal.reader();
            Messages m = messages;
            out.println();
            out.println(m.get("cli.flagged.ask.what", batch.size()));
            out.println("  " + m.get("cli.flagged.ask.one-by-one"));
            out.println("  " + m.get("cli.flagged.ask.all-archive"));
            out.println("  " + m.get(permanent() ? "cli.flagged.ask.all-delete-permanent" : "cli.flagged.ask.all-delete"));
            out.println("  " + m.get("cli.flagged.ask.all-ignore"));
            Map<String, Decision> group = new java.util.LinkedHashMap<>();
            group.put("cli.flagged.answer.all-archive", Decision.ARCHIVE);
            group.put("cli.flagged.answer.all-delete", Decision.DELETE);
            group.put("cli.flagged.answer.all-ignore", Decision.IGNORE);
            // one by one has no Decision of its own: Optional.empty() stands for it
            Answers<Optional<Decision>> groupAnswers = new Answers<>(m, withOneByOne(group));
            Optional<Decision> choice = prompt(out, in, m, m.get("cli.flagged.ask.choice"), groupAnswers);
            if (choice == null) {
                return null;
            }
            List<Decision> decisions = new ArrayList<>();
            if (choice.isPresent()) {
                batch.forEach(p -> decisions.add(choice.get()));
            } else {
                Answers<Optional<Decision>> each = new Answers<>(m, Map.of(
                        "cli.flagged.answer.archive", Optional.of(Decision.ARCHIVE),
                        "cli.flagged.answer.delete", Optional.of(Decision.DELETE),
                        "cli.flagged.answer.ignore", Optional.of(Decision.IGNORE)));
                int n = 0;
                for (PendingFlagged p : batch) {
                    n++;
                    out.println();
                    out.println(m.get("cli.flagged.ask.contact", n, batch.size(), p.email(), name(p, m),
                            p.matchedTag()));
                    Optional<Decision> a = prompt(out, in, m, "  " + m.get("cli.flagged.ask.decision"), each);
                    if (a == null) {
                        // input closed: the remaining contacts stay pending
                        while (decisions.size() < batch.size()) {
                            decisions.add(Decision.IGNORE);
                        }
                        break;
                    }
                    decisions.add(a.get());
                }
            }
            long deletes = decisions.stream().filter(d -> d == Decision.DELETE).count();
            if (deletes > 0) {
                out.println();
                out.println(m.get("cli.flagged.ask.deletes", deletes));
                if (permanent()) {
                    printPermanentWarning(out, m);
                }
                Answers<Boolean> yesNo = new Answers<>(m, Map.of("cli.answer.yes", true, "cli.answer.no", false));
                Boolean ok = prompt(out, in, m, m.get("cli.flagged.ask.confirm-delete"), yesNo);
                if (ok == null || !ok) {
                    return null;
                }
            }
            return decisions;
        }

        private static Map<String, Optional<Decision>> withOneByOne(Map<String, Decision> group) {
            Map<String, Optional<Decision>> all = new java.util.LinkedHashMap<>();
            all.put("cli.flagged.answer.one-by-one", Optional.empty());
            group.forEach((k, d) -> all.put(k, Optional.of(d)));
            return all;
        }

        /** Asks until the answer is one of the accepted words; null when the input is closed. */
        private static <T> T prompt(PrintWriter out, BufferedReader in, Messages m, String question,
                                    Answers<T> answers) throws IOException {
            while (true) {
                out.print(question);
                out.flush();
                String line = in.readLine();
                if (line == null) {
                    out.println();
                    return null;
                }
                T answer = answers.match(line);
                if (answer != null) {
                    return answer;
                }
                out.println("  " + m.get("cli.flagged.ask.unrecognised", line.strip()));
            }
        }
    }

    @Command(name = "archive", mixinStandardHelpOptions = true,
            description = {"Write each contact to the archive file, then in Copper replace the deletion tag with the "
                    + "inactive tag, and in Mailchimp archive the member (or unsubscribe it: flagged.mailchimp-action).",
                    "Preview first; acts only when confirmed in a terminal or with --confirm."})
    static final class ArchiveCommand extends ActCommand {
        @Override
        Decision decision() {
            return Decision.ARCHIVE;
        }

        @Override
        boolean permanent() {
            return false;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Write each contact to the archive file, then delete the Copper person and archive the "
                    + "Mailchimp member (--permanent: delete it permanently).",
                    "Preview first; acts only when confirmed in a terminal or with --confirm."})
    static final class DeleteCommand extends ActCommand {
        @Option(names = "--permanent", description = "Delete the Mailchimp member permanently: the address can then "
                + "NEVER be re-imported (only the person can subscribe again through the signup form).")
        boolean permanentDeletion;

        @Override
        Decision decision() {
            return Decision.DELETE;
        }

        @Override
        boolean permanent() {
            return permanentDeletion;
        }
    }

    // ------------------------------------------------------------------ shared output

    static void printPreview(PrintWriter out, Messages m, java.time.ZoneId zone, List<PendingFlagged> all,
                             List<PendingFlagged> shown, List<String> unknown) {
        for (String u : unknown) {
            out.println(m.get("cli.flagged.not-pending", u));
        }
        if (all.isEmpty()) {
            out.println(m.get("cli.flagged.none"));
            return;
        }
        out.println(shown.size() < all.size() ? m.get("cli.flagged.header-limited", all.size(), shown.size())
                : m.get("cli.flagged.header", all.size()));
        out.println("-".repeat(50));
        int n = 0;
        for (PendingFlagged p : shown) {
            n++;
            out.println("  " + n + ". " + p.email());
            out.println("     " + m.get("cli.flagged.item.name", name(p, m)));
            out.println("     " + m.get("cli.flagged.item.tag", p.matchedTag()));
            JsonInfo info = JsonInfo.of(p);
            out.println("     " + (info.copperId == null ? m.get("cli.flagged.item.copper-unknown")
                    : m.get("cli.flagged.item.copper", info.copperId)) + " | "
                    + m.get("cli.flagged.item.mailchimp", status(m, info.mailchimpStatus)));
            // in the settings' zone, which is named: the reader need not guess whether it is UTC
            out.println("     " + m.get("cli.flagged.item.since", DAY.format(p.firstSeen().atZone(zone)), zone.getId()));
        }
        if (shown.size() < all.size()) {
            out.println("  " + m.get("cli.flagged.more", all.size() - shown.size()));
        }
        out.flush();
    }

    /** A Mailchimp status in words ({@code subscribed} is « abonné » in French). */
    static String status(Messages m, String mailchimpStatus) {
        String key = "cli.flagged.status." + (mailchimpStatus == null ? "absent" : mailchimpStatus);
        return m.has(key) ? m.get(key) : mailchimpStatus;
    }

    static String label(Messages m, Decision d) {
        return m.get("cli.flagged.decision." + d.name().toLowerCase(Locale.ROOT));
    }

    private record JsonInfo(Long copperId, String mailchimpStatus) {
        static JsonInfo of(PendingFlagged p) {
            var m = FlaggedWorkflow.parse(p.mailchimpJson());
            String status = m.path("status").isTextual() ? m.path("status").asText() : null;
            return new JsonInfo(FlaggedWorkflow.copperId(p), status);
        }
    }

    static void printPermanentWarning(PrintWriter out, Messages m) {
        out.println();
        out.println(m.get("cli.flagged.permanent.title"));
        out.println("    " + m.get("cli.flagged.permanent.line1"));
        out.println("    " + m.get("cli.flagged.permanent.line2"));
        out.flush();
    }

    private static String name(PendingFlagged p, Messages m) {
        return p.displayName() == null || p.displayName().isBlank() ? m.get("cli.flagged.no-name") : p.displayName();
    }
}

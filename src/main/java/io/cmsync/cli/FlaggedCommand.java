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
import io.cmsync.http.ApiException;
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
        Path cfg = config != null ? config : rootValue("--config", Path.of("config/application.properties"));
        Path env = envFile != null ? envFile : rootValue("--env-file", Path.of(".env"));
        return new SettingsLoader(cfg, env, environment, overrides).load();
    }

    private Path rootValue(String option, Path fallback) {
        CommandLine.Model.CommandSpec root = spec.root();
        if (root != spec) {
            CommandLine.Model.OptionSpec o = root.findOption(option);
            if (o != null && o.getValue() instanceof Path p) {
                return p;
            }
        }
        return fallback;
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

        @Option(names = "--limit", defaultValue = "" + DEFAULT_LIMIT, description = "Show at most N (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            PrintWriter out = parent.spec.commandLine().getOut();
            try {
                Settings settings = parent.settings();
                List<PendingFlagged> pending;
                try (StateStore store = StateStore.open(settings.stateDatabase())) {
                    pending = store.pending();
                }
                printPreview(out, pending, pending.subList(0, Math.min(limit, pending.size())), List.of());
                return 0;
            } catch (ConfigException e) {
                parent.spec.commandLine().getErr().println("Configuration error: " + e.getMessage());
                return 2;
            } catch (StateException e) {
                parent.spec.commandLine().getErr().println("État de synchronisation illisible: " + e.getMessage());
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

        @Option(names = "--limit", defaultValue = "" + DEFAULT_LIMIT,
                description = "Act on at most N contacts per call (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--preview", description = "Only show what would be done, never ask (even in a terminal).")
        boolean previewOnly;

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
            if (limit < 1) {
                throw new CommandLine.ParameterException(cli, "--limit must be at least 1");
            }
            if (all && !emails.isEmpty()) {
                throw new CommandLine.ParameterException(cli, "--all and --email cannot be combined");
            }
            if (confirm && !all && emails.isEmpty()) {
                throw new CommandLine.ParameterException(cli, "--confirm needs --all or --email to say which contacts");
            }
            Settings settings;
            try {
                settings = parent.settings();
            } catch (ConfigException e) {
                err.println("Configuration error: " + e.getMessage());
                return 2;
            }
            Optional<RunLock> lock = RunLock.tryAcquire(settings.stateDatabase(), settings.lockFile());
            if (lock.isEmpty()) {
                err.println("Une synchronisation est en cours (" + RunLock.describe(settings.stateDatabase(), settings.lockFile()) + "): réessayez quand elle sera terminée.");
                return 2;
            }
            try (RunLock held = lock.get(); StateStore store = StateStore.open(settings.stateDatabase())) {
                return run(settings, store, out, err);
            } catch (StateException e) {
                err.println("État de synchronisation illisible: " + e.getMessage());
                return 2;
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
            printPreview(out, chosen, batch, unknown);
            if (permanent()) {
                printPermanentWarning(out);
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
                    out.println("Abandon: rien n'a été modifié.");
                    return 0;
                }
            } else {
                out.println();
                out.println("Aperçu seulement: rien n'a été modifié. Pour agir, lancez la commande dans un terminal "
                        + "ou ajoutez --confirm avec --all ou --email, par exemple:");
                out.println("  java -jar target/copper-mailchimp-sync.jar " + commandName() + " --confirm --all");
                return 0;
            }
            if (decisions.stream().allMatch(d -> d == Decision.IGNORE)) {
                out.println("Tous les contacts sont ignorés: ils restent en attente, rien n'a été modifié.");
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
                        store, archive, tagRules(settings), settings.flaggedMailchimpAction(), parent.clock);
                for (int i = 0; i < batch.size(); i++) {
                    PendingFlagged p = batch.get(i);
                    Decision d = decisions.get(i);
                    Result r = fatal ? null : workflow.apply(p, d, permanent());
                    if (r == null) {
                        break;
                    }
                    results.add(r);
                    out.println((d == Decision.IGNORE ? "⏭️ " : r.success() ? "✅ " : "❌ ") + p.email() + " — "
                            + d.label() + (r.success() ? "" : ": " + r.error()));
                    fatal = r.fatal();
                }
            } catch (ApiException e) {
                err.println("Connexion impossible: " + e.getMessage());
                fatal = true;
            }
            int stillPending = store.pending().size();
            String text = FlaggedReport.format(commandName(), settings.modeLabel(), started, settings.reportZone(),
                    results, archive.path(), stillPending);
            try {
                Path report = FlaggedReport.write(settings.reportsDir(), started, settings.reportZone(), text);
                out.println("Rapport: " + report);
                LOG.info("{}: rapport écrit dans {}", commandName(), report);
            } catch (IOException e) {
                err.println("Rapport impossible à écrire dans " + settings.reportsDir() + ": " + e.getMessage());
                LOG.error("{}: rapport impossible à écrire: {}", commandName(), e.toString());
            }
            if (fatal) {
                err.println("Arrêt: erreur de connexion ou d'authentification; les contacts restants sont en attente.");
                return 2;
            }
            return results.stream().anyMatch(r -> !r.success()) ? 1 : 0;
        }

        /** The old tool's dialogue: a group choice, then one answer per contact when asked. Null: aborted. */
        private List<Decision> ask(PrintWriter out, List<PendingFlagged> batch) throws IOException {
            BufferedReader in = parent.terminal.reader();
            out.println();
            out.println("Que faire de ces " + batch.size() + " contact(s) ?");
            out.println("  1. Décider contact par contact");
            out.println("  2. Tout archiver");
            out.println("  3. Tout supprimer" + (permanent() ? " (définitivement dans Mailchimp)" : ""));
            out.println("  4. Tout ignorer (ils restent en attente)");
            String choice = prompt(out, in, "Votre choix [1-4] : ", Set.of("1", "2", "3", "4"));
            if (choice == null) {
                return null;
            }
            List<Decision> decisions = new ArrayList<>();
            switch (choice) {
                case "2" -> batch.forEach(p -> decisions.add(Decision.ARCHIVE));
                case "3" -> batch.forEach(p -> decisions.add(Decision.DELETE));
                case "4" -> batch.forEach(p -> decisions.add(Decision.IGNORE));
                default -> {
                    int n = 0;
                    for (PendingFlagged p : batch) {
                        n++;
                        out.println();
                        out.println("[" + n + "/" + batch.size() + "] " + p.email() + " — " + name(p)
                                + " (tag: " + p.matchedTag() + ")");
                        String a = prompt(out, in, "  [a]rchiver / [s]upprimer / [i]gnorer ? ",
                                Set.of("a", "s", "i"));
                        if (a == null) {
                            // input closed: the remaining contacts stay pending
                            while (decisions.size() < batch.size()) {
                                decisions.add(Decision.IGNORE);
                            }
                            break;
                        }
                        decisions.add(switch (a) {
                            case "a" -> Decision.ARCHIVE;
                            case "s" -> Decision.DELETE;
                            default -> Decision.IGNORE;
                        });
                    }
                }
            }
            long deletes = decisions.stream().filter(d -> d == Decision.DELETE).count();
            if (deletes > 0) {
                out.println();
                out.println("⚠️  " + deletes + " personne(s) seront supprimées de Copper (irréversible).");
                if (permanent()) {
                    printPermanentWarning(out);
                }
                String ok = prompt(out, in, "Confirmer la suppression ? [oui/non] : ", Set.of("oui", "non", "o", "n"));
                if (ok == null || ok.startsWith("n")) {
                    return null;
                }
            }
            return decisions;
        }

        private static String prompt(PrintWriter out, BufferedReader in, String question, Set<String> valid)
                throws IOException {
            while (true) {
                out.print(question);
                out.flush();
                String line = in.readLine();
                if (line == null) {
                    out.println();
                    return null;
                }
                String a = line.strip().toLowerCase(Locale.ROOT);
                if (valid.contains(a)) {
                    return a;
                }
                out.println("  Réponse non reconnue: " + line.strip());
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

    static void printPreview(PrintWriter out, List<PendingFlagged> all, List<PendingFlagged> shown,
                             List<String> unknown) {
        for (String u : unknown) {
            out.println("⚠️  " + u + " n'est pas en attente (voir flagged list)");
        }
        if (all.isEmpty()) {
            out.println("Aucun contact marqué pour suppression en attente.");
            return;
        }
        out.println("CONTACTS MARQUÉS POUR SUPPRESSION EN ATTENTE: " + all.size()
                + (shown.size() < all.size() ? " (" + shown.size() + " traités par cet appel, limite --limit)" : ""));
        out.println("-".repeat(50));
        int n = 0;
        for (PendingFlagged p : shown) {
            n++;
            out.println("  " + n + ". " + p.email());
            out.println("     Nom: " + name(p));
            out.println("     Tag détecté: " + p.matchedTag());
            JsonInfo info = JsonInfo.of(p);
            out.println("     Copper: " + (info.copperId == null ? "id inconnu" : "id " + info.copperId)
                    + " | Mailchimp: " + (info.mailchimpStatus == null ? "absent" : info.mailchimpStatus));
            out.println("     En attente depuis: " + DAY.format(p.firstSeen().atZone(java.time.ZoneId.systemDefault())));
        }
        if (shown.size() < all.size()) {
            out.println("  … et " + (all.size() - shown.size()) + " autre(s): relancez la commande (ou --limit).");
        }
        out.flush();
    }

    private record JsonInfo(Long copperId, String mailchimpStatus) {
        static JsonInfo of(PendingFlagged p) {
            var m = FlaggedWorkflow.parse(p.mailchimpJson());
            String status = m.path("status").isTextual() ? m.path("status").asText() : null;
            return new JsonInfo(FlaggedWorkflow.copperId(p), status);
        }
    }

    static void printPermanentWarning(PrintWriter out) {
        out.println();
        out.println("⚠️  ATTENTION — SUPPRESSION DÉFINITIVE DANS MAILCHIMP (--permanent):");
        out.println("    ces adresses ne pourront PLUS JAMAIS être réimportées dans l'audience, ni par ce programme");
        out.println("    ni par l'API. Seule la personne pourra se réinscrire via le formulaire d'inscription.");
        out.flush();
    }

    private static String name(PendingFlagged p) {
        return p.displayName() == null || p.displayName().isBlank() ? "(sans nom)" : p.displayName();
    }
}

package io.cmsync.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cmsync.config.SettingsLoader;
import io.cmsync.i18n.Messages;
import io.cmsync.report.Commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code report summary [FILE]}: the short summary of a run, read from its JSON report (used by bin/run_sync.sh). */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Reports of the past runs.",
        subcommands = {ReportCommand.Summary.class, ReportCommand.Purge.class})
final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = "Print the summary of a run: counts per direction, errors, flagged and forgotten contacts, "
                    + "and the paths of its files. Without FILE: the newest import_report_*.json of the reports folder.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:summary printed", "1:no report found or unreadable"})
    static final class Summary implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", descriptionKey = "file", description = "An import_report_*.json file.")
        Path file;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/application.properties",
                description = "Settings file, for paths.reports-dir (default: ${DEFAULT-VALUE}).")
        Path config;

        @Option(names = "--reports-dir", paramLabel = "DIR", description = "Reports folder (default: paths.reports-dir).")
        Path reportsDir;

        @Option(names = "--pair", paramLabel = "NAME", description = "The sync pair whose newest report to summarise "
                + "(its reports folder; required when several pairs are declared).")
        String pair;

        @Option(names = "--sandbox", description = "The sandbox's reports (data/sandbox/reports/).")
        boolean sandbox;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path dir = reportsDir != null ? reportsDir : sandbox ? SandboxSession.reportsDir(config)
                    : file == null && Files.isRegularFile(config) ? io.cmsync.config.Pairs.folder(config,
                    io.cmsync.config.Pairs.chosen(config, java.util.Map.of(), pair), "paths.reports-dir", "reports")
                    : reportsDirOf(config);
            Optional<Path> report = file != null ? Optional.of(file) : newest(dir);
            Messages m = Messages.of(SettingsLoader.languageOf(config, System.getenv()));
            if (report.isEmpty()) {
                err.println(m.get("cli.summary.no-report", dir.toAbsolutePath().normalize()));
                return 1;
            }
            Path json = report.get();
            JsonNode root;
            try {
                root = JSON.readTree(json.toFile());
            } catch (IOException e) {
                err.println(m.get("cli.summary.unreadable", json, e.getMessage()));
                return 1;
            }
            // a file of the sandbox's folder (bin/run_sync.sh --sandbox names it) recommends sandbox commands
            boolean ofSandbox = sandbox || json.toAbsolutePath().normalize()
                    .startsWith(SandboxSession.reportsDir(config).toAbsolutePath().normalize());
            print(out, m, root, json, zoneOf(config), Commands.of(ofSandbox));
            return 0;
        }

        static Path reportsDirOf(Path config) {
            if (!Files.isRegularFile(config)) {
                return Path.of("reports");
            }
            String dir = SettingsLoader.readProperties(config).getProperty("paths.reports-dir", "reports").strip();
            return Path.of(dir.isEmpty() ? "reports" : dir);
        }

        static java.time.ZoneId zoneOf(Path config) {
            return SettingsLoader.zoneOf(config);
        }

        static String localDate(String instant, java.time.ZoneId zone) {
            try {
                return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                        .format(java.time.Instant.parse(instant).atZone(zone));
            } catch (RuntimeException e) {
                return instant.isEmpty() ? "?" : instant;
            }
        }

        static Optional<Path> newest(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            try (Stream<Path> files = Files.list(dir)) {
                // the names carry the run's date (AAAA-MM-JJ_HH-MM-SS): the greatest name is the newest run
                return files.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith("import_report_") && n.endsWith(".json") && Files.isRegularFile(p);
                }).max(Comparator.comparing((Path p) -> p.getFileName().toString()));
            }
        }

        private static void print(PrintWriter out, Messages m, JsonNode r, Path json, java.time.ZoneId zone,
                                  Commands commands) {
            JsonNode s = r.path("summary");
            String rule = "=".repeat(60);
            boolean blocked = r.path("safetyBrake").path("blocked").asBoolean();
            out.println(rule);
            out.println(m.get("cli.summary.title"));
            out.println(rule);
            out.println(m.get("cli.summary.date-mode", localDate(r.path("startedAt").asText(""), zone),
                    r.path("mode").asText("?"))
                    + (blocked ? m.get("cli.summary.blocked-suffix")
                    : r.path("dryRun").asBoolean() ? m.get("cli.summary.dry-run-suffix") : ""));
            if (r.hasNonNull("abortedReason")) {
                out.println(m.get("cli.summary.aborted", r.path("abortedReason").asText()));
            }
            if (r.path("nothingToSync").asBoolean()) {
                out.println(m.get("cli.summary.nothing-to-sync"));
            }
            out.println(m.get("cli.summary.total", s.path("totalOperations").asLong()));
            if (blocked) {
                out.println(m.get("cli.summary.blocked", r.path("safetyBrake").path("reason").asText("")));
                out.println(m.get("cli.summary.blocked-command", commands.confirmPlan()));
            }
            if (r.path("dryRun").asBoolean()) {
                out.println(m.get("cli.summary.planned", s.path("totalOperations").asLong()));
            } else if (r.hasNonNull("abortedReason")) {
                // a run that stopped is no success: no ✅, no rate
                out.println(m.get("cli.summary.written-before-stop", s.path("success").asLong()));
                out.println(m.get("cli.summary.errors", s.path("errors").asLong()));
                out.println(m.get("cli.summary.rate-not-calculated"));
            } else {
                out.println(m.get("cli.summary.success", s.path("success").asLong()));
                out.println(m.get("cli.summary.errors", s.path("errors").asLong()));
                out.println(m.get("cli.summary.rate", s.path("successRate").asText("0.0")));
            }
            out.println("   Copper → Mailchimp: " + s.path("copperToMailchimp").asLong());
            out.println("   Mailchimp → Copper: " + s.path("mailchimpToCopper").asLong());
            out.println(m.get("cli.summary.identical", s.path("identicalSkipped").asLong()));
            long archived = 0;
            for (JsonNode e : r.path("excluded")) {
                if (io.cmsync.report.Reasons.archivedActive(e.path("reason").asText())) {
                    archived++;
                }
            }
            out.println(m.get("cli.summary.excluded", s.path("excluded").asLong() - archived));
            if (archived > 0) {
                // their own line, as in the text report: someone must decide (unarchive, or mark inactive)
                out.println(m.get("cli.summary.archived", archived));
            }
            out.println(m.get("cli.summary.flagged", s.path("flagged").asLong()));
            out.println(m.get("cli.summary.forgotten", s.path("forgotten").asLong()));
            out.println(m.get("cli.summary.not-synced", s.path("notSynced").asLong()));
            out.println(m.get("cli.summary.conflicts", s.path("conflicts").asLong()));
            boolean errorsHeader = false;
            for (JsonNode op : r.path("operations")) {
                if (!op.path("success").asBoolean(true)) {
                    if (!errorsHeader) {
                        out.println();
                        out.println(m.get("cli.summary.errors-heading"));
                        errorsHeader = true;
                    }
                    out.println("   - " + op.path("email").asText() + " (" + op.path("directionLabel").asText() + "): "
                            + op.path("error").asText(""));
                }
            }
            if (r.path("flagged").size() > 0) {
                out.println();
                out.println(m.get("cli.summary.flagged-heading", commands.flaggedList()));
                r.path("flagged").forEach(f -> out.println("   - " + f.path("email").asText() + " ["
                        + f.path("matchedTag").asText() + "]"));
            }
            if (r.path("forgotten").size() > 0) {
                out.println();
                out.println(m.get("cli.summary.forgotten-heading"));
                r.path("forgotten").forEach(f -> out.println("   - " + f.path("email").asText() + " : "
                        + f.path("resubscribeLink").asText("")));
            }
            out.println();
            out.println(m.get("cli.summary.files-heading"));
            String name = json.getFileName().toString();
            Path dir = json.toAbsolutePath().getParent();
            String[] files = {name};
            if (name.startsWith("import_report_") && name.endsWith(".json")) {
                String stamp = name.substring("import_report_".length(), name.length() - ".json".length());
                files = new String[] {"import_report_" + stamp + ".txt", name, "sync_log_" + stamp + ".txt"};
            }
            for (String f : files) {
                Path p = dir.resolve(f);
                if (Files.exists(p)) {
                    out.println("   " + p.normalize());
                }
            }
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Remove the run files (sync_log_*, import_report_*, flagged_report_*) older than "
                    + "report.retention-days from the reports folder, now; nothing else is ever removed. The daemon "
                    + "does this by itself every day (route report-retention); this is for cron-only set-ups.")
    static final class Purge implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/application.properties",
                description = "Settings file, for paths.reports-dir, report.retention-days and report.timezone "
                        + "(default: ${DEFAULT-VALUE}).")
        Path config;

        @Option(names = "--days", paramLabel = "N", description = "Retention in days (default: report.retention-days).")
        Integer days;

        @Option(names = "--pair", paramLabel = "NAME", description = "The sync pair whose reports folder to purge "
                + "(by default: every declared pair's).")
        String pair;

        @Option(names = "--sandbox", description = "The sandbox's reports (data/sandbox/reports/).")
        boolean sandbox;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            java.util.Properties p = SettingsLoader.readProperties(config);
            int retention;
            try {
                retention = days != null ? days : Integer.parseInt(p.getProperty("report.retention-days", "30").strip());
            } catch (NumberFormatException e) {
                throw new io.cmsync.config.ConfigException("report.retention-days", config.toString(),
                        "retention-days");
            }
            if (retention < 1) {
                throw UsageErrors.said(spec.commandLine(), io.cmsync.i18n.Messages.of(
                        SettingsLoader.languageOf(config, System.getenv())), "cli.usage.days-min");
            }
            java.util.List<String> names = io.cmsync.config.Pairs.names(config, java.util.Map.of());
            java.util.List<String> chosen = pair != null
                    ? java.util.List.of(io.cmsync.config.Pairs.chosen(config, java.util.Map.of(), pair)) : names;
            Path dir = sandbox ? SandboxSession.reportsDir(config) : Summary.reportsDirOf(config);
            java.util.List<String> removed = new java.util.ArrayList<>();
            if (sandbox || chosen.isEmpty()) {
                removed.addAll(new io.cmsync.report.ReportRetention(dir, retention, Summary.zoneOf(config),
                        java.time.Clock.systemUTC()).purge());
            } else {
                // each pair's own reports folder (reports/fr, reports/en…)
                for (String name : chosen) {
                    Path own = io.cmsync.config.Pairs.folder(config, name, "paths.reports-dir", "reports");
                    removed.addAll(new io.cmsync.report.ReportRetention(own, retention, Summary.zoneOf(config),
                            java.time.Clock.systemUTC()).purge());
                    dir = chosen.size() == 1 ? own : dir;
                }
            }
            io.cmsync.i18n.Messages m = io.cmsync.i18n.Messages.of(SettingsLoader.languageOf(config, System.getenv()));
            Path where = dir.toAbsolutePath().normalize();
            out.println(removed.isEmpty() ? m.get("cli.purge.none", retention, where)
                    : m.get("cli.purge.removed", removed.size(), retention, where));
            removed.forEach(n -> out.println("   - " + n));
            return 0;
        }
    }
}

package io.cmsync.record;

import io.cmsync.run.Secretless;
import io.cmsync.run.SyncRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.apache.camel.ExchangeProperty;

import io.cmsync.config.Settings;
import io.cmsync.report.Commands;
import io.cmsync.report.JsonReportFormatter;
import io.cmsync.report.ReportFileNames;
import io.cmsync.report.ReportContext;
import io.cmsync.report.ReportLanguage;
import io.cmsync.report.RunReport;
import io.cmsync.report.TextReportFormatter;
import io.cmsync.sync.Direction;

/**
 * Builds the run's three files (import report, its JSON twin, sync log); the write-reports route splits them and
 * writes each with the file component. Secrets are masked in every text before it leaves. Stateless.
 */
public final class ReportStep {
    private final Settings ownSettings;
    /** The folder the write-reports route writes into ({@code paths.reports-dir} of the routes). */
    private final Path root;

    public ReportStep(Settings settings) {
        this(settings, settings.reportsDir());
    }

    /**
     * @param root the folder the write-reports route writes into: a run's files are named relative to it, so each
     *             pair's land in its own reports folder (reports/en/…)
     */
    public ReportStep(Settings settings, Path root) {
        this.ownSettings = settings;
        this.root = root;
    }

    /** The run's pair's settings (this step's own for a run without a pair). */
    private Settings settings(SyncRun run) {
        return run.pair() == null ? ownSettings : run.pair().settings();
    }

    /** A file of the run, as the route names it: relative to the route's folder, or absolute outside it. */
    private String routeName(Settings settings, String file) {
        Path dir = settings.reportsDir();
        if (dir.equals(root)) {
            return file;
        }
        Path absoluteRoot = root.toAbsolutePath().normalize();
        Path absoluteDir = dir.toAbsolutePath().normalize();
        return absoluteDir.startsWith(absoluteRoot) ? absoluteRoot.relativize(absoluteDir).resolve(file).toString()
                : absoluteDir.resolve(file).toString();
    }

    /**
     * One file of the run's reports: its name in the reports folder and its content (a text, or a stream for the
     * sync log, which a large run keeps on disk).
     */
    public record ReportFile(String name, Object content) {
    }

    /** The run's files, in the order they are written: import report, JSON, sync log. */
    public List<ReportFile> files(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) throws IOException {
        Settings settings = settings(run);
        ReportFileNames names = ReportFileNames.of(run.startedAt(), settings.reportZone());
        if (run.fatalError() == null) {
            run.log().say(io.cmsync.report.RunLog.Level.INFO, "report.log.end", run.operationCount(),
                    run.errorCount());
        }
        RunReport report = new RunReport(run.runId(), run.startedAt(), java.time.Instant.now(), !run.productionMode(),
                run.dryRun(), run.operations().snapshot(), run.identical(), run.excluded().snapshot(),
                run.flagged().snapshot(), run.notSynced().snapshot(), run.conflicts().snapshot(),
                run.forgotten().snapshot(), run.resubscribed().snapshot(),
                List.of(settings.reportsDir().resolve(names.syncLog()).toString(),
                        settings.reportsDir().resolve(names.importReport()).toString(),
                        settings.reportsDir().resolve(names.json()).toString()),
                run.fatalError());
        if (capped(run)) {
            report = report.withTotals(totals(run));
        }
        if (run.refusedValues().total() > 0) {
            report = report.withRefused(run.refusedValues().snapshot(), run.refusedValues().total());
        }
        return List.of(new ReportFile(routeName(settings, names.importReport()), importReportText(run, report)),
                new ReportFile(routeName(settings, names.json()), jsonText(run, report)),
                new ReportFile(routeName(settings, names.syncLog()), syncLog(run)));
    }

    /** A list of the run holds only its first entries (report.max-detailed-entries): the counts come apart. */
    private static boolean capped(SyncRun run) {
        return run.operationCount() > run.operations().size() || run.excluded().total() > run.excluded().size()
                || run.flagged().total() > run.flagged().size() || run.notSynced().total() > run.notSynced().size()
                || run.forgotten().total() > run.forgotten().size()
                || run.resubscribed().total() > run.resubscribed().size()
                || run.conflicts().total() > run.conflicts().size();
    }

    private static RunReport.Totals totals(SyncRun run) {
        long[] byDirection = new long[4];
        run.operationTally().forEach((k, n) -> byDirection[(k.direction() == Direction.COPPER_TO_MAILCHIMP ? 0 : 2)
                + (k.success() ? 0 : 1)] += n);
        return new RunReport.Totals(byDirection[0], byDirection[1], byDirection[2], byDirection[3],
                run.excluded().total(), run.flagged().total(), run.notSynced().total(), run.conflicts().total(),
                run.forgotten().total(), run.forgotten().matching(), run.resubscribed().total());
    }

    private String importReportText(SyncRun run, RunReport report) {
        Settings settings = settings(run);
        ReportContext context = new ReportContext(run.brakeReason(), run.resumed(),
                String.valueOf(settings.propertiesFile()), Commands.of(settings.sandbox()));
        return mask(run, TextReportFormatter.format(report, language(run), settings.reportZone(),
                TextReportFormatter.DEFAULT_MAX_LISTED, context));
    }

    private String jsonText(SyncRun run, RunReport report) {
        String json = JsonReportFormatter.format(report);
        if (run.brakeReason() != null) {
            try {
                var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
                var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json);
                root.putObject("safetyBrake").put("blocked", true).put("reason", run.brakeReason());
                json = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
            } catch (Exception e) {
                // the text report carries the reason anyway
            }
        }
        return mask(run, json);
    }

    /**
     * The sync log, secrets masked, streamed from a temporary file (a large run's log, a line per contact, is never
     * built as one string); the file is deleted when the file component has copied and closed the stream.
     */
    private InputStream syncLog(SyncRun run) throws IOException {
        Path masked = Files.createTempFile("cmsync-sync-log-masked-", ".txt");
        masked.toFile().deleteOnExit();
        try (var out = Files.newBufferedWriter(masked, StandardCharsets.UTF_8)) {
            run.log().writeTo(out, text -> mask(run, text));
        }
        return Files.newInputStream(masked, StandardOpenOption.DELETE_ON_CLOSE);
    }

    private ReportLanguage language(SyncRun run) {
        return ReportLanguage.parse(settings(run).reportLanguage());
    }

    private String mask(SyncRun run, String text) {
        return Secretless.mask(text, settings(run).secrets());
    }
}

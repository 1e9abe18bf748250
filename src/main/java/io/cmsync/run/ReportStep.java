package io.cmsync.run;

import java.util.List;

import io.cmsync.config.Settings;
import io.cmsync.report.JsonReportFormatter;
import io.cmsync.report.ReportFileNames;
import io.cmsync.report.ReportLanguage;
import io.cmsync.report.RunReport;
import io.cmsync.report.TextReportFormatter;
import io.cmsync.sync.Direction;

/**
 * Builds the run's three files (sync log, import report, its JSON twin); the write-reports route writes them with the
 * file component. Secrets are masked in every text before it leaves.
 */
public final class ReportStep {
    private final Settings settings;
    private final SyncRuns runs;
    private ReportFileNames names;
    private RunReport report;

    public ReportStep(Settings settings, SyncRuns runs) {
        this.settings = settings;
        this.runs = runs;
    }

    public void prepare() {
        SyncRun run = runs.current();
        names = ReportFileNames.of(run.startedAt(), settings.reportZone());
        if (run.fatalError() == null) {
            run.log().info("Fin de la synchronisation: " + run.operationCount() + " opération(s), "
                    + run.errorCount() + " erreur(s)");
        }
        report = new RunReport(run.runId(), run.startedAt(), java.time.Instant.now(), run.productionMode() == false,
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

    public String importReportName() {
        return names.importReport();
    }

    public String importReportText() {
        return mask(withBrakeSection(TextReportFormatter.format(report, language(), settings.reportZone())));
    }

    /** A plan stopped by the safety brake: its own section, before the operations (which are the planned ones). */
    private String withBrakeSection(String text) {
        SyncRun run = runs.current();
        if (run.brakeReason() == null) {
            return text;
        }
        String section = BRAKE_HEADING + "\n" + "-".repeat(50) + "\n"
                + "  Raison: " + run.brakeReason() + "\n"
                + "  Rien n'a été écrit: les opérations ci-dessous sont le plan (simulation).\n"
                + "  Pour l'exécuter: relancez avec --confirm-plan, ou relevez le réglage safety.* dans "
                + settings.propertiesFile() + ".\n\n";
        int at = text.indexOf("DÉTAILS DES OPÉRATIONS");
        if (at < 0) {
            at = text.indexOf("OPERATION DETAILS");
        }
        return at < 0 ? text + "\n" + section : text.substring(0, at) + section + text.substring(at);
    }

    public static final String BRAKE_HEADING = "⚠️ PLAN BLOQUÉ PAR LE FREIN DE SÉCURITÉ";

    public String jsonName() {
        return names.json();
    }

    public String jsonText() {
        String json = JsonReportFormatter.format(report);
        SyncRun run = runs.current();
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
        return mask(json);
    }

    public String syncLogName() {
        return names.syncLog();
    }

    public String syncLogText() {
        return mask(runs.current().log().text());
    }

    private java.nio.file.Path maskedLog;

    /**
     * The sync log, secrets masked, as a temporary file for the file component: a large run's log (a line per
     * contact) is streamed from disk, never built as one string. The previous run's temporary file is deleted.
     */
    public java.io.File syncLogFile() throws java.io.IOException {
        if (maskedLog != null) {
            java.nio.file.Files.deleteIfExists(maskedLog);
        }
        maskedLog = java.nio.file.Files.createTempFile("cmsync-sync-log-masked-", ".txt");
        maskedLog.toFile().deleteOnExit();
        try (var out = java.nio.file.Files.newBufferedWriter(maskedLog, java.nio.charset.StandardCharsets.UTF_8)) {
            runs.current().log().writeTo(out, this::mask);
        }
        return maskedLog.toFile();
    }

    private ReportLanguage language() {
        return "en".equals(settings.reportLanguage()) ? ReportLanguage.EN : ReportLanguage.FR;
    }

    private String mask(String text) {
        return Secretless.mask(text, settings.secrets());
    }
}

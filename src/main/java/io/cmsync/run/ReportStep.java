package io.cmsync.run;

import java.util.List;

import io.cmsync.config.Settings;
import io.cmsync.report.JsonReportFormatter;
import io.cmsync.report.ReportFileNames;
import io.cmsync.report.ReportLanguage;
import io.cmsync.report.RunReport;
import io.cmsync.report.TextReportFormatter;

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
            run.log().info("Fin de la synchronisation: " + run.operations().size() + " opération(s), "
                    + run.errorCount() + " erreur(s)");
        }
        report = new RunReport(run.runId(), run.startedAt(), java.time.Instant.now(), run.productionMode() == false,
                run.dryRun(), List.copyOf(run.operations()), run.identical(), List.copyOf(run.excluded()),
                List.copyOf(run.flagged()), List.copyOf(run.notSynced()),
                run.plan() == null ? List.of() : conflicts(run), List.copyOf(run.forgotten()),
                List.copyOf(run.resubscribed()),
                List.of(settings.reportsDir().resolve(names.syncLog()).toString(),
                        settings.reportsDir().resolve(names.importReport()).toString(),
                        settings.reportsDir().resolve(names.json()).toString()),
                run.fatalError());
    }

    private static List<io.cmsync.sync.Conflict> conflicts(SyncRun run) {
        return run.plan().actions().stream().flatMap(a -> {
            if (a instanceof io.cmsync.sync.Action.UpdateMailchimpMember u) {
                return u.conflicts().stream();
            }
            if (a instanceof io.cmsync.sync.Action.UpdateCopperPerson u) {
                return u.conflicts().stream();
            }
            return java.util.stream.Stream.empty();
        }).distinct().toList();
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

    private ReportLanguage language() {
        return "en".equals(settings.reportLanguage()) ? ReportLanguage.EN : ReportLanguage.FR;
    }

    private String mask(String text) {
        return Secretless.mask(text, settings.secrets());
    }
}

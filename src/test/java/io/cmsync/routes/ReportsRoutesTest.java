package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import io.cmsync.report.ExcludedEntry;
import io.cmsync.report.ReportFileNames;
import io.cmsync.run.SyncRun;
import io.cmsync.testsupport.LogCapture;

/** routes/reports.yaml: write-reports writes the run's three files with the file component; a failure is only logged. */
class ReportsRoutesTest extends RouteTestSupport {

    @Override
    List<String> routeFiles() {
        return List.of("reports.yaml");
    }

    private List<String> filesIn(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theImportReportItsJsonTwinAndTheSyncLogLandInTheReportsFolder() throws Exception {
        startCamel();
        SyncRun run = beginRun();
        run.excluded().add(new ExcludedEntry("excluded@exemple.fr", "Copper", "tag inactif"));
        run.log().info("Une ligne du journal de ce test");

        sendOk("direct:write-reports", run, null);

        ReportFileNames names = ReportFileNames.of(run.startedAt(), settings.reportZone());
        Path reports = settings.reportsDir();
        assertThat(filesIn(reports)).containsExactlyInAnyOrder(names.importReport(), names.json(), names.syncLog());
        assertThat(names.importReport()).startsWith("import_report_").endsWith(".txt");
        assertThat(names.json()).startsWith("import_report_").endsWith(".json");
        assertThat(names.syncLog()).startsWith("sync_log_").endsWith(".txt");

        String text = Files.readString(reports.resolve(names.importReport()), StandardCharsets.UTF_8);
        assertThat(text).contains(run.runId()).contains("excluded@exemple.fr");
        var json = JSON.readTree(reports.resolve(names.json()).toFile());
        assertThat(json.path("runId").asText()).isEqualTo(run.runId());
        assertThat(json.toString()).contains("excluded@exemple.fr");
        String log = Files.readString(reports.resolve(names.syncLog()), StandardCharsets.UTF_8);
        assertThat(log).contains("Début de la synchronisation " + run.runId()).contains("Une ligne du journal de ce test");
    }

    @Test
    void anUnwritableReportsFolderIsOneErrorLineAndExitCode5WithoutFailingTheCaller() throws Exception {
        Path reports = settings.reportsDir();
        Files.createDirectories(reports.getParent());
        Files.writeString(reports, "a file where the reports folder should be");
        startCamel();
        SyncRun run = beginRun();

        Exchange done;
        try (LogCapture log = new LogCapture(Map.of())) {
            done = send("direct:write-reports", run, null);
            // one line for the three files (distinct: other tests' logger settings can attach the capture twice)
            assertThat(log.lines().stream().filter(l -> l.contains("non écrits dans")).distinct()).singleElement()
                    .satisfies(line -> assertThat(line).startsWith("ERROR")
                            .contains("❌ Rapports de la synchronisation non écrits dans " + reports, "code de sortie 5"));
        }

        assertThat(done.getException()).isNull();
        assertThat(run.exitCode()).as("the sync ran, its reports are lost: its own exit code").isEqualTo(SyncRun.REPORTS_LOST);
        assertThat(Files.isRegularFile(reports)).isTrue();
    }
}

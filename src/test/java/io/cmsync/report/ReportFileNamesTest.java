package io.cmsync.report;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFileNamesTest {

    @Test
    void namesFromTheLocalStartTime() {
        ReportFileNames names = ReportFileNames.of(ReportFixtures.EXAMPLE_START, ReportFixtures.PARIS);
        assertThat(names.syncLog()).isEqualTo("sync_log_2025-07-07_14-23-07.txt");
        assertThat(names.importReport()).isEqualTo("import_report_2025-07-07_14-23-07.txt");
        assertThat(names.json()).isEqualTo("import_report_2025-07-07_14-23-07.json");
        assertThat(names.stamp()).isEqualTo("2025-07-07_14-23-07");
        assertThat(names.all()).containsExactly(names.syncLog(), names.importReport(), names.json());
    }

    @Test
    void zoneChangesTheStampAndSingleDigitsArePadded() {
        ReportFileNames names = ReportFileNames.of(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        assertThat(names.syncLog()).isEqualTo("sync_log_2026-01-02_03-04-05.txt");
        ReportFileNames tokyo = ReportFileNames.of(Instant.parse("2026-01-02T20:04:05Z"),
                java.time.ZoneId.of("Asia/Tokyo"));
        assertThat(tokyo.importReport()).isEqualTo("import_report_2026-01-03_05-04-05.txt");
    }

    @Test
    void timestampOfReportFileNames() {
        LocalDateTime expected = LocalDateTime.of(2025, 7, 7, 14, 23, 7);
        assertThat(ReportFileNames.timestampOf("sync_log_2025-07-07_14-23-07.txt")).contains(expected);
        assertThat(ReportFileNames.timestampOf("reports/import_report_2025-07-07_14-23-07.json")).contains(expected);
        assertThat(ReportFileNames.timestampOf("import_report_2025-07-07_14-23-07.txt")).contains(expected);
        assertThat(ReportFileNames.timestampOf("import_report_2025-13-07_14-23-07.txt")).isEmpty();
        assertThat(ReportFileNames.timestampOf("sync_cron.log")).isEmpty();
        assertThat(ReportFileNames.timestampOf("sync_log_2025-07-07_14-23-07.txt.bak")).isEmpty();
        assertThat(ReportFileNames.timestampOf(null)).isEmpty();
    }
}

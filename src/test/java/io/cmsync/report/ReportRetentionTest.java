package io.cmsync.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report retention: run files older than the retention go, nothing else ever does. */
class ReportRetentionTest {
    static final Instant NOW = Instant.parse("2026-03-31T10:00:00Z");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @TempDir
    Path dir;

    private Path file(String name, Instant mtime) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, name);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
        return p;
    }

    private List<String> left() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void removesOnlyExpiredRunFiles() throws Exception {
        Instant fresh = NOW.minusSeconds(3600);
        Instant ancient = Instant.parse("2020-01-01T00:00:00Z");
        // expired by the date in their name (their mtime says "new": the name wins)
        for (String n : List.of("sync_log_2026-02-28_09-00-00.txt", "import_report_2026-02-28_09-00-00.txt",
                "import_report_2026-02-28_09-00-00.json", "flagged_report_2026-02-01_08-00-00.txt",
                "flagged_report_2026-02-01_08-00-00.json")) {
            file(n, fresh);
        }
        // within 30 days by name, although the mtime is old
        file("sync_log_2026-03-02_09-00-00.txt", ancient);
        file("import_report_2026-03-30_23-59-59.json", ancient);
        // no date in the name: the modification time decides
        file("sync_log_manual.txt", ancient);
        file("import_report_copy.txt", fresh);
        // never touched, however old
        for (String n : List.of("notes.txt", "sync_log_2020-01-01_00-00-00.csv", "import_report_2020-01-01_00-00-00.pdf",
                "my_sync_log_2020-01-01_00-00-00.txt", "archive_2020.json", ".env", "sync_cron.log")) {
            file(n, ancient);
        }
        Files.createDirectory(dir.resolve("sync_log_2020-01-01_00-00-00.txt"));
        Path outside = Files.writeString(Files.createTempFile("keep", ".txt"), "outside");
        Files.setLastModifiedTime(outside, FileTime.from(ancient));
        Files.createSymbolicLink(dir.resolve("import_report_2020-01-01_00-00-00.txt"), outside);

        List<String> removed = new ReportRetention(dir, 30, PARIS, Clock.fixed(NOW, ZoneOffset.UTC)).purge();

        assertThat(removed).containsExactlyInAnyOrder("sync_log_2026-02-28_09-00-00.txt",
                "import_report_2026-02-28_09-00-00.txt", "import_report_2026-02-28_09-00-00.json",
                "flagged_report_2026-02-01_08-00-00.txt", "flagged_report_2026-02-01_08-00-00.json",
                "sync_log_manual.txt");
        assertThat(left()).containsExactly(".env", "archive_2020.json", "import_report_2020-01-01_00-00-00.pdf",
                "import_report_2020-01-01_00-00-00.txt", "import_report_2026-03-30_23-59-59.json",
                "import_report_copy.txt", "my_sync_log_2020-01-01_00-00-00.txt", "notes.txt",
                "sync_cron.log", "sync_log_2020-01-01_00-00-00.csv", "sync_log_2020-01-01_00-00-00.txt",
                "sync_log_2026-03-02_09-00-00.txt");
        assertThat(outside).exists();
        Files.delete(outside);
    }

    @Test
    void theLimitIsExactlyTheRetentionInTheReportZone() throws Exception {
        // 30 days before NOW is 2026-03-01T10:00Z = 11:00 in Paris
        file("sync_log_2026-03-01_10-59-59.txt", NOW);
        file("sync_log_2026-03-01_11-00-01.txt", NOW);
        assertThat(new ReportRetention(dir, 30, PARIS, Clock.fixed(NOW, ZoneOffset.UTC)).purge())
                .containsExactly("sync_log_2026-03-01_10-59-59.txt");
        assertThat(left()).containsExactly("sync_log_2026-03-01_11-00-01.txt");
    }

    @Test
    void aMissingFolderIsNotAnError() {
        assertThat(new ReportRetention(dir.resolve("absent"), 30, PARIS, Clock.systemUTC()).purge()).isEmpty();
    }
}

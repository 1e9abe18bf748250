package io.cmsync.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the run files older than the retention from the reports folder: {@code sync_log_*.txt},
 * {@code import_report_*.txt|json} and {@code flagged_report_*.txt|json}, and never anything else (no other name,
 * no folder, no symbolic link, nothing outside the folder). A file's age comes from the date in its name
 * ({@code AAAA-MM-JJ_HH-MM-SS}, in the report time zone), or from its modification time when the name carries none.
 * The daemon's {@code report-retention} route ({@code routes/housekeeping.yaml}) is a file consumer that deletes what
 * {@link #expired} accepts; {@code report purge} calls {@link #purge}.
 */
public final class ReportRetention {
    private static final Logger LOG = LoggerFactory.getLogger(ReportRetention.class);

    /** The names this class may ever delete. */
    static final Pattern RUN_FILE = Pattern.compile(
            "^(?:sync_log_.*\\.txt|import_report_.*\\.(?:txt|json)|flagged_report_.*\\.(?:txt|json))$");
    private static final Pattern STAMP_IN_NAME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss", Locale.ROOT);

    private final Path reportsDir;
    private final int retentionDays;
    private final ZoneId zone;
    private final Clock clock;

    public ReportRetention(Path reportsDir, int retentionDays, ZoneId zone, Clock clock) {
        if (retentionDays < 1) {
            throw new IllegalArgumentException("retentionDays must be at least 1");
        }
        this.reportsDir = Objects.requireNonNull(reportsDir, "reportsDir");
        this.retentionDays = retentionDays;
        this.zone = Objects.requireNonNull(zone, "zone");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Deletes the expired run files; returns their names. A missing folder is not an error. */
    public List<String> purge() {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(reportsDir)) {
            return removed;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(reportsDir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!RUN_FILE.matcher(name).matches() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    if (expired(file) && Files.deleteIfExists(file)) {
                        removed.add(name);
                    }
                } catch (IOException e) {
                    LOG.warn("⚠️ Could not remove old report {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("⚠️ Could not list the reports folder {}: {}", reportsDir, e.getMessage());
        }
        if (!removed.isEmpty()) {
            removed.sort(null);
            LOG.info("ℹ️ Report retention ({} days): removed {} old file(s) from {}: {}", retentionDays,
                    removed.size(), reportsDir, String.join(", ", removed));
        }
        return removed;
    }

    /**
     * True for a run file of the reports folder older than the retention: a regular file (no link, no folder) whose
     * name is a run file's; its age from the date in its name, else from its modification time. The daemon's
     * {@code report-retention} route consumes (deletes) exactly these.
     */
    public boolean expired(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (!RUN_FILE.matcher(name).matches() || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || !reportsDir.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize().getParent())) {
            return false;
        }
        Instant written = timestamp(name).orElse(Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant());
        return written.isBefore(clock.instant().minus(Duration.ofDays(retentionDays)));
    }

    /** The instant written in a run file's name, read in the report time zone. */
    Optional<Instant> timestamp(String name) {
        Optional<LocalDateTime> known = ReportFileNames.timestampOf(name);
        if (known.isEmpty()) {
            Matcher m = STAMP_IN_NAME.matcher(name);
            if (m.find()) {
                try {
                    known = Optional.of(LocalDateTime.parse(m.group(1), STAMP));
                } catch (DateTimeParseException e) {
                    known = Optional.empty();
                }
            }
        }
        return known.map(t -> t.atZone(zone).toInstant());
    }

    public Path reportsDir() {
        return reportsDir;
    }

    public int retentionDays() {
        return retentionDays;
    }
}

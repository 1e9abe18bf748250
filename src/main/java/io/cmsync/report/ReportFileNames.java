package io.cmsync.report;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three files of one run, named as the old tool named them, from the run's start in local time:
 * {@code sync_log_AAAA-MM-JJ_HH-MM-SS.txt}, {@code import_report_AAAA-MM-JJ_HH-MM-SS.txt} and
 * {@code import_report_AAAA-MM-JJ_HH-MM-SS.json}. Bare file names: the caller chooses the directory.
 *
 * @param stamp        the shared {@code AAAA-MM-JJ_HH-MM-SS} part
 * @param syncLog      the run log
 * @param importReport the text report
 * @param json         the JSON report
 */
public record ReportFileNames(String stamp, String syncLog, String importReport, String json) {

    public static final String SYNC_LOG_PREFIX = "sync_log_";
    public static final String IMPORT_REPORT_PREFIX = "import_report_";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss", Locale.ROOT);
    private static final Pattern REPORT_FILE = Pattern.compile(
            "^(?:" + SYNC_LOG_PREFIX + "|" + IMPORT_REPORT_PREFIX + ")(\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2})"
                    + "\\.(?:txt|json)$");

    public ReportFileNames {
        Objects.requireNonNull(stamp, "stamp");
        Objects.requireNonNull(syncLog, "syncLog");
        Objects.requireNonNull(importReport, "importReport");
        Objects.requireNonNull(json, "json");
    }

    /** The names for a run started at {@code startedAt}, with the date and time as seen in {@code zone}. */
    public static ReportFileNames of(Instant startedAt, ZoneId zone) {
        String stamp = STAMP.format(startedAt.atZone(zone));
        return new ReportFileNames(stamp, SYNC_LOG_PREFIX + stamp + ".txt", IMPORT_REPORT_PREFIX + stamp + ".txt",
                IMPORT_REPORT_PREFIX + stamp + ".json");
    }

    /** The three names, log first (the order {@code FICHIERS GÉNÉRÉS:} lists them). */
    public List<String> all() {
        return List.of(syncLog, importReport, json);
    }

    /**
     * The local date-time encoded in a report file name ({@code sync_log_…txt}, {@code import_report_…txt|json}),
     * path allowed; empty for any other name. Useful for retention.
     */
    public static Optional<LocalDateTime> timestampOf(String fileName) {
        if (fileName == null) {
            return Optional.empty();
        }
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        Matcher m = REPORT_FILE.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(m.group(1), STAMP));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

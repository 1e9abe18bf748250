package io.cmsync.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The lines of one run's {@code sync_log_*.txt}: {@code YYYY-MM-DD HH:MM:SS <icon> <message>}, with the old tool's
 * icons (ℹ️ info, ✅ success, ⚠️ warning, ❌ error, ⏭️ skipped). Every line also goes to SLF4J (logger
 * {@value #LOGGER_NAME}; info, success and skip at INFO, warn at WARN, error at ERROR), with the run id in the
 * MDC key {@value #MDC_RUN_ID} when there is one. Thread-safe: lines from several threads are kept whole and in
 * the order they were written; the timestamp comes from the clock (in the clock's zone).
 */
public final class RunLog {

    public static final String LOGGER_NAME = "io.cmsync.sync.run";
    public static final String MDC_RUN_ID = "runId";

    /** The icons, as the old tool wrote them. */
    public enum Level {
        INFO("ℹ️"), SUCCESS("✅"), WARN("⚠️"), ERROR("❌"), SKIP("⏭️");

        private final String icon;

        Level(String icon) {
            this.icon = icon;
        }

        public String icon() {
            return icon;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final Clock clock;
    private final String runId;
    private final ReportLanguage language;
    private final List<String> lines = new ArrayList<>();
    private final int memoryLines;
    /** Once the log outgrows {@link #memoryLines}, its lines go to this temporary file instead of memory. */
    private Path spillFile;
    private BufferedWriter spill;
    private boolean spillFailed;
    private int warnings;
    private int errors;

    /** Lines kept in memory before the log moves to a temporary file (a large run logs a line per contact). */
    public static final int DEFAULT_MEMORY_LINES = 10_000;

    /** A log on the system clock, no run id, French wording. */
    public RunLog() {
        this(Clock.systemDefaultZone(), null, ReportLanguage.DEFAULT);
    }

    /**
     * @param clock    source of the timestamps (its zone gives the local time shown)
     * @param runId    put in the SLF4J MDC while logging (may be null)
     * @param language wording of {@link #timing(String, Duration)}
     */
    public RunLog(Clock clock, String runId, ReportLanguage language) {
        this(clock, runId, language, DEFAULT_MEMORY_LINES);
    }

    /** As {@link #RunLog(Clock, String, ReportLanguage)}; past {@code memoryLines} lines the log is kept in a
     * temporary file (see {@link #writeTo(Writer, UnaryOperator)} and {@link #discard()}). */
    public RunLog(Clock clock, String runId, ReportLanguage language, int memoryLines) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runId = runId;
        this.language = language == null ? ReportLanguage.DEFAULT : language;
        if (memoryLines < 1) {
            throw new IllegalArgumentException("memoryLines must be >= 1: " + memoryLines);
        }
        this.memoryLines = memoryLines;
    }

    public String runId() {
        return runId;
    }

    public void info(String message) {
        append(Level.INFO, message, null);
    }

    public void success(String message) {
        append(Level.SUCCESS, message, null);
    }

    public void warn(String message) {
        append(Level.WARN, message, null);
    }

    public void error(String message) {
        append(Level.ERROR, message, null);
    }

    /** An error with its cause: the cause's message is appended to the line, the stack goes to SLF4J only. */
    public void error(String message, Throwable cause) {
        String text = cause == null || cause.getMessage() == null ? message : message + ": " + cause.getMessage();
        append(Level.ERROR, text, cause);
    }

    /** A contact left alone, e.g. {@code skip("Contact identique ignoré: " + email)}. */
    public void skip(String message) {
        append(Level.SKIP, message, null);
    }

    /** An info line with how long {@code step} took, e.g. {@code ℹ️ Durée - lecture Copper: 1.25 s}. */
    public void timing(String step, Duration duration) {
        append(Level.INFO, text("report.log.timing", step, Durations.format(duration)), null);
    }

    /** One line at {@code level}, worded by the catalogue's {@code key} in the log's language. */
    public void say(Level level, String key, Object... args) {
        append(Objects.requireNonNull(level, "level"), text(key, args), null);
    }

    /** The catalogue's {@code key} in the log's language (for a line built from several texts). */
    public String text(String key, Object... args) {
        return language.messages().get(key, args);
    }

    /** The log's language (a planner reason in words: {@code Reasons.text(log.language().messages(), reason)}). */
    public ReportLanguage language() {
        return language;
    }

    /** {@code instant} as the log's lines show time: the clock's zone, {@code yyyy-MM-dd HH:mm:ss}, no offset. */
    public String time(java.time.Instant instant) {
        return TIME.format(instant.atZone(clock.getZone()));
    }

    /**
     * Control characters from the APIs' data (NUL, ESC…, tab aside) never reach a terminal or a file raw: a name with
     * ESC [ 2 J must not clear the operator's screen. Shown as {@code \\u001b}.
     */
    public static String escapeControls(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** Writes one line at {@code level}. */
    public void log(Level level, String message) {
        append(Objects.requireNonNull(level, "level"), message, null);
    }

    /** The whole log, one line per entry, each ending with a newline ("" when empty). Small logs only: a large
     * run's log is better streamed with {@link #writeTo(Writer, UnaryOperator)}. */
    public String text() {
        StringWriter out = new StringWriter();
        writeTo(out, UnaryOperator.identity());
        return out.toString();
    }

    /** Streams the log to {@code out}, each line passed through {@code eachLine} and ended with a newline. */
    public void writeTo(Writer out, UnaryOperator<String> eachLine) {
        synchronized (lines) {
            try {
                if (spill != null) {
                    spill.flush();
                    try (BufferedReader in = Files.newBufferedReader(spillFile, StandardCharsets.UTF_8)) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            out.write(eachLine.apply(line));
                            out.write('\n');
                        }
                    }
                }
                for (String line : lines) {
                    out.write(eachLine.apply(line));
                    out.write('\n');
                }
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the run's log", e);
            }
        }
    }

    /** A snapshot of the lines written so far. */
    public List<String> lines() {
        synchronized (lines) {
            if (spill == null) {
                return List.copyOf(lines);
            }
        }
        return List.of(text().split("\n"));
    }

    /** Deletes the temporary file of a large log (the lines it held are gone after this). */
    public void discard() {
        synchronized (lines) {
            if (spill != null) {
                try {
                    spill.close();
                    Files.deleteIfExists(spillFile);
                } catch (IOException e) {
                    LOG.warn("Temporary log file {} not deleted: {}", spillFile, e.getMessage());
                }
                spill = null;
                spillFile = null;
            }
        }
    }

    public int warningCount() {
        synchronized (lines) {
            return warnings;
        }
    }

    public int errorCount() {
        synchronized (lines) {
            return errors;
        }
    }

    private void append(Level level, String message, Throwable cause) {
        String text = escapeControls(message == null ? "" : message);
        synchronized (lines) {
            String stamp = TIME.format(LocalDateTime.now(clock));
            String line = stamp + " " + level.icon() + " " + text;
            if (spill != null) {
                write(line);
            } else {
                lines.add(line);
                if (lines.size() >= memoryLines && !spillFailed) {
                    spillToFile();
                }
            }
            if (level == Level.WARN) {
                warnings++;
            } else if (level == Level.ERROR) {
                errors++;
            }
        }
        toSlf4j(level, text, cause);
    }

    private void spillToFile() {
        try {
            spillFile = Files.createTempFile("cmsync-sync-log-", ".txt");
            spill = Files.newBufferedWriter(spillFile, StandardCharsets.UTF_8);
            for (String line : lines) {
                write(line);
            }
            lines.clear();
        } catch (IOException e) {
            LOG.warn("Log kept in memory: no temporary file ({})", e.getMessage());
            spillFailed = true;
            spill = null;
            spillFile = null;
        }
    }

    /** One line to the temporary file; a line never holds a line break of its own there (one entry, one line). */
    private void write(String line) {
        try {
            spill.write(line.replace('\n', ' ').replace('\r', ' '));
            spill.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's log", e);
        }
    }

    private void toSlf4j(Level level, String text, Throwable cause) {
        String previous = runId == null ? null : MDC.get(MDC_RUN_ID);
        if (runId != null) {
            MDC.put(MDC_RUN_ID, runId);
        }
        try {
            // a null cause must not be passed: SLF4J would count it as a third argument
            String line = level.icon() + " " + text;
            switch (level) {
                case WARN -> {
                    if (cause == null) {
                        LOG.warn(line);
                    } else {
                        LOG.warn(line, cause);
                    }
                }
                case ERROR -> {
                    if (cause == null) {
                        LOG.error(line);
                    } else {
                        LOG.error(line, cause);
                    }
                }
                default -> LOG.info(line);
            }
        } finally {
            if (runId != null) {
                if (previous == null) {
                    MDC.remove(MDC_RUN_ID);
                } else {
                    MDC.put(MDC_RUN_ID, previous);
                }
            }
        }
    }
}

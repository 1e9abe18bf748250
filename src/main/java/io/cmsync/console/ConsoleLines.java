package io.cmsync.console;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.i18n.Messages;
import io.cmsync.report.ReportFileNames;
import io.cmsync.run.RunConsole;
import io.cmsync.run.SyncRun;
import io.cmsync.sync.PlanTotals;

/**
 * The console a person reads during a run, in their language (catalogue section {@code console.*}): a start line,
 * one line per stage with counts (and percent where the total is known), the summary with what the exit means, the
 * report paths. A stage's progress is redrawn in place as a bar on a terminal, or printed as plain lines at most every
 * {@code intervalMillis} otherwise. The daemon keeps its console to one summary line per run; the rest of a run's
 * lines go to the technical log only.
 * <p>
 * Lines go through the SLF4J logger {@value #CONSOLE_LOGGER} (console and technical log, see log4j2.xml), the
 * daemon's per-run lines through {@value #FILE_LOGGER} (technical log only); only the terminal bar is written to the
 * terminal directly. One run at a time (the lock), so one instance serves a process; calls are synchronized because
 * a run's writes may be counted on several threads.
 */
public final class ConsoleLines implements RunConsole {
    public static final String CONSOLE_LOGGER = "io.cmsync.console";
    public static final String FILE_LOGGER = "io.cmsync.progress";
    private static final Logger CONSOLE = LoggerFactory.getLogger(CONSOLE_LOGGER);
    private static final Logger FILE_ONLY = LoggerFactory.getLogger(FILE_LOGGER);
    private static final int BAR_WIDTH = 30;
    private static final long BAR_REDRAW_MILLIS = 200;

    private enum Stage { COPPER, MAILCHIMP, WRITE }

    private final Messages messages;
    private final ZoneId zone;
    private final Path reportsDir;
    private final String testMarker;
    private final boolean daemon;
    /** The terminal the bar is drawn on; null: plain lines (output redirected, or the daemon). */
    private final PrintStream terminal;
    private final LongSupplier millis;
    private final long intervalMillis;

    private Stage stage;
    private long done;
    private long total;
    private long lastShown;
    private boolean barShown;
    /** The plan whose line is not shown yet, and whether this run's writes are only simulated. */
    private SyncRun pendingPlan;
    private boolean simulated;

    private final io.cmsync.report.Commands commands;

    /**
     * @param terminal where to draw the progress bar, or null for plain lines
     * @param intervalMillis least time between two plain progress lines of a stage
     */
    public ConsoleLines(Messages messages, ZoneId zone, Path reportsDir, String testMarker, boolean daemon,
                        PrintStream terminal, LongSupplier millis, long intervalMillis) {
        this(messages, zone, reportsDir, testMarker, daemon, terminal, millis, intervalMillis,
                io.cmsync.report.Commands.REAL);
    }

    /** @param commands writes the commands the console recommends (with {@code --sandbox} in the sandbox) */
    public ConsoleLines(Messages messages, ZoneId zone, Path reportsDir, String testMarker, boolean daemon,
                        PrintStream terminal, LongSupplier millis, long intervalMillis,
                        io.cmsync.report.Commands commands) {
        this.commands = commands;
        this.messages = messages;
        this.zone = zone;
        this.reportsDir = reportsDir;
        this.testMarker = testMarker;
        this.daemon = daemon;
        this.terminal = daemon ? null : terminal;
        this.millis = millis;
        this.intervalMillis = intervalMillis;
    }

    /** The console of this process: a bar when stdout is a terminal, plain lines every 5 s otherwise. */
    public static ConsoleLines forProcess(Messages messages, ZoneId zone, Path reportsDir, String testMarker,
                                          boolean daemon, io.cmsync.report.Commands commands) {
        return new ConsoleLines(messages, zone, reportsDir, testMarker, daemon,
                System.console() != null ? System.out : null, System::currentTimeMillis, 5_000, commands);
    }

    /** A line for the person (console and technical log). */
    public synchronized void say(String key, Object... args) {
        line(true, messages.get(key, args));
    }

    /** A line already in the person's words (console and technical log). */
    public synchronized void line(String text) {
        line(true, text);
    }

    /** A text of the console's language. */
    public String text(String key, Object... args) {
        return messages.get(key, args);
    }

    @Override
    public synchronized void started(SyncRun run) {
        stage = null;
        pendingPlan = null;
        simulated = run.dryRun();
        StringBuilder line = new StringBuilder(messages.get("console.start",
                DateTimeFormatter.ofPattern(messages.get("console.date-pattern")).format(run.startedAt().atZone(zone)),
                run.productionMode() ? "PRODUCTION" : "TEST"));
        line.append(run.productionMode() ? messages.get("console.start.all-contacts")
                : messages.get("console.start.test-contacts", testMarker(run)));
        line.append(messages.get(run.fullSync() ? "console.start.full" : "console.start.incremental"));
        if (run.dryRun()) {
            line.append(messages.get("console.start.dry-run"));
        }
        line(!daemon, line.toString());
    }

    @Override
    public synchronized void copperRead(long read, long upperBound) {
        progress(Stage.COPPER, read, upperBound);
    }

    @Override
    public synchronized void mailchimpRead(long read, long total) {
        progress(Stage.MAILCHIMP, read, total);
    }

    @Override
    public synchronized void planned(SyncRun run) {
        endStage();
        // the safety brake judges the plan after this: its line waits for the first write or the end of the run
        pendingPlan = run;
    }

    private void planLine() {
        SyncRun run = pendingPlan;
        if (run == null) {
            return;
        }
        pendingPlan = null;
        simulated = run.dryRun();
        PlanTotals plan = run.planTotals();
        int writes = plan.stats().writes();
        if (writes == 0) {
            line(!daemon, messages.get("console.plan.nothing"));
            return;
        }
        // a dry run's plan says what would be written; a braked one states the plan, its summary says it stopped
        boolean dryRunOnly = run.dryRun() && run.brakeReason() == null;
        line(!daemon, messages.get(dryRunOnly ? "console.plan.dry-run" : "console.plan", writes,
                plan.mailchimpCreates(), plan.mailchimpUpdates(), plan.copperCreates(), plan.copperUpdates(),
                plan.stats().identical()));
    }

    @Override
    public synchronized void written(long done, long planned) {
        planLine();
        progress(Stage.WRITE, done, planned);
    }

    @Override
    public synchronized void ended(SyncRun run) {
        endStage();
        planLine();
        String summary = summary(run);
        if (daemon) {
            // one line per run: when, what happened, where to read more
            String report = run.reportsLost() == null
                    ? messages.get("console.daemon.report", importReport(run)) : "";
            String time = DateTimeFormatter.ofPattern("HH:mm").format(Instant.now().atZone(zone));
            // several pairs: which pair this run was, or the lines of two audiences read alike
            line(true, declaredPair(run) == null ? messages.get("console.daemon.run", time, summary + report)
                    : messages.get("console.daemon.run-pair", time, declaredPair(run), summary + report));
            return;
        }
        // what the exit code means is in the summary; its number, for scripts' readers, when it is not 0
        line(true, run.exitCode() == SyncRun.SUCCESS ? summary
                : summary + messages.get("console.exit-code", run.exitCode()));
        if (run.reportsLost() != null) {
            line(true, messages.get("console.reports-lost", reportsDir(run), run.reportsLost()));
        } else {
            line(true, messages.get("console.report", importReport(run)));
            line(true, messages.get("console.sync-log",
                    reportsDir(run).resolve(ReportFileNames.of(run.startedAt(), zone).syncLog())));
        }
    }

    /**
     * Listens to the API calls' retries: an outage (no answer, 5xx) is one line per retry, « Mailchimp ne répond pas
     * (503), nouvel essai dans 4 s (2/4) »; throttling (429) is the normal pace of a large run and says nothing.
     */
    public io.cmsync.http.CallListener retries() {
        return new io.cmsync.http.CallListener() {
            @Override
            public void answered(String side, String endpoint, int status) {
            }

            @Override
            public void noAnswer(String side, String endpoint) {
            }

            @Override
            public void retrying(String side, String endpoint, int status, int next, int max, long waitMillis) {
                if (status != 0 && status < 500) {
                    return;
                }
                double seconds = Math.round(waitMillis / 100.0) / 10.0;
                synchronized (ConsoleLines.this) {
                    line(!daemon, status == 0 ? messages.get("console.retry.no-answer", side, seconds, next, max)
                            : messages.get("console.retry", side, status, seconds, next, max));
                }
            }
        };
    }

    @Override
    public synchronized void lockHeld(String lockFile) {
        line(true, messages.get("console.lock-held", lockFile));
    }

    private Path importReport(SyncRun run) {
        return reportsDir(run).resolve(ReportFileNames.of(run.startedAt(), zone).importReport());
    }

    /**
     * The run's own pair speaks in its lines: its reports folder, its TEST marker (one console serves every pair of
     * the process); a run built without a pair (tests) uses the console's.
     */
    private Path reportsDir(SyncRun run) {
        return run.pair() == null ? reportsDir : run.pair().settings().reportsDir();
    }

    private String testMarker(SyncRun run) {
        return run.pair() == null ? testMarker : run.pair().settings().testMarker();
    }

    /** The name of the run's declared pair, null for today's single pair (its lines stay as they were). */
    private static String declaredPair(SyncRun run) {
        return run.pair() == null || run.pair().implicit() ? null : run.pair().name();
    }

    /** What the run did and what its exit code means, in one line. */
    private String summary(SyncRun run) {
        Instant end = run.finishedAt() == null ? Instant.now() : run.finishedAt();
        double seconds = Math.max(0, Duration.between(run.startedAt(), end).toMillis()) / 1000.0;
        long operations = run.operationCount();
        long errors = run.errorCount();
        if (run.fatalError() != null) {
            return messages.get("console.summary.failed", run.fatalError());
        }
        if (run.brakeReason() != null) {
            return messages.get("console.summary.braked", run.brakeReason(), commands.confirmPlan());
        }
        if (run.dryRun()) {
            return messages.get("console.summary.dry-run", seconds, operations);
        }
        // a write Mailchimp refused for good (address forgotten) is no operation and no error: say it, or the
        // writing line's "15 of 16" reads as a write lost
        int refused = run.refusedByMailchimp().size();
        String refusedNote = refused == 0 ? "" : messages.get("console.summary.refused", refused);
        if (errors > 0) {
            return messages.get("console.summary.errors", seconds, operations, errors) + refusedNote;
        }
        if (run.reportsLost() != null) {
            return messages.get("console.summary.reports-lost", seconds, operations);
        }
        return messages.get("console.summary.ok", seconds, operations) + refusedNote;
    }

    private void progress(Stage next, long count, long of) {
        long now = millis.getAsLong();
        if (next != stage) {
            endStage();
            stage = next;
            lastShown = now;
        }
        done = count;
        total = of;
        if (daemon) {
            return;
        }
        if (terminal != null) {
            if (now - lastShown >= BAR_REDRAW_MILLIS || !barShown) {
                lastShown = now;
                barShown = true;
                terminal.print("\r" + bar() + "\u001b[K");
                terminal.flush();
            }
        } else if (now - lastShown >= intervalMillis) {
            // a long stage: a plain line every few seconds, so that cron's log and pipes see it move
            lastShown = now;
            line(true, stageLine(false));
        }
    }

    /** The stage's last count, as one line (the bar, if any, is replaced by it). */
    private void endStage() {
        if (stage == null) {
            return;
        }
        clearBar();
        line(!daemon, stageLine(true));
        stage = null;
    }

    /** The catalogue key's suffix of the current stage: writes of a dry run are simulated ones. */
    private String stageKey() {
        return stage.name().toLowerCase(java.util.Locale.ROOT) + (stage == Stage.WRITE && simulated ? ".dry-run" : "");
    }

    private String stageLine(boolean last) {
        String name = messages.get("console.stage." + stageKey());
        // Copper's total is an upper bound: a percent only while reading, never a "100 %" that was not
        boolean knownTotal = total > 0 && (stage != Stage.COPPER || !last) && done <= total;
        String counted = messages.get("console.count." + stageKey(), done);
        if (!knownTotal) {
            return messages.get("console.stage", name, counted);
        }
        return messages.get("console.stage.of", name, counted, total, percent());
    }

    private long percent() {
        return total <= 0 ? 0 : Math.min(100, done * 100 / total);
    }

    private String bar() {
        String name = messages.get("console.stage." + stageKey());
        if (total <= 0 || done > total) {
            return name + " … " + done;
        }
        int filled = (int) (BAR_WIDTH * Math.min(done, total) / total);
        return name + " [" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + percent() + " % ("
                + done + "/" + total + ")";
    }

    private void clearBar() {
        if (barShown && terminal != null) {
            terminal.print("\r\u001b[K");
            terminal.flush();
        }
        barShown = false;
    }

    private void line(boolean onConsole, String text) {
        clearBar();
        (onConsole ? CONSOLE : FILE_ONLY).info(text);
    }
}

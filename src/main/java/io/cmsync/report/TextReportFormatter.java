package io.cmsync.report;

import io.cmsync.report.ReportMessages.Key;
import io.cmsync.sync.Conflict;
import io.cmsync.sync.Direction;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Renders a {@link RunReport} as the {@code import_report_*.txt} file, in the old tool's layout:
 * <pre>
 * ================================================================================
 * RAPPORT D'IMPORTATION COPPER ↔ MAILCHIMP
 * ================================================================================
 * Date: 2025-07-07 14:23:07
 * Mode: TEST
 * Total d'opérations: 2
 *
 * ✅ Succès: 2
 * ❌ Erreurs: 0
 * 📊 Taux de réussite: 100.0%
 *
 * STATISTIQUES DÉTAILLÉES:
 * --------------------------------------------------
 *   Copper → Mailchimp: 0
 *   ...
 *
 * DÉTAILS DES OPÉRATIONS:
 * --------------------------------------------------
 *   1. ✅ SUCCÈS | test3@exemple.fr
 *      Direction: Mailchimp → Copper
 *      Nom: Test3 TEST3
 *
 * </pre>
 * then, each only when non-empty, the flagged, forgotten, resubscribed, conflicts, not-synced and excluded
 * sections, then {@code ACTIONS RECOMMANDÉES:} and {@code FICHIERS GÉNÉRÉS:}. Sections are separated by one
 * blank line; lines end with {@code \n}. All wording comes from {@link ReportMessages}.
 */
public final class TextReportFormatter {

    /** The tag put on Copper people whose address Mailchimp has forgotten. */
    public static final String RESUBSCRIBE_TAG = "Réinscription requise";
    /** The command that lists contacts flagged for deletion. */
    public static final String FLAGGED_LIST_COMMAND = Commands.REAL.flaggedList();
    /** How many entries an optional section lists before pointing to the JSON report (operations: all). */
    public static final int DEFAULT_MAX_LISTED = 1000;

    static final String HEAVY_RULE = "=".repeat(80);
    static final String LIGHT_RULE = "-".repeat(50);
    private static final String ITEM_INDENT = "  ";
    private static final String DETAIL_INDENT = "     ";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private TextReportFormatter() {
    }

    /** The report in {@code language}, dates shown in {@code zone}, optional sections capped at
     * {@link #DEFAULT_MAX_LISTED} entries. */
    public static String format(RunReport report, ReportLanguage language, ZoneId zone) {
        return format(report, language, zone, DEFAULT_MAX_LISTED);
    }

    /** As {@link #format(RunReport, ReportLanguage, ZoneId)}, listing at most {@code maxListed} entries in each
     * optional section (the operations are always all listed). */
    public static String format(RunReport report, ReportLanguage language, ZoneId zone, int maxListed) {
        return format(report, language, zone, maxListed, Commands.REAL);
    }

    /** As {@link #format(RunReport, ReportLanguage, ZoneId, int)}, the recommended commands written by {@code commands}
     * (a sandbox run's carry {@code --sandbox}). */
    public static String format(RunReport report, ReportLanguage language, ZoneId zone, int maxListed,
                                Commands commands) {
        if (maxListed < 1) {
            throw new IllegalArgumentException("maxListed must be >= 1: " + maxListed);
        }
        return new Writer(report, language == null ? ReportLanguage.DEFAULT : language, zone, maxListed, commands)
                .write();
    }

    /** Success rate as the report shows it: one decimal, dot separator ({@code 66.7}). */
    public static String formatRate(double rate) {
        return String.format(Locale.ROOT, "%.1f", rate);
    }

    private static final class Writer {
        private final RunReport report;
        private final ReportLanguage lang;
        private final ZoneId zone;
        private final int maxListed;
        private final Commands commands;
        private final StringBuilder out = new StringBuilder(4096);

        Writer(RunReport report, ReportLanguage lang, ZoneId zone, int maxListed, Commands commands) {
            this.report = report;
            this.commands = commands;
            this.lang = lang;
            this.zone = zone == null ? ZoneId.systemDefault() : zone;
            this.maxListed = maxListed;
        }

        String write() {
            header();
            statistics();
            operations();
            section(Key.FLAGGED_HEADING, report.flagged(), report.flaggedCount(), this::flagged);
            section(Key.FORGOTTEN_HEADING, report.forgotten(), report.forgottenCount(), this::forgotten);
            section(Key.RESUBSCRIBED_HEADING, report.resubscribed(), report.resubscribedCount(), this::resubscribed);
            section(Key.CONFLICTS_HEADING, report.conflicts(), report.conflictCount(), this::conflict);
            section(Key.NOT_SYNCED_HEADING, report.notSynced(), report.notSyncedCount(),
                    (n, e) -> sideAndReason(n, e.email(), e.side(), e.reason()));
            section(Key.EXCLUDED_HEADING, report.excluded(), report.excludedCount(),
                    (n, e) -> sideAndReason(n, e.email(), e.side(), e.reason()));
            actions();
            files();
            return out.toString();
        }

        // ---- sections

        private void header() {
            line(HEAVY_RULE);
            line(msg(Key.TITLE));
            line(HEAVY_RULE);
            line(msg(Key.DATE, DATE.format(report.startedAt().atZone(zone))));
            String mode = msg(report.testMode() ? Key.MODE_TEST : Key.MODE_PRODUCTION);
            if (report.dryRun()) {
                mode += msg(Key.DRY_RUN_SUFFIX);
            }
            line(msg(Key.MODE, mode));
            line(msg(Key.TOTAL, report.totalOperations()));
            line("");
            if (report.dryRun()) {
                // a dry run or a braked plan wrote nothing: no success to count, no rate
                line(msg(Key.PLANNED_COUNT, report.totalOperations()));
            } else {
                line(msg(Key.SUCCESS_COUNT, report.successCount()));
                line(msg(Key.ERROR_COUNT, report.errorCount()));
                line(report.aborted() ? msg(Key.RATE_NOT_CALCULATED)
                        : msg(Key.SUCCESS_RATE, formatRate(report.successRate())));
            }
            line("");
            if (report.aborted()) {
                line(msg(Key.ABORTED, oneLine(report.abortedReason())));
                line("");
            }
        }

        private void statistics() {
            heading(Key.STATS_HEADING);
            direction(Direction.COPPER_TO_MAILCHIMP);
            direction(Direction.MAILCHIMP_TO_COPPER);
            item(msg(Key.STAT_IDENTICAL, report.identicalSkipped()));
            item(msg(Key.STAT_EXCLUDED, report.excludedCount()));
            item(msg(Key.STAT_FLAGGED, report.flaggedCount()));
            item(msg(Key.STAT_NOT_SYNCED, report.notSyncedCount()));
            item(msg(Key.STAT_FORGOTTEN, report.forgottenCount(), report.newlyForgottenCount()));
            item(msg(Key.STAT_RESUBSCRIBED, report.resubscribedCount()));
            item(msg(Key.STAT_CONFLICTS, report.conflictCount()));
            report.duration().ifPresent(d -> item(msg(Key.STAT_DURATION, Durations.format(d))));
            if (!blank(report.runId())) {
                item(msg(Key.STAT_RUN_ID, report.runId()));
            }
            line("");
        }

        private void direction(Direction direction) {
            String text = msg(Key.STAT_DIRECTION, direction.label(), report.successCount(direction));
            int errors = report.errorCount(direction);
            item(errors == 0 ? text : text + msg(Key.STAT_DIRECTION_ERRORS, errors));
        }

        private void operations() {
            if (report.nothingToSync()) {
                line(msg(Key.NOTHING_TO_SYNC));
                line("");
                return;
            }
            heading(Key.OPS_HEADING);
            int n = 0;
            for (OperationOutcome op : report.operations()) {
                n++;
                numbered(n, msg(op.success() ? Key.OP_SUCCESS : Key.OP_ERROR) + " | " + email(op.email()));
                detail(msg(Key.DIRECTION, op.direction().label()));
                detail(msg(Key.NAME, name(op.name())));
                if (!op.tagsSynced().isEmpty()) {
                    detail(msg(Key.TAGS_SYNCED, String.join(", ", op.tagsSynced())));
                }
                if (!op.success()) {
                    detail(msg(Key.ERROR, blank(op.error()) ? msg(Key.UNKNOWN_ERROR) : oneLine(op.error())));
                }
                if (!blank(op.resubscribeLink())) {
                    detail(msg(Key.RESUBSCRIBE_LINK, op.resubscribeLink()));
                }
                line("");
            }
            if (report.unlistedOperations() > 0) {
                item(msg(Key.OPS_UNLISTED, report.unlistedOperations(), logFileName()));
                line("");
            }
        }

        private void flagged(int n, FlaggedEntry e) {
            numbered(n, email(e.email()));
            detail(msg(Key.NAME, name(e.name())));
            detail(msg(Key.DETECTED_TAG, e.matchedTag()));
        }

        private void forgotten(int n, ForgottenEntry e) {
            numbered(n, email(e.email()));
            detail(msg(Key.NAME, name(e.name())));
            detail(msg(Key.RESUBSCRIBE_LINK,
                    blank(e.resubscribeLink()) ? msg(Key.NO_RESUBSCRIBE_LINK) : e.resubscribeLink()));
            detail(msg(Key.COPPER_TAG, RESUBSCRIBE_TAG));
            detail(msg(e.newlyDetected() ? Key.FORGOTTEN_NEW : Key.FORGOTTEN_KNOWN));
        }

        private void resubscribed(int n, ResubscribedEntry e) {
            numbered(n, email(e.email()));
            detail(msg(Key.RESUBSCRIBED_DETAIL, RESUBSCRIBE_TAG));
        }

        private void conflict(int n, Conflict c) {
            numbered(n, email(c.email()));
            detail(msg(Key.FIELD, field(c.field())));
            detail(msg(Key.COPPER_VALUE, value(c.copperValue())));
            detail(msg(Key.MAILCHIMP_VALUE, value(c.mailchimpValue())));
            detail(msg(Key.KEPT, side(c.winner())));
        }

        private void sideAndReason(int n, String email, String side, String reason) {
            numbered(n, email(email));
            detail(msg(Key.SIDE, side(side)));
            detail(msg(Key.REASON, oneLine(reason)));
        }

        private void actions() {
            heading(Key.ACTIONS_HEADING);
            for (RecommendedAction action : report.recommendedActions()) {
                item("- " + action(action));
            }
            line("");
        }

        private String action(RecommendedAction action) {
            return switch (action) {
                case FIX_ABORT_CAUSE -> msg(Key.ACTION_FIX_ABORT_CAUSE);
                case CHECK_ERRORS -> msg(Key.ACTION_CHECK_ERRORS, logFileName(), report.errorCount());
                case FIX_NOT_SYNCED -> msg(Key.ACTION_FIX_NOT_SYNCED, report.notSyncedCount());
                case SEND_RESUBSCRIBE_LINKS ->
                        msg(Key.ACTION_SEND_RESUBSCRIBE_LINKS, report.forgottenCount(), RESUBSCRIBE_TAG);
                case REVIEW_FLAGGED -> msg(Key.ACTION_REVIEW_FLAGGED, report.flaggedCount(), commands.flaggedList());
                case REVIEW_CONFLICTS -> msg(Key.ACTION_REVIEW_CONFLICTS, report.conflictCount());
                case APPLY_DRY_RUN -> msg(Key.ACTION_APPLY_DRY_RUN, report.totalOperations());
                case NONE -> msg(Key.ACTION_NONE);
            };
        }

        private String logFileName() {
            return report.generatedFiles().stream()
                    .filter(f -> fileName(f).startsWith(ReportFileNames.SYNC_LOG_PREFIX))
                    .findFirst()
                    .orElse(ReportFileNames.SYNC_LOG_PREFIX + "*.txt");
        }

        private void files() {
            if (report.generatedFiles().isEmpty()) {
                return;
            }
            heading(Key.FILES_HEADING);
            report.generatedFiles().forEach(f -> item("- " + f));
        }

        // ---- helpers

        /** {@code total}: every entry of the run, {@code entries} the ones kept (a large run keeps the first). */
        private <T> void section(Key heading, List<T> entries, int total, BiConsumer<Integer, T> renderer) {
            if (total == 0 && entries.isEmpty()) {
                return;
            }
            heading(heading);
            int shown = Math.min(entries.size(), maxListed);
            for (int i = 0; i < shown; i++) {
                renderer.accept(i + 1, entries.get(i));
                line("");
            }
            if (entries.size() > shown) {
                item(msg(Key.MORE_ENTRIES, entries.size() - shown));
                line("");
            }
            if (total > entries.size()) {
                item(msg(Key.MORE_UNLISTED, total - entries.size()));
                line("");
            }
        }

        private void heading(Key key) {
            line(msg(key));
            line(LIGHT_RULE);
        }

        private void numbered(int n, String text) {
            line(ITEM_INDENT + n + ". " + text);
        }

        private void item(String text) {
            line(ITEM_INDENT + text);
        }

        private void detail(String text) {
            line(DETAIL_INDENT + text);
        }

        private void line(String text) {
            out.append(text).append('\n');
        }

        private String msg(Key key, Object... args) {
            return args.length == 0 ? lang.text(key) : ReportMessages.format(lang, key, args);
        }

        private String email(String email) {
            return blank(email) ? msg(Key.NO_EMAIL) : email;
        }

        private String name(String name) {
            return blank(name) ? msg(Key.NO_NAME) : name;
        }

        private String value(String value) {
            return blank(value) ? msg(Key.EMPTY_VALUE) : oneLine(value);
        }

        private String field(String field) {
            if (field == null) {
                return msg(Key.EMPTY_VALUE);
            }
            String normalised = field.replace("_", "").replace(" ", "").toLowerCase(Locale.ROOT);
            return switch (normalised) {
                case "firstname", "fname", "prenom", "prénom" -> msg(Key.FIELD_FIRST_NAME);
                case "lastname", "lname", "nom" -> msg(Key.FIELD_LAST_NAME);
                case "tags" -> msg(Key.FIELD_TAGS);
                case "email", "e-mail" -> msg(Key.FIELD_EMAIL);
                default -> field;
            };
        }

        private static String side(String side) {
            if (side == null) {
                return "";
            }
            if (side.equalsIgnoreCase("copper")) {
                return "Copper";
            }
            if (side.equalsIgnoreCase("mailchimp")) {
                return "Mailchimp";
            }
            return side;
        }

        private static String oneLine(String text) {
            return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
        }

        private static String fileName(String path) {
            int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
            return path.substring(slash + 1);
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }
}

package io.cmsync.report;

import io.cmsync.i18n.Messages;
import io.cmsync.sync.Conflict;
import io.cmsync.sync.Direction;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * A plan the safety brake stopped comes first, right under the header, with the command that executes it. Then,
 * each only when non-empty, the flagged, forgotten, resubscribed, conflicts, not-synced (with the system to fix each
 * one in and its id; people sharing an e-mail listed once, with every id), archived and excluded sections, then {@code ACTIONS RECOMMANDÉES:} and {@code FICHIERS GÉNÉRÉS:}. Sections are separated by one
 * blank line; lines end with {@code \n}. All wording comes from the catalogue ({@code report.*} in {@code i18n/messages*.properties}).
 */
public final class TextReportFormatter {

    /** The tag put on Copper people whose address Mailchimp has forgotten. */
    public static final String RESUBSCRIBE_TAG = "Réinscription requise";
    /** The tag that makes a Copper person inactive (the product's default; the archived members' advice names it). */
    public static final String INACTIVE_TAG = "📥 INACTIF";
    /** How many entries an optional section lists before pointing to the JSON report (operations: all). */
    public static final int DEFAULT_MAX_LISTED = 1000;

    static final String HEAVY_RULE = "=".repeat(80);
    static final String LIGHT_RULE = "-".repeat(50);
    private static final String ITEM_INDENT = "  ";
    private static final String DETAIL_INDENT = "     ";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    /** Where a Mailchimp member is found when no link to it can be built (the reference documents none by e-mail). */
    private static final String MAILCHIMP_PLACE = "Mailchimp";
    private static final String COPPER_PLACE = "Copper";

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
        return format(report, language, zone, maxListed, ReportContext.NONE);
    }

    /** As {@link #format(RunReport, ReportLanguage, ZoneId, int)}, with what the run adds (brake, resumed plan). */
    public static String format(RunReport report, ReportLanguage language, ZoneId zone, int maxListed,
                                ReportContext context) {
        if (maxListed < 1) {
            throw new IllegalArgumentException("maxListed must be >= 1: " + maxListed);
        }
        return new Writer(report, language == null ? ReportLanguage.DEFAULT : language, zone, maxListed,
                context == null ? ReportContext.NONE : context).write();
    }

    /** Success rate as the report shows it: one decimal, dot separator ({@code 66.7}). */
    public static String formatRate(double rate) {
        return String.format(Locale.ROOT, "%.1f", rate);
    }

    private static final class Writer {
        private final RunReport report;
        private final Messages messages;
        private final ZoneId zone;
        private final int maxListed;
        private final ReportContext context;
        private final List<ExcludedEntry> archived = new ArrayList<>();
        private final List<ExcludedEntry> excluded = new ArrayList<>();
        private final StringBuilder out = new StringBuilder(4096);

        Writer(RunReport report, ReportLanguage lang, ZoneId zone, int maxListed, ReportContext context) {
            this.report = report;
            this.messages = lang.messages();
            this.zone = zone == null ? ZoneId.systemDefault() : zone;
            this.maxListed = maxListed;
            this.context = context;
            for (ExcludedEntry e : report.excluded()) {
                (Reasons.archivedActive(e.reason()) ? archived : excluded).add(e);
            }
        }

        /** A plan that wrote nothing: a dry run, or a plan the brake stopped. */
        private boolean planned() {
            return report.dryRun() || context.blocked();
        }

        String write() {
            header();
            blocked();
            if (context.resumed() != null) {
                line(msg("report.resumed", context.resumed()));
                line("");
            }
            statistics();
            operations();
            section("report.flagged-heading", report.flagged(), report.flaggedCount(), this::flagged);
            section("report.forgotten-heading", report.forgotten(), report.forgottenCount(), this::forgotten);
            section("report.resubscribed-heading", report.resubscribed(), report.resubscribedCount(),
                    this::resubscribed);
            section("report.conflicts-heading", report.conflicts(), report.conflictCount(), this::conflict);
            section("report.refused-heading", report.refused(), (int) report.refusedTotal(), this::refused);
            List<List<NotSyncedEntry>> groups = notSyncedGroups();
            section("report.not-synced-heading", groups,
                    groups.size() + report.notSyncedCount() - report.notSynced().size(), this::notSynced);
            section("report.archived-heading", archived, archived.size(), this::archived);
            section("report.excluded-heading", excluded, report.excludedCount() - archived.size(),
                    (n, e) -> sideAndReason(n, e.email(), e.side(), e.reason()));
            actions();
            files();
            return out.toString();
        }

        // ---- sections

        private void header() {
            line(HEAVY_RULE);
            line(msg("report.title"));
            line(HEAVY_RULE);
            line(msg("report.date", DATE.format(report.startedAt().atZone(zone))));
            String mode = msg(report.testMode() ? "report.mode-test" : "report.mode-production");
            if (context.blocked()) {
                mode = msg("report.mode-blocked", mode);
            } else if (report.dryRun()) {
                mode = msg("report.mode-dry-run", mode);
            }
            line(msg("report.mode", mode));
            line(msg(planned() ? "report.total-planned" : "report.total", report.totalOperations()));
            line("");
            if (planned()) {
                // nothing was written: no success to count, no rate
                line(msg("report.planned-count", report.totalOperations()));
            } else if (report.aborted()) {
                // a run that stopped is no success, whatever it wrote before: no ✅, no rate
                line(msg("report.success-count-aborted", report.successCount()));
                line(msg("report.error-count", report.errorCount()));
                line(msg("report.rate-not-calculated"));
            } else {
                line(msg("report.success-count", report.successCount()));
                line(msg("report.error-count", report.errorCount()));
                line(msg("report.success-rate", formatRate(report.successRate())));
            }
            line("");
            if (report.aborted()) {
                line(msg("report.aborted", oneLine(report.abortedReason())));
                line("");
            }
        }

        /** A plan the brake stopped: first, since nothing else happens until someone decides. */
        private void blocked() {
            if (!context.blocked()) {
                return;
            }
            heading("report.blocked-heading");
            item(msg("report.blocked-reason", oneLine(context.brakeReason())));
            item(msg("report.blocked-nothing-written"));
            item(msg("report.blocked-run", context.commands().confirmPlan()));
            item(msg("report.blocked-or-setting", context.propertiesFile()));
            line("");
        }

        private void statistics() {
            heading("report.stats-heading");
            direction(Direction.COPPER_TO_MAILCHIMP);
            direction(Direction.MAILCHIMP_TO_COPPER);
            item(msg("report.stat-identical", report.identicalSkipped()));
            item(msg("report.stat-excluded", report.excludedCount() - archived.size()));
            if (!archived.isEmpty()) {
                item(msg("report.stat-archived", archived.size()));
            }
            item(msg("report.stat-flagged", report.flaggedCount()));
            item(msg("report.stat-not-synced", report.notSyncedCount()));
            item(msg("report.stat-forgotten", report.forgottenCount(), report.newlyForgottenCount()));
            item(msg("report.stat-resubscribed", report.resubscribedCount()));
            item(msg("report.stat-conflicts", report.conflictCount()));
            report.duration().ifPresent(d -> item(msg("report.stat-duration", Durations.format(d))));
            if (!blank(report.runId())) {
                item(msg("report.stat-run-id", report.runId()));
            }
            line("");
        }

        private void direction(Direction direction) {
            if (planned()) {
                item(msg("report.stat-direction-planned", direction.label(),
                        report.successCount(direction) + report.errorCount(direction)));
                return;
            }
            String text = msg("report.stat-direction", direction.label(), report.successCount(direction));
            int errors = report.errorCount(direction);
            item(errors == 0 ? text : text + msg("report.stat-direction-errors", errors));
        }

        private void operations() {
            if (report.nothingToSync()) {
                line(msg("report.nothing-to-sync"));
                line("");
                return;
            }
            if (report.totalOperations() == 0) {
                return;
            }
            heading(planned() ? "report.ops-heading-planned" : "report.ops-heading");
            int n = 0;
            for (OperationOutcome op : report.operations()) {
                n++;
                String status = planned() ? "report.op-planned" : op.success() ? "report.op-success" : "report.op-error";
                numbered(n, msg(status) + " | " + email(op.email()));
                detail(msg("report.direction", op.direction().label()));
                detail(msg("report.name", name(op.name())));
                if (!op.fieldsSynced().isEmpty()) {
                    detail(msg(planned() ? "report.fields-planned" : "report.fields-synced",
                            String.join(", ", op.fieldsSynced())));
                }
                if (!op.tagsSynced().isEmpty()) {
                    detail(msg(planned() ? "report.tags-planned" : "report.tags-synced",
                            String.join(", ", op.tagsSynced())));
                }
                if (!op.success() && !planned()) {
                    detail(msg("report.error", target(op.direction()),
                            blank(op.error()) ? msg("report.unknown-error") : oneLine(op.error())));
                }
                if (!blank(op.resubscribeLink())) {
                    detail(msg("report.resubscribe-link", op.resubscribeLink()));
                }
                line("");
            }
            if (report.unlistedOperations() > 0) {
                item(msg("report.ops-unlisted", report.unlistedOperations(), logFileName()));
                line("");
            }
        }

        private void flagged(int n, FlaggedEntry e) {
            numbered(n, email(e.email()));
            detail(msg("report.name", name(e.name())));
            detail(msg("report.detected-tag", e.matchedTag()));
        }

        private void forgotten(int n, ForgottenEntry e) {
            numbered(n, email(e.email()));
            detail(msg("report.name", name(e.name())));
            detail(msg("report.resubscribe-link",
                    blank(e.resubscribeLink()) ? msg("report.no-resubscribe-link") : e.resubscribeLink()));
            detail(msg("report.copper-tag", RESUBSCRIBE_TAG));
            detail(msg(e.newlyDetected() ? "report.forgotten-new" : "report.forgotten-known"));
        }

        private void resubscribed(int n, ResubscribedEntry e) {
            numbered(n, email(e.email()));
            detail(msg("report.resubscribed-detail", RESUBSCRIBE_TAG));
        }

        private void conflict(int n, Conflict c) {
            numbered(n, email(c.email()));
            detail(msg("report.field", field(c.field())));
            detail(msg("report.copper-value", value(c.copperValue())));
            detail(msg("report.mailchimp-value", value(c.mailchimpValue())));
            detail(msg("report.kept", side(c.winner())));
        }

        /**
         * The not-synced entries, those of one e-mail, side and reason together: two Copper people sharing an address
         * are one item naming both ids, so the reader knows which records to merge.
         */
        private List<List<NotSyncedEntry>> notSyncedGroups() {
            Map<List<String>, List<NotSyncedEntry>> groups = new LinkedHashMap<>();
            int single = 0;
            for (NotSyncedEntry e : report.notSynced()) {
                // entries without an e-mail are never the same record: each keeps its line
                List<String> key = e.email().isEmpty() ? List.of("#" + single++)
                        : List.of(e.email(), side(e.side()), e.reason());
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
            return new ArrayList<>(groups.values());
        }

        private void notSynced(int n, List<NotSyncedEntry> group) {
            NotSyncedEntry first = group.get(0);
            numbered(n, email(first.email()));
            boolean copper = isCopper(first.side());
            detail(msg("report.fix-in", copper ? COPPER_PLACE : MAILCHIMP_PLACE));
            List<String> ids = group.stream().map(NotSyncedEntry::id).filter(id -> id != null).toList();
            if (copper) {
                detail(ids.isEmpty() ? msg("report.copper-no-id")
                        : msg(ids.size() > 1 ? "report.copper-people" : "report.copper-person", String.join(", ", ids)));
            } else {
                detail(ids.isEmpty() ? msg("report.mailchimp-member-no-id", email(first.email()))
                        : msg("report.mailchimp-member", email(first.email()), String.join(", ", ids)));
            }
            // the reference documents no link to a Copper person, and a Mailchimp member's needs its web_id
            detail(msg("report.no-link", copper ? COPPER_PLACE : MAILCHIMP_PLACE));
            detail(msg("report.reason", Reasons.text(messages, first.reason())));
        }

        /** A refused value: which contact, which field, the value, why, and where to fix it. */
        private void refused(int n, RefusedValueEntry e) {
            numbered(n, email(e.email()));
            boolean refusedByCopper = isCopper(e.side());
            detail(msg("report.refused-field", e.field(), e.value(), refusedByCopper ? COPPER_PLACE : MAILCHIMP_PLACE));
            detail(msg("report.reason", FieldRefusals.text(messages, e.reason())));
            // the value comes from the other side: that is where it can be corrected
            boolean fixInCopper = !refusedByCopper;
            detail(msg("report.fix-in", fixInCopper ? COPPER_PLACE : MAILCHIMP_PLACE));
            if (e.id() != null) {
                detail(fixInCopper ? msg("report.copper-person", e.id())
                        : msg("report.mailchimp-member", email(e.email()), e.id()));
            }
        }

        private void archived(int n, ExcludedEntry e) {
            numbered(n, email(e.email()));
            detail(msg("report.archived-detail"));
            detail(e.id() == null ? msg("report.copper-no-id") : msg("report.copper-person", e.id()));
        }

        private void sideAndReason(int n, String email, String side, String reason) {
            numbered(n, email(email));
            detail(msg("report.side", side(side)));
            detail(msg("report.reason", Reasons.text(messages, oneLine(reason))));
        }

        private void actions() {
            heading("report.actions-heading");
            List<RecommendedAction> actions = new ArrayList<>(report.recommendedActions());
            if (context.blocked() && actions.remove(RecommendedAction.APPLY_DRY_RUN)) {
                actions.add(0, RecommendedAction.APPLY_DRY_RUN); // nothing else happens until someone decides
            }
            for (RecommendedAction action : actions) {
                for (String text : action(action)) {
                    item("- " + text);
                }
            }
            line("");
        }

        private List<String> action(RecommendedAction action) {
            Commands commands = context.commands();
            return switch (action) {
                case FIX_ABORT_CAUSE -> List.of(msg("report.action-fix-abort-cause"));
                case CHECK_ERRORS -> List.of(msg("report.action-check-errors", logFileName(), report.errorCount()));
                case FIX_NOT_SYNCED -> fixNotSynced();
                case REVIEW_ARCHIVED -> List.of(msg("report.action-archived", archived.size(), INACTIVE_TAG));
                case SEND_RESUBSCRIBE_LINKS ->
                        List.of(msg("report.action-send-resubscribe-links", report.forgottenCount(), RESUBSCRIBE_TAG));
                case REVIEW_FLAGGED ->
                        List.of(msg("report.action-review-flagged", report.flaggedCount(), commands.flaggedList()));
                case REVIEW_CONFLICTS -> List.of(msg("report.action-review-conflicts", report.conflictCount()));
                case FIX_REFUSED_VALUES -> List.of(msg("report.action-fix-refused", report.refusedTotal()));
                case APPLY_DRY_RUN -> List.of(context.blocked()
                        ? msg("report.action-confirm-plan", commands.confirmPlan())
                        : msg("report.action-apply-dry-run", report.totalOperations(), commands.apply()));
                case NONE -> List.of(msg("report.action-none"));
            };
        }

        /** One line per system to fix records in, each with its own count. */
        private List<String> fixNotSynced() {
            long copper = report.notSynced().stream().filter(e -> isCopper(e.side())).count();
            long mailchimp = report.notSynced().size() - copper;
            List<String> lines = new ArrayList<>();
            if (copper > 0 || report.notSynced().isEmpty()) {
                lines.add(msg("report.action-fix-copper", copper > 0 ? copper : report.notSyncedCount()));
            }
            if (mailchimp > 0) {
                lines.add(msg("report.action-fix-mailchimp", mailchimp));
            }
            return lines;
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
            heading("report.files-heading");
            report.generatedFiles().forEach(f -> item("- " + f));
        }

        // ---- helpers

        /** {@code total}: every entry of the run, {@code entries} the ones kept (a large run keeps the first). */
        private <T> void section(String heading, List<T> entries, int total, BiConsumer<Integer, T> renderer) {
            if (total <= 0 && entries.isEmpty()) {
                return;
            }
            heading(heading);
            int shown = Math.min(entries.size(), maxListed);
            for (int i = 0; i < shown; i++) {
                renderer.accept(i + 1, entries.get(i));
                line("");
            }
            if (entries.size() > shown) {
                item(msg("report.more-entries", entries.size() - shown));
                line("");
            }
            if (total > entries.size()) {
                item(msg("report.more-unlisted", total - entries.size()));
                line("");
            }
        }

        private void heading(String key) {
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

        private String msg(String key, Object... args) {
            return messages.get(key, args);
        }

        private String email(String email) {
            return blank(email) ? msg("report.no-email") : email;
        }

        private String name(String name) {
            return blank(name) ? msg("report.no-name") : name;
        }

        private String value(String value) {
            return blank(value) ? msg("report.empty-value") : oneLine(value);
        }

        private String field(String field) {
            if (field == null) {
                return msg("report.empty-value");
            }
            String normalised = field.replace("_", "").replace(" ", "").toLowerCase(Locale.ROOT);
            return switch (normalised) {
                case "firstname", "fname", "prenom", "prénom" -> msg("report.field-first-name");
                case "lastname", "lname", "nom" -> msg("report.field-last-name");
                case "tags" -> msg("report.field-tags");
                case "email", "e-mail" -> msg("report.field-email");
                default -> field;
            };
        }

        private static String target(Direction direction) {
            return direction == Direction.COPPER_TO_MAILCHIMP ? MAILCHIMP_PLACE : COPPER_PLACE;
        }

        private static boolean isCopper(String side) {
            return side != null && side.equalsIgnoreCase("copper");
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

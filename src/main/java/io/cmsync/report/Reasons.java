package io.cmsync.report;

import io.cmsync.i18n.Messages;
import io.cmsync.sync.Planner;

import java.util.Locale;
import java.util.Map;

/**
 * The planner's reasons and Mailchimp's statuses in the reader's language. The planner keeps its reasons as fixed
 * French texts (the JSON report and the synced state carry them); a person reads them through the catalogue's
 * {@code report.reason.*} and {@code report.status.*} entries. A reason the planner does not know is shown as is.
 */
public final class Reasons {

    private static final Map<String, String> KEYS = Map.ofEntries(
            Map.entry(Planner.REASON_NO_EMAIL, "report.reason.no-email"),
            Map.entry(Planner.REASON_INVALID_EMAIL, "report.reason.invalid-email"),
            Map.entry(Planner.REASON_DUPLICATE_COPPER, "report.reason.duplicate-copper"),
            Map.entry(Planner.REASON_DUPLICATE_MAILCHIMP, "report.reason.duplicate-mailchimp"),
            Map.entry(Planner.REASON_NO_NAME, "report.reason.no-name"),
            Map.entry(Planner.REASON_UNREADABLE, "report.reason.unreadable"),
            Map.entry(Planner.REASON_CONTROL_CHARACTERS, "report.reason.control-characters"),
            Map.entry(Planner.REASON_INVALID_COPPER_ID, "report.reason.invalid-copper-id"),
            Map.entry(Planner.REASON_FORGOTTEN, "report.reason.forgotten"),
            Map.entry(Planner.REASON_DELETED_IN_COPPER, "report.reason.deleted-in-copper"),
            Map.entry(Planner.REASON_ARCHIVED_ACTIVE, "report.reason.archived-active"));

    private Reasons() {
    }

    /** {@code reason} as {@code messages}' reader reads it. */
    public static String text(Messages messages, String reason) {
        if (reason == null) {
            return "";
        }
        String key = KEYS.get(reason);
        if (key != null) {
            return messages.get(key);
        }
        if (reason.startsWith(Planner.REASON_INACTIVE_PREFIX)) {
            return messages.get("report.reason.inactive-tag", reason.substring(Planner.REASON_INACTIVE_PREFIX.length()));
        }
        if (reason.startsWith(Planner.REASON_STATUS_PREFIX)) {
            return messages.get("report.reason.status", status(messages, reason.substring(
                    Planner.REASON_STATUS_PREFIX.length())));
        }
        return reason;
    }

    /** A Mailchimp member status in words ({@code désabonné}); a status the catalogue does not know, as is. */
    public static String status(Messages messages, String status) {
        String s = status == null ? "" : status.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("inconnu")) {
            return messages.get("report.status.unknown");
        }
        String key = "report.status." + s;
        return messages.has(key) ? messages.get(key) : s;
    }

    /** An operation of {@link OperationOutcome} ({@code création}, {@code mise à jour}, {@code réactivation}) in words. */
    public static String operation(Messages messages, String operation) {
        String key = switch (operation == null ? "" : operation) {
            case OperationOutcome.CREATE -> "report.operation.create";
            case OperationOutcome.UPDATE -> "report.operation.update";
            case "réactivation" -> "report.operation.reactivate";
            default -> null;
        };
        return key == null ? String.valueOf(operation) : messages.get(key);
    }

    /** True for the reason of a member archived in Mailchimp whose Copper person is active (its own section). */
    public static boolean archivedActive(String reason) {
        return Planner.REASON_ARCHIVED_ACTIVE.equals(reason);
    }
}

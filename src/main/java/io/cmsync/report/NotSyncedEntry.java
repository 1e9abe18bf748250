package io.cmsync.report;

/**
 * A contact that could not be synced because of its data (invalid, duplicate or missing e-mail, no name).
 *
 * @param email  the address as found ("" when the contact has none)
 * @param side   "Copper" or "Mailchimp"
 * @param reason the planner's reason (translated by {@link Reasons} when it is one of its own), else shown as is
 * @param id     the record's id on {@code side}: Copper person id or Mailchimp subscriber hash (null: unknown)
 */
public record NotSyncedEntry(String email, String side, String reason, String id) {
    public NotSyncedEntry(String email, String side, String reason) {
        this(email, side, reason, null);
    }

    public NotSyncedEntry {
        email = email == null ? "" : email;
        side = side == null ? "" : side;
        reason = reason == null ? "" : reason;
        id = id == null || id.isBlank() ? null : id.strip();
    }
}

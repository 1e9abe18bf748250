package io.cmsync.report;

/**
 * A contact deliberately left out of the sync (inactive tag, status not imported, outside the TEST marker...).
 *
 * @param email  the address ("" when none)
 * @param side   "Copper" or "Mailchimp"
 * @param reason the planner's reason (translated by {@link Reasons} when it is one of its own), else shown as is
 * @param id     the record's id on {@code side}: Copper person id or Mailchimp subscriber hash (null: unknown)
 */
public record ExcludedEntry(String email, String side, String reason, String id) {
    public ExcludedEntry(String email, String side, String reason) {
        this(email, side, reason, null);
    }

    public ExcludedEntry {
        email = email == null ? "" : email;
        side = side == null ? "" : side;
        reason = reason == null ? "" : reason;
        id = id == null || id.isBlank() ? null : id.strip();
    }
}

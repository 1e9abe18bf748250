package io.cmsync.report;

/**
 * A contact that could not be synced because of its data (invalid, duplicate or missing e-mail, no name).
 *
 * @param email  the address as found ("" when the contact has none)
 * @param side   "Copper" or "Mailchimp"
 * @param reason human-readable reason, shown as is
 */
public record NotSyncedEntry(String email, String side, String reason) {
    public NotSyncedEntry {
        email = email == null ? "" : email;
        side = side == null ? "" : side;
        reason = reason == null ? "" : reason;
    }
}

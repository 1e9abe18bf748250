package io.cmsync.report;

/**
 * A contact deliberately left out of the sync (inactive tag, status not imported, outside the TEST marker...).
 *
 * @param email  the address ("" when none)
 * @param side   "Copper" or "Mailchimp"
 * @param reason human-readable reason, shown as is
 */
public record ExcludedEntry(String email, String side, String reason) {
    public ExcludedEntry {
        email = email == null ? "" : email;
        side = side == null ? "" : side;
        reason = reason == null ? "" : reason;
    }
}

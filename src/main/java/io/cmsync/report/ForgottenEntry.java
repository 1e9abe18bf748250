package io.cmsync.report;

/**
 * An address Mailchimp refuses to (re-)add: permanently deleted ("forgotten") or in compliance state. Not an
 * error: the contact is awaiting resubscription through its personal link, and the Copper person carries the
 * {@value TextReportFormatter#RESUBSCRIBE_TAG} tag.
 *
 * @param email           normalised e-mail
 * @param name            "First Last" ("" when unknown)
 * @param resubscribeLink the audience's hosted signup form with the e-mail prefilled (may be null)
 * @param newlyDetected   true when this run discovered it, false when it was already known
 */
public record ForgottenEntry(String email, String name, String resubscribeLink, boolean newlyDetected) {
    public ForgottenEntry {
        email = email == null ? "" : email;
        name = name == null ? "" : name.strip();
    }
}

package io.cmsync.report;

/**
 * A formerly forgotten address that is back on the audience: its {@value TextReportFormatter#RESUBSCRIBE_TAG}
 * tag was removed from the Copper person.
 *
 * @param email normalised e-mail
 */
public record ResubscribedEntry(String email) {
    public ResubscribedEntry {
        email = email == null ? "" : email;
    }
}

package io.cmsync.mailchimp;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Mailchimp refusal, classified. Titles change over time (a peer's sync broke when one did), so the detail text is
 * the fallback for recognising forgotten and compliance-state addresses.
 */
public record MailchimpError(int status, String title, String detail) {

    public static MailchimpError of(int status, JsonNode problem) {
        return new MailchimpError(status, problem.path("title").asText(""), problem.path("detail").asText(""));
    }

    /** Permanently deleted address: Mailchimp will never take it back through the API. */
    public boolean forgotten() {
        return title.equalsIgnoreCase("Forgotten Email Not Subscribed")
                || detail.toLowerCase(Locale.ROOT).contains("was permanently deleted");
    }

    /** Unsubscribed, bounced or under compliance review: only the person can resubscribe. */
    public boolean complianceState() {
        return title.equalsIgnoreCase("Member In Compliance State")
                || detail.toLowerCase(Locale.ROOT).contains("compliance state");
    }

    /** Needs the person to resubscribe through the hosted form. */
    public boolean needsResubscription() {
        return forgotten() || complianceState();
    }

    public String text() {
        return detail.isBlank() ? title + " (" + status + ")" : title + ": " + detail;
    }
}

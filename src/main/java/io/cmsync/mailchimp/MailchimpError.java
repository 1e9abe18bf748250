package io.cmsync.mailchimp;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Mailchimp refusal, classified. Titles change over time (a peer's sync broke when one did), so the detail text is
 * the fallback for recognising forgotten and compliance-state addresses.
 */
public record MailchimpError(int status, String title, String detail, java.util.Map<String, String> fieldErrors) {

    /**
     * @param fieldErrors the merge fields Mailchimp refused, tag → its message (the documented 400 « Your merge fields
     *                    were invalid. » with its {@code errors} array, or a batch subscribe error's
     *                    {@code field}/{@code field_message}); empty for any other refusal
     */
    public MailchimpError {
        fieldErrors = fieldErrors == null || fieldErrors.isEmpty() ? java.util.Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fieldErrors));
    }

    public MailchimpError(int status, String title, String detail) {
        this(status, title, detail, java.util.Map.of());
    }

    public static MailchimpError of(int status, JsonNode problem) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (JsonNode e : problem.path("errors")) {
            String field = e.path("field").asText("");
            if (!field.isBlank()) {
                fields.put(field.strip(), e.path("message").asText(""));
            }
        }
        return new MailchimpError(status, problem.path("title").asText(""), problem.path("detail").asText(""), fields);
    }

    /** Mailchimp refused some merge fields' values, named in {@link #fieldErrors()}; the rest of the write was fine. */
    public boolean mergeFieldsRefused() {
        return status == 400 && !fieldErrors.isEmpty();
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

package io.cmsync.config;

/**
 * The API credentials, from {@code .env} or the environment. {@link #toString()} never shows a value, so a
 * stray log or exception message cannot leak them.
 */
public record Secrets(String copperApiKey, String copperApiEmail, String mailchimpApiKey, String mailchimpDc,
                      String mailchimpListId) {

    public static final String COPPER_API_KEY = "COPPER_API_KEY";
    public static final String COPPER_API_EMAIL = "COPPER_API_EMAIL";
    public static final String MAILCHIMP_API_KEY = "MAILCHIMP_API_KEY";
    public static final String MAILCHIMP_DC = "MAILCHIMP_DC";
    public static final String MAILCHIMP_LIST_ID = "MAILCHIMP_LIST_ID";

    /** Every secret value, for masking. */
    public java.util.List<String> values() {
        return java.util.stream.Stream.of(copperApiKey, mailchimpApiKey)
                .filter(v -> v != null && !v.isBlank()).toList();
    }

    @Override
    public String toString() {
        return "Secrets[copperApiKey=****, copperApiEmail=" + copperApiEmail + ", mailchimpApiKey=****, mailchimpDc="
                + mailchimpDc + ", mailchimpListId=" + mailchimpListId + "]";
    }
}

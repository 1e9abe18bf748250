package io.cmsync.sync;

/** Which way a write goes; the labels are the old tool's report wording. */
public enum Direction {
    COPPER_TO_MAILCHIMP("Copper → Mailchimp"),
    MAILCHIMP_TO_COPPER("Mailchimp → Copper");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

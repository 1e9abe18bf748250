package io.cmsync.sync;

import java.util.Locale;
import java.util.Optional;

/** Which way a mapped field's changes flow. */
public enum FlowDirection {
    /** Both ways, three-way merge like the names (newest change wins, a conflict is reported). */
    BOTH("both"),
    /** Copper is the source; Mailchimp's value is overwritten, never read back into Copper. */
    COPPER_TO_MAILCHIMP("copper-to-mailchimp"),
    /** Mailchimp is the source; Copper's value is overwritten, never pushed to Mailchimp. */
    MAILCHIMP_TO_COPPER("mailchimp-to-copper");

    private final String word;

    FlowDirection(String word) {
        this.word = word;
    }

    /** The word the mapping file uses. */
    public String word() {
        return word;
    }

    public boolean toMailchimp() {
        return this != MAILCHIMP_TO_COPPER;
    }

    public boolean toCopper() {
        return this != COPPER_TO_MAILCHIMP;
    }

    public static Optional<FlowDirection> parse(String word) {
        if (word == null) {
            return Optional.empty();
        }
        String w = word.strip().toLowerCase(Locale.ROOT);
        for (FlowDirection d : values()) {
            if (d.word.equals(w)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}

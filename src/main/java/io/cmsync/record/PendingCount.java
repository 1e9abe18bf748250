package io.cmsync.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The count a run leaves to the next one: which window of each side's change feed should hold only the run's own
 * writes (its "echo", see {@link io.cmsync.sync.EchoLedger}), and from when it may be counted. Counting it at the next
 * run's start instead of waiting out the overlap at the end of this one costs no wall time.
 *
 * @param notBeforeMillis local clock: the overlap (server commit lag) has passed since the run's last write
 * @param copper          the Copper window, or null when the run made no Copper call
 * @param mailchimp       the Mailchimp window (default and archived listings), or null when the run made no call
 */
record PendingCount(long notBeforeMillis, CopperWindow copper, MailchimpWindow mailchimp) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * People with {@code from <= date_modified < upTo} ({@code from} null: no lower bound).
     *
     * @param upTo Copper's own time (epoch second, its {@code Date} header) after the run's last Copper answer: every
     *             echo is older or of that second; null when Copper sends no {@code Date}
     */
    record CopperWindow(Long from, Long upTo, long expected) {
    }

    /**
     * Members with {@code last_changed} from {@code since} (as the run settled {@code since_last_changed}) and before
     * {@code upTo} (epoch second of Mailchimp's {@code Date} after the run's last Mailchimp answer).
     */
    record MailchimpWindow(String since, Long upTo, long expected, long archivedExpected) {
    }

    /** Whether reading the window again costs no more calls than counting it: one page per listing. */
    boolean fitsOnePage(int copperPageSize, int mailchimpPageSize) {
        return (copper == null || copper.expected() < copperPageSize)
                && (mailchimp == null || mailchimp.expected() < mailchimpPageSize
                && mailchimp.archivedExpected() < mailchimpPageSize);
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of numbers and strings always serialises", e);
        }
    }

    /** The stored count, or null when the text is not one (then the next run simply reads with the overlap). */
    static PendingCount parse(String json) {
        try {
            return JSON.readValue(json, PendingCount.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}

package io.cmsync.sync;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One person as one side sees it, keyed by the normalised e-mail. Immutable; the same record serves both sides so
 * the planner compares like with like.
 *
 * @param email      normalised key (trimmed, lower-cased), see {@link Emails#normalise(String)}
 * @param rawEmail   the address exactly as the side returned it (for reports)
 * @param firstName  never null ("" when unknown)
 * @param lastName   never null ("" when unknown)
 * @param tags       the side's tags, in the side's order, never null
 * @param status     Mailchimp member status (subscribed, unsubscribed, cleaned, pending, transactional, archived);
 *                   null for a Copper person
 * @param sideId     Copper person id or Mailchimp subscriber hash
 * @param modifiedAt Copper date_modified or Mailchimp last_changed; null when unknown
 * @param fields     the mapped fields beyond the names: mapping entry name → canonical value ("" when unset), plus
 *                   the whole values carried for the writer (keys starting with "@"); empty with the default mapping
 */
public record Contact(String email, String rawEmail, String firstName, String lastName, List<String> tags,
                      String status, String sideId, Instant modifiedAt, Map<String, String> fields) {

    public Contact {
        Objects.requireNonNull(email, "email");
        rawEmail = rawEmail == null ? email : rawEmail;
        firstName = firstName == null ? "" : firstName.strip();
        lastName = lastName == null ? "" : lastName.strip();
        tags = tags == null ? List.of() : List.copyOf(tags);
        fields = fields == null || fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Contact(String email, String rawEmail, String firstName, String lastName, List<String> tags,
                   String status, String sideId, Instant modifiedAt) {
        this(email, rawEmail, firstName, lastName, tags, status, sideId, modifiedAt, Map.of());
    }

    /** A mapped field's canonical value, "" when unset. */
    public String field(String name) {
        String v = fields.get(name);
        return v == null ? "" : v;
    }

    /** "First Last" as the reports show it. */
    public String displayName() {
        return (firstName + " " + lastName).strip();
    }

    public boolean hasName() {
        return !firstName.isEmpty() || !lastName.isEmpty();
    }
}

package io.cmsync.sync;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What both sides agreed on after the last successful sync of one contact: the base of the three-way merge.
 *
 * @param email          normalised e-mail (key)
 * @param copperId       Copper person id, null if unknown
 * @param firstName      last synced first name
 * @param lastName       last synced last name
 * @param tags           Copper tags last synced to Mailchimp
 * @param pushedTags     tags this product made active in Mailchimp (only these are ever made inactive)
 * @param mailchimpStatus last seen Mailchimp status
 * @param syncedAt       when this record was written
 * @param fields         the mapped fields' last synced canonical values (entry name → value); empty with the
 *                       default mapping
 */
public record SyncedRecord(String email, Long copperId, String firstName, String lastName, Set<String> tags,
                           Set<String> pushedTags, String mailchimpStatus, Instant syncedAt,
                           Map<String, String> fields) {
    public SyncedRecord {
        firstName = firstName == null ? "" : firstName;
        lastName = lastName == null ? "" : lastName;
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        pushedTags = pushedTags == null ? Set.of() : Set.copyOf(pushedTags);
        fields = fields == null || fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    public SyncedRecord(String email, Long copperId, String firstName, String lastName, Set<String> tags,
                        Set<String> pushedTags, String mailchimpStatus, Instant syncedAt) {
        this(email, copperId, firstName, lastName, tags, pushedTags, mailchimpStatus, syncedAt, Map.of());
    }

    /** The last synced value of a mapped field, or null when the state holds none (not synced with it yet). */
    public String field(String name) {
        return fields.get(name);
    }
}

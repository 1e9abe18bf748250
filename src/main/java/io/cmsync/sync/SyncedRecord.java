package io.cmsync.sync;

import java.time.Instant;
import java.util.Set;

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
 */
public record SyncedRecord(String email, Long copperId, String firstName, String lastName, Set<String> tags,
                           Set<String> pushedTags, String mailchimpStatus, Instant syncedAt) {
    public SyncedRecord {
        firstName = firstName == null ? "" : firstName;
        lastName = lastName == null ? "" : lastName;
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        pushedTags = pushedTags == null ? Set.of() : Set.copyOf(pushedTags);
    }
}

package io.cmsync.sync;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One thing the planner decided for one contact. Write actions go to one side; the others are recorded for the
 * report only. A contact can get at most one write action per side in a run.
 */
public sealed interface Action {

    /** Normalised e-mail of the contact this action is about ("" when the contact has no e-mail). */
    String email();

    /** An unmodifiable copy that keeps the mapping's order (reports list the fields in that order). */
    private static Map<String, String> ordered(Map<String, String> fields) {
        return fields == null || fields.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /**
     * Copper-only contact: create the Mailchimp member (batch subscribe) and activate its tags. {@code fields}: the
     * mapped fields to write (entry name → canonical value), the ones Mailchimp would refuse left out.
     */
    record CreateMailchimpMember(String email, Contact copper, String status, Set<String> tags,
                                 Map<String, String> fields) implements Action {
        public CreateMailchimpMember {
            fields = ordered(fields);
        }

        public CreateMailchimpMember(String email, Contact copper, String status, Set<String> tags) {
            this(email, copper, status, tags, Map.of());
        }
    }

    /**
     * Contact in both: change the member's names (PUT with status_if_new only) and/or its tags.
     * {@code firstName}/{@code lastName} are the target values; {@code namesChanged} says whether they change;
     * {@code fields} the mapped fields that change (entry name → canonical value); a PUT is needed when either does.
     */
    record UpdateMailchimpMember(String email, Contact copper, Contact mailchimp, String firstName, String lastName,
                                 boolean namesChanged, Set<String> tagsToAdd, Set<String> tagsToRemove,
                                 List<Conflict> conflicts, Map<String, String> fields) implements Action {
        public UpdateMailchimpMember {
            fields = ordered(fields);
        }

        public UpdateMailchimpMember(String email, Contact copper, Contact mailchimp, String firstName,
                                     String lastName, boolean namesChanged, Set<String> tagsToAdd,
                                     Set<String> tagsToRemove, List<Conflict> conflicts) {
            this(email, copper, mailchimp, firstName, lastName, namesChanged, tagsToAdd, tagsToRemove, conflicts,
                    Map.of());
        }

        /** Whether the member itself is written (PUT), not only its tags. */
        public boolean memberChanged() {
            return namesChanged || !fields.isEmpty();
        }
    }

    /**
     * The member was archived by this product's deletion workflow and the Copper person is active again (inactive
     * tag removed): the member comes back with the Copper data. Members archived by anyone else are never touched.
     */
    record ReactivateMailchimpMember(String email, Contact copper, Contact mailchimp, String status, Set<String> tags,
                                     Map<String, String> fields) implements Action {
        public ReactivateMailchimpMember {
            fields = ordered(fields);
        }

        public ReactivateMailchimpMember(String email, Contact copper, Contact mailchimp, String status,
                                         Set<String> tags) {
            this(email, copper, mailchimp, status, tags, Map.of());
        }
    }

    /** Mailchimp-only member: create the Copper person (e-mail category work) with the mapped fields to write. */
    record CreateCopperPerson(String email, Contact mailchimp, String firstName, String lastName,
                              Map<String, String> fields) implements Action {
        public CreateCopperPerson {
            fields = ordered(fields);
        }

        public CreateCopperPerson(String email, Contact mailchimp, String firstName, String lastName) {
            this(email, mailchimp, firstName, lastName, Map.of());
        }
    }

    /**
     * Contact in both: change the Copper person's names, mapped fields ({@code fields}: entry name → canonical value)
     * and/or its full tag list (status mirror tags).
     */
    record UpdateCopperPerson(String email, long copperId, Contact copper, Contact mailchimp, String firstName,
                              String lastName, boolean namesChanged, List<String> tags, boolean tagsChanged,
                              List<Conflict> conflicts, Map<String, String> fields) implements Action {
        public UpdateCopperPerson {
            fields = ordered(fields);
        }

        public UpdateCopperPerson(String email, long copperId, Contact copper, Contact mailchimp, String firstName,
                                  String lastName, boolean namesChanged, List<String> tags, boolean tagsChanged,
                                  List<Conflict> conflicts) {
            this(email, copperId, copper, mailchimp, firstName, lastName, namesChanged, tags, tagsChanged, conflicts,
                    Map.of());
        }
    }

    /**
     * A mapped field's value the other side would refuse (a dropdown label it has no choice for, a text that is not
     * a number…): that field is not written for this contact, the rest of the contact syncs. {@code side}: the side
     * that refuses; {@code id}: the record's id on the side that holds the value.
     */
    record FieldRefused(String email, String side, String field, String value, String reason, String id)
            implements Action {
    }

    /** Both sides already agree: nothing is written. */
    record SkipIdentical(String email) implements Action {
    }

    /** Copper person carries the deletion tag: excluded, sent to the archive channel. */
    record Flagged(String email, Contact copper, Contact mailchimp, String matchedTag) implements Action {
    }

    /**
     * Excluded from the sync (inactive tag, status not imported, outside TEST marker...). {@code id}: the record's id
     * on {@code side} (Copper person id, Mailchimp subscriber hash), so a reader can find it; null when unknown.
     */
    record Excluded(String email, String side, String reason, String id) implements Action {
        public Excluded(String email, String side, String reason) {
            this(email, side, reason, null);
        }
    }

    /**
     * Could not be synced because of the data (invalid / duplicate / missing e-mail, no name). {@code id}: the
     * record's id on {@code side} (Copper person id, Mailchimp subscriber hash); null when unknown.
     */
    record NotSynced(String email, String side, String reason, String id) implements Action {
        public NotSynced(String email, String side, String reason) {
            this(email, side, reason, null);
        }
    }
}

package io.cmsync.report;

/**
 * A mapped field's value one side would refuse: not written for that contact, the rest of the contact synced.
 *
 * @param email  the contact's address
 * @param side   "copper" or "mailchimp": the side that refuses the value
 * @param field  the mapping entry's name
 * @param value  the value as the planner holds it (canonical text)
 * @param reason why the side refuses it, in the report's language
 * @param id     the record's id on the side that holds the value (Copper person id or Mailchimp member id), or null
 */
public record RefusedValueEntry(String email, String side, String field, String value, String reason, String id) {
}

package io.cmsync.mapping;

import java.util.List;
import java.util.Map;

import io.cmsync.copper.CopperPerson;
import io.cmsync.sync.FieldRule;

/**
 * The mapping checked against both accounts' definitions: it turns each side's values into canonical texts the
 * planner compares, says which values the other side would refuse, and turns canonical texts back into each side's
 * request bodies. Canonical texts: "" for empty; text as is (after the entry's transform); numbers as plain decimals
 * without trailing zeros; dates as ISO yyyy-MM-dd; a birthday as MM-dd; Dropdown and radio/dropdown merge fields by
 * label; a MultiSelect as its labels in Copper's option order joined by ", "; a checkbox as "true" / "false"; an
 * address as its five parts (street, city, state, postal code, country) joined by " | ".
 */
public interface ResolvedMapping {

    /** The names' merge tags (FNAME / LNAME by default). */
    String firstNameTag();

    String lastNameTag();

    /** The merge tag a mapped field (entry name) is written to, or null when no entry has that name. */
    String mergeTag(String entry);

    /** The mapped fields beyond the names, in mapping order, for the planner. */
    List<FieldRule> rules();

    /** The mapping's identity: when it changes, the synced state's scope changes (a full run, the brake shows it). */
    String fingerprint();

    /**
     * Canonical values of the mapped fields beyond the names (every entry present, "" when unset). When a mapped
     * field is part of a value Copper replaces whole (phone_numbers, websites, address), the map also carries that
     * whole value under a key starting with {@value #CARRIED} (e.g. "@phone_numbers", as JSON), which the planner
     * never compares and {@link #putCopper} uses to keep the parts the mapping does not cover.
     */
    Map<String, String> copperValues(CopperPerson person);

    /** Prefix of the keys that carry a whole Copper value along with a contact, see {@link #copperValues}. */
    String CARRIED = "@";

    /** Canonical values of the mapped fields beyond the names from a member's {@code merge_fields}. */
    Map<String, String> mailchimpValues(Map<String, Object> mergeFields);

    /**
     * Adds the given fields' values (entry name → canonical value, already accepted by the copper check) to a Copper
     * create or update body. {@code current} is the Copper contact's fields as {@link #copperValues} gave them (empty
     * for a create): array fields (phone_numbers, websites) and the address replace the whole value in Copper, so the
     * parts the mapping does not cover are kept from its carried values.
     */
    void putCopper(Map<String, String> values, Map<String, String> current, Map<String, Object> body);

    /** Adds the given fields' values to a member's {@code merge_fields} object (already accepted by the check). */
    void putMailchimp(Map<String, String> values, Map<String, Object> mergeFields);

    /**
     * The entries among {@code entries} that a Copper validation error names: Copper's 422 lists each attribute it
     * refused by its human name ({@code Invalid input: Validation errors: Custom fields: Secteur: … is not a valid
     * option}, several joined by new lines), so a value one of our checks let through is dropped from that contact's
     * write rather than the whole contact failing. Empty when the error names none of them (it failed for another
     * reason).
     */
    default List<String> copperEntriesRefused(String copperError, java.util.Collection<String> entries) {
        return List.of();
    }
}

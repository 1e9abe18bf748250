package io.cmsync.mapping;

import io.cmsync.sync.FlowDirection;

/**
 * One line of the mapping, as the engineer wrote it.
 *
 * @param name      the entry's name: how reports, conflicts and the state call this field (unique, e.g. "secteur")
 * @param copper    the Copper side: {@code first_name}, {@code last_name}, {@code title}, {@code company_name},
 *                  {@code phone_numbers} (first number) or {@code phone_numbers.<category>}, {@code address} (whole) or
 *                  {@code address.<street|city|state|postal_code|country>}, {@code websites} or
 *                  {@code websites.<category>}, or {@code custom:<custom field name>}
 * @param mergeTag  the Mailchimp merge tag (e.g. {@code SECTEUR})
 * @param direction which way changes flow
 * @param transform optional normalisation applied to both sides' values before comparing and writing
 *                  ({@code trim}, {@code upper}, {@code lower}); null for none
 * @param line      where the entry starts in the mapping file (for error messages), 0 when not from a file
 */
public record MappingEntry(String name, String copper, String mergeTag, FlowDirection direction, String transform,
                           int line) {
}

package io.cmsync.mapping;

import java.nio.file.Path;
import java.util.List;

import io.cmsync.sync.FlowDirection;

/**
 * The mapping as configured (not yet checked against the two accounts): its entries and the file they came from.
 * The default is today's behaviour: first and last name ↔ FNAME and LNAME, both ways.
 */
public record FieldMapping(List<MappingEntry> entries, Path source) {
    public static final String FIRST_NAME = "first_name";
    public static final String LAST_NAME = "last_name";

    public FieldMapping {
        entries = List.copyOf(entries);
    }

    /** Names only, in FNAME and LNAME, both ways: what the product did before field mappings. */
    public boolean isDefault() {
        return comparable(this).equals(comparable(defaults()));
    }

    private static java.util.List<java.util.List<Object>> comparable(FieldMapping m) {
        return m.entries().stream().map(e -> java.util.List.<Object>of(String.valueOf(e.name()),
                String.valueOf(e.copper()), String.valueOf(e.mergeTag()), e.direction(),
                String.valueOf(e.transform()))).toList();
    }

    public static FieldMapping defaults() {
        return new FieldMapping(List.of(
                new MappingEntry("first_name", FIRST_NAME, "FNAME", FlowDirection.BOTH, null, 0),
                new MappingEntry("last_name", LAST_NAME, "LNAME", FlowDirection.BOTH, null, 0)), null);
    }
}

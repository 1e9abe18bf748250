package io.cmsync.mapping;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the two accounts define, read once at the start of a run: the audience's merge fields
 * ({@code GET /lists/{id}/merge-fields}) and Copper's custom field definitions ({@code GET /custom_field_definitions}).
 */
public record Definitions(List<MergeFieldDef> mergeFields, List<CustomFieldDef> customFields) {

    public Definitions {
        mergeFields = List.copyOf(mergeFields);
        customFields = List.copyOf(customFields);
    }

    /**
     * One merge field: {@code type} is text, number, address, phone, date, url, imageurl, radio, dropdown, birthday
     * or zip; {@code options} as the API gives it (date_format, choices, size, phone_format, default_country).
     */
    public record MergeFieldDef(String tag, String name, String type, boolean required, String defaultValue,
                                JsonNode options) {
    }

    /** One Copper custom field definition; options for Dropdown and MultiSelect, else empty. */
    public record CustomFieldDef(long id, String name, String dataType, List<String> availableOn,
                                 List<Option> options) {
        public record Option(long id, String name, int rank) {
        }
    }
}

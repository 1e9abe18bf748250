package io.cmsync.copper;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of a Copper person the sync reads (Copper returns many more; they are ignored). The fields after
 * {@code dateModified} serve the field mapping ({@code io.cmsync.mapping}); they are null when Copper sends none.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CopperPerson(Long id, String name, String firstName, String lastName, List<Email> emails,
                           List<String> tags, Long dateCreated, Long dateModified, String title, String companyName,
                           List<Phone> phoneNumbers, Address address, List<Website> websites,
                           List<CustomFieldValue> customFields) {

    public CopperPerson(Long id, String name, String firstName, String lastName, List<Email> emails,
                        List<String> tags, Long dateCreated, Long dateModified) {
        this(id, name, firstName, lastName, emails, tags, dateCreated, dateModified, null, null, null, null, null,
                null);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Email(String email, String category) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Phone(String number, String category) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Website(String url, String category) {
    }

    /** Copper's address object; any member may be null or "". */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Address(String street, String city, String state, String postalCode, String country) {
    }

    /** {@code {"custom_field_definition_id", "value"}}: value typed by the definition's data type (CONTRACT §7.2). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CustomFieldValue(Long customFieldDefinitionId, JsonNode value) {
    }

    /** Copper's key for the sync: the person's first e-mail, as given (null when none). */
    public String firstEmail() {
        if (emails == null) {
            return null;
        }
        return emails.stream().map(Email::email).filter(e -> e != null && !e.isBlank()).findFirst().orElse(null);
    }
}

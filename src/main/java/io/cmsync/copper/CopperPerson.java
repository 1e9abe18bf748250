package io.cmsync.copper;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The fields of a Copper person the sync reads (Copper returns many more; they are ignored). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CopperPerson(Long id, String name, String firstName, String lastName, List<Email> emails,
                           List<String> tags, Long dateCreated, Long dateModified) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Email(String email, String category) {
    }

    /** Copper's key for the sync: the person's first e-mail, as given (null when none). */
    public String firstEmail() {
        if (emails == null) {
            return null;
        }
        return emails.stream().map(Email::email).filter(e -> e != null && !e.isBlank()).findFirst().orElse(null);
    }
}

package io.cmsync.mailchimp;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The fields of a list member the sync reads. Statuses include archived and transactional (PEERS: enums lacking them crash). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MailchimpMember(String id, String emailAddress, String status, Map<String, Object> mergeFields,
                              List<Tag> tags, String lastChanged) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tag(Long id, String name) {
    }

    public String mergeField(String name) {
        if (mergeFields == null) {
            return "";
        }
        Object v = mergeFields.get(name);
        return v instanceof String s ? s : "";
    }
}

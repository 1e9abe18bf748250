package io.cmsync.mailchimp;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The fields of a list member the sync reads. Statuses include archived and transactional (PEERS: enums lacking them
 * crash). {@code tags} as Mailchimp lists it holds at most 50 tags; {@code tagsCount} is the member's real count (null
 * when not returned), so that {@link MailchimpClient} knows when to read the rest (CONTRACT.md §3, §4.9).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MailchimpMember(String id, String emailAddress, String status, Map<String, Object> mergeFields,
                              List<Tag> tags, String lastChanged, Integer tagsCount) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tag(Long id, String name) {
    }

    /** Whether Mailchimp said the member has more tags than {@code tags} holds (the listing shows 50 at most). */
    public boolean tagsTruncated() {
        return tagsCount != null && tagsCount > (tags == null ? 0 : tags.size());
    }

    /** The same member with its complete tag list. */
    public MailchimpMember withTags(List<Tag> allTags) {
        return new MailchimpMember(id, emailAddress, status, mergeFields, List.copyOf(allTags), lastChanged,
                allTags.size());
    }

    public String mergeField(String name) {
        if (mergeFields == null) {
            return "";
        }
        Object v = mergeFields.get(name);
        return v instanceof String s ? s : "";
    }
}

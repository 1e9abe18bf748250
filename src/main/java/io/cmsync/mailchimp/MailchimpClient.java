package io.cmsync.mailchimp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.cmsync.http.ApiException;
import io.cmsync.http.ApiRequest;
import io.cmsync.http.ApiResponse;
import io.cmsync.http.RetryingCaller;

/** The Mailchimp Marketing API v3 calls the sync makes (CONTRACT.md §4). */
public final class MailchimpClient {
    public static final String SIDE = "Mailchimp";
    /** Batch subscribe and static segment calls take at most 500 members (CONTRACT.md §6). */
    public static final int BATCH_LIMIT = 500;
    private static final String MEMBER_FIELDS = "members.id,members.email_address,members.status,"
            + "members.merge_fields,members.tags,members.last_changed,total_items";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final RetryingCaller caller;
    private final String listId;

    public MailchimpClient(RetryingCaller caller, String listId) {
        this.caller = caller;
        this.listId = listId;
    }

    public record MembersPage(List<MailchimpMember> members, int totalItems) {
    }

    /** Audience facts the sync needs: the hosted signup form (resubscribe links). */
    public record ListInfo(String id, String name, String subscribeUrlLong) {
    }

    /** Per-member result of a batch subscribe or segment call: null error means done. */
    public record MemberResult(String email, MailchimpError error) {
        public boolean ok() {
            return error == null;
        }
    }

    public ListInfo list() {
        ApiResponse r = call(ApiRequest.get("lists/" + listId, "fields=id,name,subscribe_url_long", "GET lists/{list_id}"));
        JsonNode n = tree(r, "GET lists/{list_id}");
        return new ListInfo(n.path("id").asText(), n.path("name").asText(), n.path("subscribe_url_long").asText(""));
    }

    /**
     * A page of members; {@code status} null reads every status Mailchimp lists by default; {@code sinceLastChanged}
     * (ISO-8601, inclusive) reads only members changed since then, null reads all.
     */
    public MembersPage membersPage(int offset, int count, String status, String sinceLastChanged) {
        String query = "count=" + count + "&offset=" + offset + "&fields=" + MEMBER_FIELDS
                + (status == null ? "" : "&status=" + status)
                + (sinceLastChanged == null ? ""
                        : "&since_last_changed=" + URLEncoder.encode(sinceLastChanged, StandardCharsets.UTF_8));
        String label = "GET lists/{list_id}/members";
        ApiResponse r = call(ApiRequest.get("lists/" + listId + "/members", query, label));
        JsonNode n = tree(r, label);
        List<MailchimpMember> members = new ArrayList<>();
        JsonNode list = n.path("members");
        if (!list.isArray() && !list.isMissingNode() && !list.isNull()) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + label + " returned members that are not a JSON array");
        }
        for (JsonNode m : list) {
            try {
                MailchimpMember member = m.isObject() ? JSON.convertValue(m, MailchimpMember.class) : null;
                if (member == null) {
                    throw new IllegalArgumentException("not an object");
                }
                members.add(member);
            } catch (IllegalArgumentException e) {
                // a member we cannot read must not pass for an absent one: the page fails, clearly
                throw new ApiException(SIDE, r.status(), SIDE + " " + label + " returned a member that is not the "
                        + "expected JSON: " + abbreviate(m.toString()));
            }
        }
        return new MembersPage(members, n.path("total_items").asInt(members.size()));
    }

    /**
     * Creates members in one call (≤ 500). {@code update_existing} is false: a batch must never change an existing
     * member's status. Returns one result per e-mail sent.
     */
    public List<MemberResult> batchSubscribe(List<Map<String, Object>> members) {
        if (members.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + BATCH_LIMIT + " members per batch");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("members", members);
        body.put("update_existing", false);
        String label = "POST lists/{list_id}";
        ApiResponse r = call(ApiRequest.post("lists/" + listId, write(body), label));
        JsonNode n = tree(r, label);
        Map<String, MailchimpError> errors = new LinkedHashMap<>();
        for (JsonNode e : n.path("errors")) {
            String text = e.path("error").asText("");
            String code = e.path("error_code").asText("");
            errors.put(e.path("email_address").asText("").toLowerCase(Locale.ROOT),
                    new MailchimpError(400, code, text));
        }
        List<MemberResult> results = new ArrayList<>();
        for (Map<String, Object> m : members) {
            String email = String.valueOf(m.get("email_address"));
            results.add(new MemberResult(email, errors.get(email.toLowerCase(Locale.ROOT))));
        }
        return results;
    }

    /** Upsert of names with {@code status_if_new} only: never changes an existing member's status. */
    public MemberResult updateMember(String email, String statusIfNew, String firstName, String lastName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email_address", email);
        body.put("status_if_new", statusIfNew);
        body.put("merge_fields", MailchimpMapping.mergeFields(firstName, lastName));
        String label = "PUT lists/{list_id}/members/{subscriber_hash}";
        ApiResponse r = caller.call(ApiRequest.put("lists/" + listId + "/members/" + MailchimpMapping.subscriberHash(email),
                write(body), label));
        if (r.ok()) {
            return new MemberResult(email, null);
        }
        return new MemberResult(email, memberError(r, label));
    }

    /**
     * Brings back a member this product archived (deletion workflow), with its names: the one write that sets
     * {@code status}, used only for members whose archiving the synced state attributes to the product.
     */
    public MemberResult restoreMember(String email, String status, String firstName, String lastName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email_address", email);
        body.put("status_if_new", status);
        body.put("status", status);
        body.put("merge_fields", MailchimpMapping.mergeFields(firstName, lastName));
        String label = "PUT lists/{list_id}/members/{subscriber_hash}";
        ApiResponse r = caller.call(ApiRequest.put("lists/" + listId + "/members/" + MailchimpMapping.subscriberHash(email),
                write(body), label));
        return r.ok() ? new MemberResult(email, null) : new MemberResult(email, memberError(r, label));
    }

    /** Static segments (= tags) by lower-cased name → id. */
    public Map<String, Long> tagSegments() {
        Map<String, Long> byName = new LinkedHashMap<>();
        int offset = 0;
        while (true) {
            String label = "GET lists/{list_id}/segments";
            ApiResponse r = call(ApiRequest.get("lists/" + listId + "/segments",
                    "type=static&count=1000&offset=" + offset + "&fields=segments.id,segments.name,total_items", label));
            JsonNode n = tree(r, label);
            JsonNode segments = n.path("segments");
            segments.forEach(s -> byName.put(s.path("name").asText().toLowerCase(Locale.ROOT), s.path("id").asLong()));
            offset += segments.size();
            if (segments.size() < 1000 || offset >= n.path("total_items").asInt()) {
                return byName;
            }
        }
    }

    /** Creates a tag with its first members (≤ 500). Returns the segment id. */
    public long createTag(String name, List<String> emails) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("static_segment", emails);
        String label = "POST lists/{list_id}/segments";
        ApiResponse r = call(ApiRequest.post("lists/" + listId + "/segments", write(body), label));
        return tree(r, label).path("id").asLong();
    }

    /** Adds and removes members of a tag (≤ 500 each); returns the e-mails Mailchimp refused, with the reason. */
    public Map<String, String> updateTag(long segmentId, List<String> add, List<String> remove) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("members_to_add", add);
        body.put("members_to_remove", remove);
        String label = "POST lists/{list_id}/segments/{segment_id}";
        ApiResponse r = call(ApiRequest.post("lists/" + listId + "/segments/" + segmentId, write(body), label));
        Map<String, String> refused = new LinkedHashMap<>();
        for (JsonNode e : tree(r, label).path("errors")) {
            for (JsonNode address : e.path("email_addresses")) {
                refused.put(address.asText().toLowerCase(Locale.ROOT), e.path("error").asText());
            }
        }
        return refused;
    }

    public JsonNode ping() {
        return tree(call(ApiRequest.get("ping", null, "GET ping")), "GET ping");
    }

    /** The hosted signup form with the e-mail prefilled (MERGE0 is the EMAIL field; CONTRACT.md §4.1). */
    public static String resubscribeLink(String subscribeUrlLong, String email) {
        if (subscribeUrlLong == null || subscribeUrlLong.isBlank()) {
            return "";
        }
        String sep = subscribeUrlLong.contains("?") ? "&" : "?";
        return subscribeUrlLong + sep + "MERGE0=" + URLEncoder.encode(email, StandardCharsets.UTF_8);
    }

    /** The member as Mailchimp returns it (full JSON, any status), or empty when the address is unknown (404). */
    public java.util.Optional<JsonNode> member(String email) {
        String label = "GET lists/{list_id}/members/{subscriber_hash}";
        ApiResponse r = caller.call(ApiRequest.get(memberPath(email), null, label));
        if (r.status() == 404) {
            return java.util.Optional.empty();
        }
        if (!r.ok()) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + label + " answered " + r.status() + ": "
                    + memberError(r, label).text());
        }
        return java.util.Optional.of(tree(r, label));
    }

    /**
     * Archives the member (DELETE, recoverable; CONTRACT.md §4.7). Null when done (204), or Mailchimp's refusal: 404
     * for an unknown address, 405 for a pending, cleaned or already archived member.
     */
    public MailchimpError archiveMember(String email) {
        String label = "DELETE lists/{list_id}/members/{subscriber_hash}";
        return outcome(caller.call(new ApiRequest("DELETE", memberPath(email), null, null, label)), label);
    }

    /** Sets the member's status to unsubscribed (PATCH). Null when done, else Mailchimp's refusal. */
    public MailchimpError unsubscribe(String email) {
        String label = "PATCH lists/{list_id}/members/{subscriber_hash}";
        return outcome(caller.call(new ApiRequest("PATCH", memberPath(email), null,
                write(Map.of("status", "unsubscribed")), label)), label);
    }

    /**
     * Deletes the member permanently (CONTRACT.md §4.8): the address can never be re-imported through the API.
     * Null when done (204), else Mailchimp's refusal (404 for an unknown address).
     */
    public MailchimpError deletePermanent(String email) {
        String label = "POST lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent";
        return outcome(caller.call(ApiRequest.post(memberPath(email) + "/actions/delete-permanent", null, label)), label);
    }

    private String memberPath(String email) {
        return "lists/" + listId + "/members/" + MailchimpMapping.subscriberHash(email);
    }

    private static MailchimpError outcome(ApiResponse r, String label) {
        if (r.ok()) {
            return null;
        }
        if (r.status() == 401 || r.status() == 403 || r.status() == 429 || r.status() >= 500) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + label + " answered " + r.status() + ": "
                    + memberError(r, label).text());
        }
        return memberError(r, label);
    }

    private ApiResponse call(ApiRequest request) {
        ApiResponse r = caller.call(request);
        if (!r.ok()) {
            MailchimpError e = memberError(r, request.label());
            throw new ApiException(SIDE, r.status(), SIDE + " " + request.label() + " answered " + r.status() + ": "
                    + e.text());
        }
        return r;
    }

    private static MailchimpError memberError(ApiResponse r, String label) {
        try {
            return MailchimpError.of(r.status(), JSON.readTree(r.body()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String body = r.body() == null ? "" : r.body().replaceAll("\\s+", " ").strip();
            return new MailchimpError(r.status(), "HTTP " + r.status(), body.length() > 200 ? body.substring(0, 200) : body);
        }
    }

    private static String abbreviate(String s) {
        String oneLine = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }

    private static JsonNode tree(ApiResponse r, String label) {
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n == null || !n.isObject()) {
                throw new ApiException(SIDE, r.status(), SIDE + " " + label + " returned no JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + label + " returned a body that is not JSON");
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

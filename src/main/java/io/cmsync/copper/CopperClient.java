package io.cmsync.copper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.cmsync.http.ApiException;
import io.cmsync.http.ApiRequest;
import io.cmsync.http.ApiResponse;
import io.cmsync.http.RateLimiter;
import io.cmsync.http.RetryingCaller;

/** The Copper Developer API v1 calls the sync makes (CONTRACT.md §3, §4). */
public final class CopperClient {
    public static final String SIDE = "Copper";
    /** Copper's bulk endpoints take at most 10 people per call (CONTRACT.md §4.8). */
    public static final int BULK_LIMIT = 10;

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final RetryingCaller caller;
    private final io.cmsync.http.ServerClock serverClock = new io.cmsync.http.ServerClock();
    private final RateLimiter bulkLimiter;

    public CopperClient(RetryingCaller caller, RateLimiter bulkLimiter) {
        this.caller = caller;
        this.bulkLimiter = bulkLimiter;
    }

    /** Result of one person in a bulk call: the person, or the error Copper gave for it. */
    public record BulkItem(CopperPerson person, String error) {
        public boolean ok() {
            return person != null;
        }
    }

    /** Copper returns at most the first 100,000 results of a search, whatever the paging (CONTRACT.md §3). */
    public static final int SEARCH_CAP = 100_000;

    /**
     * One page of people sorted by {@code date_modified} ascending (pages do not shift under edits made while reading,
     * and the last date seen is a cursor past the 100,000-result cap).
     *
     * @param minimumModified Unix seconds, inclusive; null for every person
     */
    public List<CopperPerson> searchPage(Long minimumModified, int pageNumber, int pageSize) {
        return search(minimumModified, pageNumber, pageSize, "asc").people();
    }

    /**
     * A page of a search and its {@code X-PW-TOTAL} header, which Copper documents as an upper bound of the matches
     * ({@code -1} when the header is missing or unreadable).
     */
    public record PeoplePage(List<CopperPerson> people, long totalUpperBound) { }

    /** {@link #searchPage} with the search's total: a reader can stop without asking for an empty last page. */
    public PeoplePage search(Long minimumModified, int pageNumber, int pageSize, String direction) {
        return search(minimumModified, null, pageNumber, pageSize, direction);
    }

    private PeoplePage search(Long minimumModified, Long maximumModified, int pageNumber, int pageSize, String direction) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("page_number", pageNumber);
        body.put("page_size", pageSize);
        body.put("sort_by", "date_modified");
        body.put("sort_direction", direction);
        if (minimumModified != null) {
            body.put("minimum_modified_date", minimumModified);
        }
        if (maximumModified != null) {
            body.put("maximum_modified_date", maximumModified);
        }
        ApiResponse r = call(ApiRequest.post("people/search", write(body), "POST people/search"));
        List<CopperPerson> people = read(r, new TypeReference<List<CopperPerson>>() { }, "POST people/search");
        return new PeoplePage(people == null ? List.of() : people, total(r.header("X-PW-TOTAL")));
    }

    /**
     * How many people changed since a date (an upper bound, see {@link PeoplePage}) and the newest change: one call of
     * one result, sorted newest first.
     */
    public ChangeCount changedSince(Long minimumModified) {
        return changedBetween(minimumModified, null);
    }

    /** {@link #changedSince}, of the people modified no later than {@code maximumModified} too (null: no bound). */
    public ChangeCount changedBetween(Long minimumModified, Long maximumModified) {
        PeoplePage page = search(minimumModified, maximumModified, 1, 1, "desc");
        Long newest = page.people().isEmpty() ? null : page.people().get(0).dateModified();
        return new ChangeCount(page.totalUpperBound(), newest);
    }

    /** See {@link #changedSince}: {@code total} is -1 when Copper did not say. */
    public record ChangeCount(long total, Long newest) { }

    private static long total(String header) {
        if (header == null || !header.strip().matches("\\d{1,18}")) {
            return -1;
        }
        return Long.parseLong(header.strip());
    }

    /** The people with these ids (at most 200 per call); deleted ones are simply absent. */
    public List<CopperPerson> byIds(List<Long> ids) {
        if (ids.size() > 200) {
            throw new IllegalArgumentException("at most 200 ids per search");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ids", ids);
        body.put("page_size", 200);
        body.put("page_number", 1);
        ApiResponse r = call(ApiRequest.post("people/search", write(body), "POST people/search"));
        return read(r, new TypeReference<List<CopperPerson>>() { }, "POST people/search");
    }

    /**
     * The account's custom field definitions (CONTRACT.md §7.1: {@code GET /custom_field_definitions}, one array, not
     * paged), for the field mapping: id, name, data type, entities, options of Dropdown / MultiSelect.
     */
    public List<io.cmsync.mapping.Definitions.CustomFieldDef> customFieldDefinitions() {
        String label = "GET custom_field_definitions";
        ApiResponse r = call(ApiRequest.get("custom_field_definitions", null, label));
        JsonNode defs = read(r, new TypeReference<JsonNode>() { }, label);
        if (!defs.isArray()) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + label + " returned no JSON array: "
                    + abbreviate(r.body()));
        }
        List<io.cmsync.mapping.Definitions.CustomFieldDef> out = new ArrayList<>();
        for (JsonNode d : defs) {
            List<String> on = new ArrayList<>();
            d.path("available_on").forEach(e -> on.add(e.asText()));
            List<io.cmsync.mapping.Definitions.CustomFieldDef.Option> options = new ArrayList<>();
            d.path("options").forEach(o -> options.add(new io.cmsync.mapping.Definitions.CustomFieldDef.Option(
                    o.path("id").asLong(), o.path("name").asText(""), o.path("rank").asInt(options.size()))));
            out.add(new io.cmsync.mapping.Definitions.CustomFieldDef(d.path("id").asLong(), d.path("name").asText(""),
                    d.path("data_type").asText(""), on, options));
        }
        return out;
    }

    /** The account: a cheap call that checks the URL and the credentials. */
    public JsonNode account() {
        ApiResponse r = call(ApiRequest.get("account", null, "GET account"));
        return read(r, new TypeReference<JsonNode>() { }, "GET account");
    }

    /**
     * The person having this e-mail (CONTRACT.md §4.3), or empty when Copper answers 404. Used to recognise a person
     * that a retried create already made (e-mails are unique in Copper).
     */
    public java.util.Optional<CopperPerson> fetchByEmail(String email) {
        String label = "POST people/fetch_by_email";
        ApiResponse r = sent(ApiRequest.post("people/fetch_by_email", write(Map.of("email", email)), label));
        if (r.status() == 404) {
            return java.util.Optional.empty();
        }
        if (!r.ok()) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + label + " answered " + r.status() + ": "
                    + message(r.body()));
        }
        CopperPerson p = read(r, new TypeReference<CopperPerson>() { }, label);
        return p == null || p.id() == null ? java.util.Optional.empty() : java.util.Optional.of(p);
    }

    /** A bulk item refused because the e-mail exists: after a retried call, usually our own earlier attempt. */
    public static boolean alreadyTaken(String error) {
        return error != null && error.contains("has already been taken");
    }

    public List<BulkItem> bulkCreate(List<Map<String, Object>> people) {
        return bulk("people/bulk_create", people);
    }

    public List<BulkItem> bulkUpdate(List<Map<String, Object>> people) {
        return bulk("people/bulk_update", people);
    }

    private List<BulkItem> bulk(String path, List<Map<String, Object>> people) {
        if (people.size() > BULK_LIMIT) {
            throw new IllegalArgumentException("at most " + BULK_LIMIT + " people per bulk call");
        }
        RateLimiter.Permit permit = bulkLimiter.acquire();
        String label = "POST " + path;
        ApiResponse r;
        try {
            r = call(ApiRequest.post(path, write(Map.of("people", people)), label));
        } finally {
            permit.done();
        }
        JsonNode items = read(r, new TypeReference<JsonNode>() { }, label);
        List<BulkItem> result = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            JsonNode item = items.isArray() && i < items.size() ? items.get(i) : null;
            if (item != null && item.path("id").isNumber() && !item.has("success")) {
                CopperPerson person;
                try {
                    person = JSON.convertValue(item, CopperPerson.class);
                } catch (IllegalArgumentException e) {
                    // created or updated, but answered in a shape we cannot read: say so for this person
                    result.add(new BulkItem(null, "réponse illisible de Copper pour cette personne: "
                            + abbreviate(item.toString())));
                    continue;
                }
                result.add(new BulkItem(person, null));
            } else {
                result.add(new BulkItem(null, item == null ? "no result for this person" : bulkError(item)));
            }
        }
        return result;
    }

    private static String bulkError(JsonNode item) {
        JsonNode message = item.path("message");
        if (message.isTextual()) {
            return message.asText();
        }
        List<String> parts = new ArrayList<>();
        message.fields().forEachRemaining(f -> {
            List<String> errors = new ArrayList<>();
            f.getValue().forEach(e -> errors.add(e.path("error").asText(e.asText())));
            parts.add(f.getKey() + ": " + String.join(", ", errors));
        });
        return parts.isEmpty() ? item.toString() : String.join("; ", parts);
    }

    /** One person as Copper returns it (full JSON), or empty when Copper does not know the id (404). */
    public java.util.Optional<JsonNode> person(long id) {
        String label = "GET people/{id}";
        ApiResponse r = sent(ApiRequest.get("people/" + id, null, label));
        if (r.status() == 404) {
            return java.util.Optional.empty();
        }
        check(r, label);
        return java.util.Optional.of(read(r, new TypeReference<JsonNode>() { }, label));
    }

    /** Replaces the person's tags with exactly {@code tags} (Copper takes the complete array, CONTRACT.md §4.6). */
    public JsonNode updateTags(long id, List<String> tags) {
        String label = "PUT people/{id}";
        ApiResponse r = call(ApiRequest.put("people/" + id, write(Map.of("tags", tags)), label));
        return read(r, new TypeReference<JsonNode>() { }, label);
    }

    /** Deletes the person for good (CONTRACT.md §4.7). Returns false when Copper no longer knew it (404). */
    public boolean deletePerson(long id) {
        String label = "DELETE people/{id}";
        ApiResponse r = sent(new ApiRequest("DELETE", "people/" + id, null, null, label));
        if (r.status() == 404) {
            return false;
        }
        check(r, label);
        return true;
    }

    private static void check(ApiResponse r, String label) {
        if (!r.ok()) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + label + " answered " + r.status() + ": "
                    + message(r.body()));
        }
    }

    /** Copper's own time at its latest answer (its {@code Date} header), or null when it sent none. */
    public java.time.Instant serverTime() {
        return serverClock.latest();
    }

    /** Whether this client has had an answer at all (then a null {@link #serverTime()} means no {@code Date}). */
    public boolean answered() {
        return serverClock.answered();
    }

    /** Every call goes through here: the answer's {@code Date} is the server's time after it. */
    private ApiResponse sent(ApiRequest request) {
        ApiResponse r = caller.call(request);
        serverClock.saw(r);
        return r;
    }

    private ApiResponse call(ApiRequest request) {
        ApiResponse r = sent(request);
        if (!r.ok()) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + request.label() + " answered " + r.status() + ": "
                    + message(r.body()));
        }
        return r;
    }

    /** Copper's error text: {@code {"success":false,"status":422,"message":"..."}} or {@code {"error":"..."}}. */
    static String message(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n.hasNonNull("message")) {
                return n.get("message").asText();
            }
            if (n.hasNonNull("error")) {
                return n.get("error").asText();
            }
        } catch (JsonProcessingException | IllegalArgumentException ignored) {
            // not JSON: fall through
        }
        return body == null || body.isBlank() ? "(empty body)" : abbreviate(body);
    }

    static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(ApiResponse r, TypeReference<T> type, String label) {
        try {
            T value = JSON.readValue(r.body(), type);
            if (value == null) {
                throw new ApiException(SIDE, r.status(), SIDE + " " + label + " returned an empty JSON body (null)");
            }
            return value;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + label + " returned a body that is not the expected JSON: "
                    + abbreviate(r.body()));
        }
    }
}

package io.cmsync.mailchimp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.cmsync.http.ApiException;
import io.cmsync.http.ApiRequest;
import io.cmsync.http.ApiResponse;
import io.cmsync.http.RetryingCaller;

/**
 * The Mailchimp Marketing API v3 calls the sync makes (CONTRACT.md §4).
 *
 * <p>Batch operations ({@link #submitMemberUpdates}, {@link #awaitMemberUpdates}, CONTRACT.md §4.13): {@code POST /batches} and
 * {@code GET /batches/{id}} go through the API transport like every call (credentials, retries, the Camel route);
 * the results archive is fetched from {@code response_body_url} by a {@link ResultsDownloader}, by default a plain
 * {@code java.net.http} GET <em>without</em> the API credentials: the URL is a pre-signed one on another host (S3)
 * and the API key must never travel there, so it does not go through the {@code mailchimp-api} route (bound to the
 * API base URL, where the key is added).
 */
public final class MailchimpClient {
    private static final Logger LOG = LoggerFactory.getLogger(MailchimpClient.class);
    public static final String SIDE = "Mailchimp";
    /** Batch subscribe and static segment calls take at most 500 members (CONTRACT.md §6). */
    public static final int BATCH_LIMIT = 500;
    /**
     * Operations per {@code POST /batches}: Mailchimp publishes no cap per batch, 500 keeps each results archive
     * small and matches the other bulk limits, so n member updates cost ⌈n/500⌉ batches.
     */
    public static final int BATCH_OPERATIONS_LIMIT = 500;
    /** First wait before polling a batch, doubled each poll up to {@link #POLL_MAX_MS}. */
    static final long POLL_FIRST_MS = 500;
    static final long POLL_MAX_MS = 10_000;
    private static final String MEMBER_FIELDS = "members.id,members.email_address,members.status,"
            + "members.merge_fields,members.tags,members.tags_count,members.last_changed,total_items";
    /** Tags per member-tags call: the endpoint's maximum (CONTRACT.md §4.9). */
    static final int MEMBER_TAGS_PAGE = 1000;
    private static final String MEMBER_TAGS_FIELDS = "tags.id,tags.name,total_items";

    /** What a batch poll needs, by id and in the listing. */
    private static final String BATCH_FIELDS = "id,status,response_body_url,finished_operations,total_operations";
    private static final String BATCH_LIST_FIELDS = "total_items,batches.id,batches.status,batches.response_body_url,"
            + "batches.finished_operations,batches.total_operations";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final RetryingCaller caller;
    private final io.cmsync.http.ServerClock serverClock = new io.cmsync.http.ServerClock();
    private final String listId;
    private final ResultsDownloader downloader;
    private final LongConsumer sleeper;
    private final Duration batchMaxWait;

    /** Fetches a batch's results archive from its pre-signed URL (no API credentials). */
    @FunctionalInterface
    public interface ResultsDownloader {
        /** The archive's bytes; {@link ApiException} with the HTTP status when refused (403 = expired URL). */
        byte[] download(String url);
    }

    public MailchimpClient(RetryingCaller caller, String listId) {
        this(caller, listId, httpDownloader(Duration.ofSeconds(120)), RetryingCaller.threadSleep(), Duration.ofMinutes(10));
    }

    /**
     * @param batchMaxWait how long {@link #awaitMemberUpdates} waits for a batch to finish before giving up on it
     */
    public MailchimpClient(RetryingCaller caller, String listId, ResultsDownloader downloader, LongConsumer sleeper,
                           Duration batchMaxWait) {
        this.caller = caller;
        this.listId = listId;
        this.downloader = downloader;
        this.sleeper = sleeper;
        this.batchMaxWait = batchMaxWait;
    }

    /**
     * One member update: the body of {@link #updateMember}, PUT with {@code status_if_new} only; {@code mergeFields}
     * the merge fields to write (the names under FNAME and LNAME by default, and the mapped fields).
     */
    public record MemberUpdate(String email, String statusIfNew, String firstName, String lastName,
                               Map<String, Object> mergeFields) {
        public MemberUpdate(String email, String statusIfNew, String firstName, String lastName) {
            this(email, statusIfNew, firstName, lastName, MailchimpMapping.mergeFields(firstName, lastName));
        }
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
            MailchimpMember member;
            try {
                member = m.isObject() ? JSON.convertValue(m, MailchimpMember.class) : null;
                if (member == null) {
                    throw new IllegalArgumentException("not an object");
                }
            } catch (IllegalArgumentException e) {
                // a member we cannot read must not pass for an absent one: the page fails, clearly
                throw new ApiException(SIDE, r.status(), SIDE + " " + label + " returned a member that is not the "
                        + "expected JSON: " + abbreviate(m.toString()));
            }
            members.add(member.tagsTruncated() ? complete(member) : member);
        }
        return new MembersPage(members, n.path("total_items").asInt(members.size()));
    }

    /**
     * The member with all its tags: a listed member shows 50 at most, {@code tags_count} says how many it has
     * (CONTRACT.md §3). Only then is the member-tags endpoint called, so a member with 50 tags or fewer costs nothing
     * more. A member gone since the listing (404) is kept as listed: the next run sees it gone.
     */
    private MailchimpMember complete(MailchimpMember member) {
        String hash = member.id() != null && !member.id().isBlank() ? member.id()
                : MailchimpMapping.subscriberHash(member.emailAddress());
        List<MailchimpMember.Tag> all = memberTags(hash);
        return all == null ? member : member.withTags(all);
    }

    /**
     * Every tag of a member, from {@code GET /lists/{list_id}/members/{subscriber_hash}/tags} in pages of
     * {@value #MEMBER_TAGS_PAGE} until {@code total_items}; null when the member is unknown (404).
     */
    List<MailchimpMember.Tag> memberTags(String subscriberHash) {
        String label = "GET lists/{list_id}/members/{subscriber_hash}/tags";
        List<MailchimpMember.Tag> tags = new ArrayList<>();
        while (true) {
            ApiResponse r = sent(ApiRequest.get("lists/" + listId + "/members/" + subscriberHash + "/tags",
                    "count=" + MEMBER_TAGS_PAGE + "&offset=" + tags.size() + "&fields=" + MEMBER_TAGS_FIELDS, label));
            if (r.status() == 404) {
                return null;
            }
            if (!r.ok()) {
                throw new ApiException(SIDE, r.status(), SIDE + " " + label + " answered " + r.status() + ": "
                        + memberError(r, label).text());
            }
            JsonNode n = tree(r, label);
            JsonNode page = n.path("tags");
            if (!page.isArray() && !page.isMissingNode() && !page.isNull()) {
                throw new ApiException(SIDE, r.status(), SIDE + " " + label + " returned tags that are not a JSON array");
            }
            for (JsonNode t : page) {
                String name = t.path("name").asText("");
                if (!name.isBlank()) {
                    tags.add(new MailchimpMember.Tag(t.path("id").isNumber() ? t.path("id").asLong() : null, name));
                }
            }
            // a short page ends the list even if total_items was larger: never loop on a shrinking list
            if (page.size() < MEMBER_TAGS_PAGE || tags.size() >= n.path("total_items").asInt(0)) {
                return tags;
            }
        }
    }

    /**
     * How many members of a listing ({@code status} null: the default listing) changed since a date, and the newest
     * (or, {@code newestFirst} false, the oldest) of those changes: one call of one member, sorted by
     * {@code last_changed}.
     */
    public ChangeCount changedSince(String status, String sinceLastChanged, boolean newestFirst) {
        return changedBetween(status, sinceLastChanged, null, newestFirst);
    }

    /** {@link #changedSince}, of the members changed before {@code beforeLastChanged} too (null: no bound). */
    public ChangeCount changedBetween(String status, String sinceLastChanged, String beforeLastChanged,
                                      boolean newestFirst) {
        String query = "count=1&offset=0&fields=members.last_changed,total_items&sort_field=last_changed&sort_dir="
                + (newestFirst ? "DESC" : "ASC")
                + (status == null ? "" : "&status=" + status)
                + (sinceLastChanged == null ? ""
                        : "&since_last_changed=" + URLEncoder.encode(sinceLastChanged, StandardCharsets.UTF_8))
                + (beforeLastChanged == null ? ""
                        : "&before_last_changed=" + URLEncoder.encode(beforeLastChanged, StandardCharsets.UTF_8));
        String label = "GET lists/{list_id}/members";
        JsonNode n = tree(call(ApiRequest.get("lists/" + listId + "/members", query, label)), label);
        JsonNode first = n.path("members").path(0).path("last_changed");
        java.time.Instant newest = null;
        if (first.isTextual() && !first.asText().isBlank()) {
            try {
                newest = java.time.OffsetDateTime.parse(first.asText()).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                throw new ApiException(SIDE, 200, SIDE + " " + label + " returned an unreadable last_changed: "
                        + abbreviate(first.asText()));
            }
        }
        return new ChangeCount(n.path("total_items").asLong(-1), newest);
    }

    /** See {@link #changedSince}: {@code total} is -1 when Mailchimp did not say; {@code newest} is the member returned. */
    public record ChangeCount(long total, java.time.Instant newest) { }

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
            String field = e.path("field").asText("");
            errors.put(e.path("email_address").asText("").toLowerCase(Locale.ROOT),
                    new MailchimpError(400, code, text, field.isBlank() ? Map.of()
                            : Map.of(field.strip(), e.path("field_message").asText(""))));
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
        return updateMember(email, statusIfNew, MailchimpMapping.mergeFields(firstName, lastName));
    }

    /** Upsert of the given merge fields with {@code status_if_new} only: never changes an existing member's status. */
    public MemberResult updateMember(String email, String statusIfNew, Map<String, Object> mergeFields) {
        String label = "PUT lists/{list_id}/members/{subscriber_hash}";
        ApiResponse r = sent(ApiRequest.put(memberPath(email), write(updateBody(email, statusIfNew, mergeFields)),
                label));
        if (r.ok()) {
            return new MemberResult(email, null);
        }
        return new MemberResult(email, memberError(r, label));
    }

    private static Map<String, Object> updateBody(String email, String statusIfNew, Map<String, Object> mergeFields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email_address", email);
        body.put("status_if_new", statusIfNew);
        body.put("merge_fields", mergeFields);
        return body;
    }

    /** Name updates submitted as batch operations whose results have not been read yet. */
    public record SubmittedUpdates(List<String> batchIds, List<MemberUpdate> updates) {
    }

    /**
     * Submits name updates as Mailchimp batch operations (the same PUTs as {@link #updateMember}: status_if_new
     * only, never {@code status}), one {@code POST /batches} per
     * {@value #BATCH_OPERATIONS_LIMIT}, without waiting for them: Mailchimp runs them while the caller goes on.
     *
     * @throws ApiException when a batch cannot be submitted (batches submitted before it may still run)
     */
    public SubmittedUpdates submitMemberUpdates(List<MemberUpdate> updates) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < updates.size(); i += BATCH_OPERATIONS_LIMIT) {
            ids.add(submitBatch(updates.subList(i, Math.min(updates.size(), i + BATCH_OPERATIONS_LIMIT))));
        }
        return new SubmittedUpdates(List.copyOf(ids), List.copyOf(updates));
    }

    /**
     * Waits for submitted batches to finish, polling them together with a back-off (0.5 s, 1 s, 2 s… capped at
     * 10 s), and reads each results archive. Returns, per submission, one result per update in order: a refused
     * operation carries Mailchimp's problem (forgotten and compliance-state addresses are recognised as with
     * {@link #updateMember}); a batch that did not finish within the maximum wait or whose results could not be read
     * gives each of its updates that failure (the operations may still have run: the caller treats them as not done).
     */
    public List<List<MemberResult>> awaitMemberUpdates(List<SubmittedUpdates> submitted) {
        List<String> ids = new ArrayList<>();
        submitted.forEach(s -> ids.addAll(s.batchIds()));
        Map<String, BatchOutcome> outcomes = awaitResults(ids);
        List<List<MemberResult>> all = new ArrayList<>();
        for (SubmittedUpdates s : submitted) {
            List<MemberResult> results = new ArrayList<>();
            for (int b = 0; b < s.batchIds().size(); b++) {
                String id = s.batchIds().get(b);
                BatchOutcome outcome = outcomes.get(id);
                for (MemberUpdate u : s.updates().subList(b * BATCH_OPERATIONS_LIMIT,
                        Math.min(s.updates().size(), (b + 1) * BATCH_OPERATIONS_LIMIT))) {
                    String opId = MailchimpMapping.subscriberHash(u.email());
                    if (outcome.failure() != null) {
                        results.add(new MemberResult(u.email(), new MailchimpError(outcome.failure().status(), "Batch",
                                outcome.failure().getMessage())));
                    } else if (!outcome.byOperation().containsKey(opId)) {
                        results.add(new MemberResult(u.email(), new MailchimpError(0, "Batch",
                                "no result for this operation in batch " + id)));
                    } else {
                        results.add(new MemberResult(u.email(), outcome.byOperation().get(opId)));
                    }
                }
            }
            all.add(results);
        }
        return all;
    }

    /** A batch's results by operation id (null = done), or why they could not be had. */
    private record BatchOutcome(Map<String, MailchimpError> byOperation, ApiException failure) {
    }

    private String submitBatch(List<MemberUpdate> chunk) {
        List<Map<String, Object>> operations = new ArrayList<>();
        for (MemberUpdate u : chunk) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("method", "PUT");
            op.put("path", "/" + memberPath(u.email()));
            op.put("body", write(updateBody(u.email(), u.statusIfNew(), u.mergeFields())));
            op.put("operation_id", MailchimpMapping.subscriberHash(u.email()));
            operations.add(op);
        }
        String label = "POST batches";
        JsonNode n = tree(call(ApiRequest.post("batches", write(Map.of("operations", operations)), label)), label);
        String id = n.path("id").asText("");
        if (id.isEmpty()) {
            throw new ApiException(SIDE, 200, SIDE + " " + label + " returned no batch id");
        }
        LOG.debug("Mailchimp batch {} submitted: {} operation(s)", id, chunk.size());
        return id;
    }

    /**
     * Waits for the batches to finish and reads their results. While two or more are pending, a poll round is one
     * {@code GET /batches} listing instead of one {@code GET /batches/{id}} each; a batch the listing does not show
     * (its order is not documented, and it holds the account's batches of the last 7 days) is asked for by id.
     */
    private Map<String, BatchOutcome> awaitResults(List<String> ids) {
        Map<String, BatchOutcome> done = new HashMap<>();
        Map<String, JsonNode> pending = new LinkedHashMap<>();
        ids.forEach(id -> pending.put(id, null));
        long waited = 0;
        long wait = POLL_FIRST_MS;
        while (!pending.isEmpty()) {
            sleeper.accept(wait);
            waited += wait;
            Map<String, JsonNode> listed = pending.size() >= 2 ? listBatches() : Map.of();
            for (String id : List.copyOf(pending.keySet())) {
                try {
                    JsonNode n = listed.containsKey(id) ? listed.get(id) : batchStatus(id);
                    pending.put(id, n);
                    String url = n.path("response_body_url").asText("");
                    if ("finished".equals(n.path("status").asText("")) && !url.isEmpty()) {
                        done.put(id, new BatchOutcome(download(id, url), null));
                        pending.remove(id);
                    }
                } catch (ApiException e) {
                    done.put(id, new BatchOutcome(Map.of(), e));
                    pending.remove(id);
                }
            }
            if (!pending.isEmpty() && waited >= batchMaxWait.toMillis()) {
                for (Map.Entry<String, JsonNode> e : pending.entrySet()) {
                    JsonNode n = e.getValue();
                    done.put(e.getKey(), new BatchOutcome(Map.of(), new ApiException(SIDE, 0, SIDE + " batch "
                            + e.getKey() + " not finished after " + waited / 1000 + " s (status "
                            + n.path("status").asText("") + ", " + n.path("finished_operations").asInt() + "/"
                            + n.path("total_operations").asInt() + " operations)")));
                }
                pending.clear();
            }
            wait = Math.min(Math.max(POLL_FIRST_MS, wait * 2), Math.min(POLL_MAX_MS, batchMaxWait.toMillis() - waited));
        }
        return done;
    }

    private JsonNode batchStatus(String id) {
        String label = "GET batches/{batch_id}";
        return tree(call(ApiRequest.get("batches/" + id, "fields=" + BATCH_FIELDS, label)), label);
    }

    /**
     * The account's batches of the last 7 days, first page of 1000 (the maximum), by id; empty when the listing
     * fails, so that the round polls each batch by id instead.
     */
    private Map<String, JsonNode> listBatches() {
        String label = "GET batches";
        Map<String, JsonNode> byId = new HashMap<>();
        try {
            JsonNode n = tree(call(ApiRequest.get("batches", "count=1000&fields=" + BATCH_LIST_FIELDS, label)), label);
            n.path("batches").forEach(b -> byId.put(b.path("id").asText(""), b));
        } catch (ApiException e) {
            LOG.warn("Mailchimp batches listing failed, polling each batch: {}", e.getMessage());
        }
        return byId;
    }

    /** The results archive; the pre-signed URL lives 10 minutes, so an expired one (403) is asked for once more. */
    private Map<String, MailchimpError> download(String id, String url) {
        try {
            return parseResults(downloader.download(url), id);
        } catch (ApiException e) {
            if (e.status() != 403) {
                throw e;
            }
            String fresh = batchStatus(id).path("response_body_url").asText("");
            return parseResults(downloader.download(fresh), id);
        }
    }

    /** The gzipped tar of JSON files, each an array of {status_code, operation_id, response (JSON string)}. */
    static Map<String, MailchimpError> parseResults(byte[] archive, String batchId) {
        Map<String, MailchimpError> out = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (!e.isFile() || !e.getName().endsWith(".json")) {
                    continue;
                }
                JsonNode results = JSON.readTree(tar.readAllBytes());
                if (results == null || !results.isArray()) {
                    continue;
                }
                for (JsonNode r : results) {
                    int status = r.path("status_code").asInt(0);
                    String opId = r.path("operation_id").asText("");
                    out.put(opId, status >= 200 && status < 300 ? null : operationError(status, r.path("response").asText("")));
                }
            }
        } catch (IOException e) {
            throw new ApiException(SIDE, 0, SIDE + " batch " + batchId + ": results archive unreadable ("
                    + e.getClass().getSimpleName() + ")");
        }
        return out;
    }

    private static MailchimpError operationError(int status, String response) {
        try {
            JsonNode problem = JSON.readTree(response);
            if (problem != null && problem.isObject()) {
                return MailchimpError.of(status, problem);
            }
        } catch (JsonProcessingException ignored) {
            // not JSON: keep the text
        }
        String text = response.replaceAll("\\s+", " ").strip();
        return new MailchimpError(status, "HTTP " + status, text.length() > 200 ? text.substring(0, 200) : text);
    }

    /** A plain GET of a pre-signed URL, without credentials; 2 attempts on a failure without an answer or a 5xx. */
    public static ResultsDownloader httpDownloader(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        return url -> {
            for (int attempt = 1; ; attempt++) {
                try {
                    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
                            .build(), HttpResponse.BodyHandlers.ofInputStream());
                    try (InputStream in = r.body()) {
                        byte[] bytes = in.readAllBytes();
                        if (r.statusCode() == 200) {
                            return bytes;
                        }
                        if (r.statusCode() < 500 || attempt >= 2) {
                            throw new ApiException(SIDE, r.statusCode(), SIDE + " batch results download answered "
                                    + r.statusCode());
                        }
                    }
                } catch (IOException e) {
                    if (attempt >= 2) {
                        throw new ApiException(SIDE, 0, SIDE + " batch results download failed ("
                                + e.getClass().getSimpleName() + ")");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ApiException(SIDE, 0, SIDE + " batch results download interrupted");
                }
            }
        };
    }

    /**
     * Brings back a member this product archived (deletion workflow), with its names: the one write that sets
     * {@code status}, used only for members whose archiving the synced state attributes to the product.
     */
    public MemberResult restoreMember(String email, String status, String firstName, String lastName) {
        return restoreMember(email, status, MailchimpMapping.mergeFields(firstName, lastName));
    }

    /** {@link #restoreMember(String, String, String, String)} with the merge fields to write. */
    public MemberResult restoreMember(String email, String status, Map<String, Object> mergeFields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email_address", email);
        body.put("status_if_new", status);
        body.put("status", status);
        body.put("merge_fields", mergeFields);
        String label = "PUT lists/{list_id}/members/{subscriber_hash}";
        ApiResponse r = sent(ApiRequest.put("lists/" + listId + "/members/" + MailchimpMapping.subscriberHash(email),
                write(body), label));
        return r.ok() ? new MemberResult(email, null) : new MemberResult(email, memberError(r, label));
    }

    private static final String MERGE_FIELD_FIELDS = "merge_fields.tag,merge_fields.name,merge_fields.type,"
            + "merge_fields.required,merge_fields.default_value,merge_fields.options,total_items";

    /**
     * The audience's merge fields (CONTRACT.md §4.12), every page of 1000 (the maximum; an audience has at most 30),
     * trimmed with {@code fields=} to what the field mapping checks.
     */
    public List<io.cmsync.mapping.Definitions.MergeFieldDef> mergeFields() {
        List<io.cmsync.mapping.Definitions.MergeFieldDef> out = new ArrayList<>();
        int offset = 0;
        while (true) {
            String label = "GET lists/{list_id}/merge-fields";
            ApiResponse r = call(ApiRequest.get("lists/" + listId + "/merge-fields",
                    "count=1000&offset=" + offset + "&fields=" + MERGE_FIELD_FIELDS, label));
            JsonNode n = tree(r, label);
            JsonNode fields = n.path("merge_fields");
            fields.forEach(f -> out.add(mergeFieldDef(f)));
            offset += fields.size();
            if (fields.size() < 1000 || offset >= n.path("total_items").asInt()) {
                return out;
            }
        }
    }

    /** Creates a merge field (POST lists/{id}/merge-fields) and returns it as the audience now defines it. */
    public io.cmsync.mapping.Definitions.MergeFieldDef createMergeField(io.cmsync.mapping.Definitions.MergeFieldDef def) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tag", def.tag());
        body.put("name", def.name());
        body.put("type", def.type());
        body.put("required", def.required());
        body.put("default_value", def.defaultValue() == null ? "" : def.defaultValue());
        body.put("public", false);
        if (def.options() != null && def.options().size() > 0) {
            body.put("options", def.options());
        }
        String label = "POST lists/{list_id}/merge-fields";
        ApiResponse r = call(ApiRequest.post("lists/" + listId + "/merge-fields", write(body), label));
        return mergeFieldDef(tree(r, label));
    }

    private static io.cmsync.mapping.Definitions.MergeFieldDef mergeFieldDef(JsonNode f) {
        JsonNode options = f.path("options");
        return new io.cmsync.mapping.Definitions.MergeFieldDef(f.path("tag").asText(""), f.path("name").asText(""),
                f.path("type").asText(""), f.path("required").asBoolean(false), f.path("default_value").asText(""),
                options.isObject() ? options : JSON.createObjectNode());
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

    /**
     * The member as Mailchimp returns it (full JSON, any status), or empty when the address is unknown (404). When
     * {@code tags_count} says it has more tags than its {@code tags} array shows (50 at most), that array is replaced
     * by all of them ({@code {id, name}}, from the member-tags endpoint), so that the archive record keeps them all.
     */
    public java.util.Optional<JsonNode> member(String email) {
        String label = "GET lists/{list_id}/members/{subscriber_hash}";
        ApiResponse r = sent(ApiRequest.get(memberPath(email), null, label));
        if (r.status() == 404) {
            return java.util.Optional.empty();
        }
        if (!r.ok()) {
            throw new ApiException(SIDE, r.status(), SIDE + " " + label + " answered " + r.status() + ": "
                    + memberError(r, label).text());
        }
        JsonNode member = tree(r, label);
        JsonNode shown = member.path("tags");
        int count = member.path("tags_count").asInt(0);
        if (count > (shown.isArray() ? shown.size() : 0)) {
            String id = member.path("id").asText("");
            List<MailchimpMember.Tag> all = memberTags(id.isBlank() ? MailchimpMapping.subscriberHash(email) : id);
            if (all != null) {
                com.fasterxml.jackson.databind.node.ArrayNode tags = ((com.fasterxml.jackson.databind.node.ObjectNode)
                        member).putArray("tags");
                all.forEach(t -> tags.addObject().put("id", t.id()).put("name", t.name()));
            }
        }
        return java.util.Optional.of(member);
    }

    /**
     * Archives the member (DELETE, recoverable; CONTRACT.md §4.7). Null when done (204), or Mailchimp's refusal: 404
     * for an unknown address, 405 for a pending, cleaned or already archived member.
     */
    public MailchimpError archiveMember(String email) {
        String label = "DELETE lists/{list_id}/members/{subscriber_hash}";
        return outcome(sent(new ApiRequest("DELETE", memberPath(email), null, null, label)), label);
    }

    /** Sets the member's status to unsubscribed (PATCH). Null when done, else Mailchimp's refusal. */
    public MailchimpError unsubscribe(String email) {
        String label = "PATCH lists/{list_id}/members/{subscriber_hash}";
        return outcome(sent(new ApiRequest("PATCH", memberPath(email), null,
                write(Map.of("status", "unsubscribed")), label)), label);
    }

    /**
     * Deletes the member permanently (CONTRACT.md §4.8): the address can never be re-imported through the API.
     * Null when done (204), else Mailchimp's refusal (404 for an unknown address).
     */
    public MailchimpError deletePermanent(String email) {
        String label = "POST lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent";
        return outcome(sent(ApiRequest.post(memberPath(email) + "/actions/delete-permanent", null, label)), label);
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

    /** Mailchimp's own time at its latest answer (its {@code Date} header), or null when it sent none. */
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

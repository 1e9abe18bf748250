package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmsync.sandbox.Http.HttpError;
import io.cmsync.sandbox.Http.Req;
import io.cmsync.sandbox.Http.Resp;
import io.cmsync.sandbox.MailchimpStore.MList;
import io.cmsync.sandbox.MailchimpStore.Member;
import io.cmsync.sandbox.MailchimpStore.Segment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static io.cmsync.sandbox.Http.arr;
import static io.cmsync.sandbox.Http.obj;
import static io.cmsync.sandbox.Http.text;

/** Mailchimp Marketing API v3 handlers. */
final class MailchimpApi {
    static final String PROBLEM = "application/problem+json; charset=utf-8";
    static final String ERR_TYPE = "https://mailchimp.com/developer/marketing/docs/errors/";
    static final Set<String> STATUSES = Set.of("subscribed", "unsubscribed", "cleaned", "pending", "transactional");
    static final String NOT_FOUND_DETAIL = "The requested resource could not be found.";
    static final String VALIDATION_DETAIL =
            "The resource submitted could not be validated. For field-specific details, see the 'errors' array.";

    private final MailchimpStore store;

    MailchimpApi(MailchimpStore store) {
        this.store = store;
    }

    /** A Mailchimp error usable both as an HTTP problem and as a batch error entry. */
    static final class McError extends RuntimeException {
        final int status;
        final String title;
        final String detail;
        final String field;
        final String fieldMessage;
        final String errorCode;
        List<MergeFields.FieldError> fieldErrors; // several errors[] items (merge fields), else null

        McError(int status, String title, String detail, String field, String fieldMessage, String errorCode) {
            super(detail, null, false, false);
            this.status = status;
            this.title = title;
            this.detail = detail;
            this.field = field;
            this.fieldMessage = fieldMessage;
            this.errorCode = errorCode;
        }

        McError(int status, String title, String detail) {
            this(status, title, detail, null, null, "ERROR_GENERIC");
        }

        Resp resp() {
            Resp r = problem(status, title, detail);
            if (fieldErrors != null) {
                ArrayNode errs = ((ObjectNode) r.json).putArray("errors");
                for (MergeFields.FieldError fe : fieldErrors) {
                    errs.addObject().put("field", fe.field()).put("message", fe.message());
                }
            } else if (field != null) {
                ArrayNode errs = ((ObjectNode) r.json).putArray("errors");
                ObjectNode e = errs.addObject();
                e.put("field", field);
                e.put("message", fieldMessage);
            }
            return r;
        }
    }

    static Resp problem(int status, String title, String detail) {
        String id = UUID.randomUUID().toString();
        ObjectNode o = obj();
        o.put("type", ERR_TYPE);
        o.put("title", title);
        o.put("status", status);
        o.put("detail", detail);
        o.put("instance", id);
        return Resp.json(status, o).type(PROBLEM).header("X-Request-Id", id)
                .header("Link", "<https://us1.api.mailchimp.com/schema/3.0/Definitions/ProblemDetailDocument.json>; rel=\"describedBy\"");
    }

    static McError notFound() {
        return new McError(404, "Resource Not Found", NOT_FOUND_DETAIL);
    }

    static McError invalidField(String field, String message) {
        return new McError(400, "Invalid Resource", VALIDATION_DETAIL, field, message, "ERROR_GENERIC");
    }

    static final String MERGE_INVALID = "Your merge fields were invalid.";

    /** The documented 400 for merge values (CONTRACT §4.12): one errors[] item per field. */
    static McError mergeInvalid(List<MergeFields.FieldError> errors) {
        McError e = new McError(400, "Invalid Resource", MERGE_INVALID, errors.get(0).field(), errors.get(0).message(),
                "ERROR_GENERIC");
        e.fieldErrors = List.copyOf(errors);
        return e;
    }

    /**
     * The member's merge values checked against the audience's definitions, before anything changes; throws the
     * documented 400 when one is invalid. {@code adding}: the member is new (required fields must be filled).
     */
    static Map<String, JsonNode> mergeValues(MList l, JsonNode b, boolean adding, Req r) {
        List<MergeFields.FieldError> errors = new ArrayList<>();
        boolean skip = r != null && "true".equalsIgnoreCase(r.q("skip_merge_validation"));
        Map<String, JsonNode> out = l.mergeFields.check(b.get("merge_fields"), adding, skip, errors);
        if (!errors.isEmpty()) {
            throw mergeInvalid(errors);
        }
        return out;
    }

    static McError forgotten(String email) {
        return new McError(400, "Forgotten Email Not Subscribed", email + " was permanently deleted and cannot be re-imported. "
                + "The contact must re-subscribe to get back on the list.");
    }

    static McError compliance(String email) {
        return new McError(400, "Member In Compliance State", email + " is in a compliance state due to unsubscribe, bounce, "
                + "or compliance review and cannot be subscribed.");
    }

    static Resp auth(Req r) {
        String h = r.header("Authorization");
        if (h == null || h.isBlank()) {
            return problem(401, "API Key Missing", "Your request did not include an API key.");
        }
        String key = null;
        String v = h.trim();
        int sp = v.indexOf(' ');
        String scheme = sp < 0 ? v : v.substring(0, sp);
        String cred = sp < 0 ? "" : v.substring(sp + 1).trim();
        if (scheme.equalsIgnoreCase("Basic")) {
            try {
                String dec = new String(Base64.getDecoder().decode(cred), StandardCharsets.UTF_8);
                int c = dec.indexOf(':');
                key = c < 0 ? dec : dec.substring(c + 1);
            } catch (IllegalArgumentException e) {
                key = null;
            }
        } else if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("OAuth") || scheme.equalsIgnoreCase("apikey")) {
            key = cred;
        }
        if (key == null || key.isEmpty()) {
            return problem(401, "API Key Missing", "Your request did not include an API key.");
        }
        if (!SandboxServer.MAILCHIMP_API_KEY.equals(key)) {
            return problem(401, "API Key Invalid",
                    "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode body(Req r) {
        JsonNode b;
        try {
            b = r.json();
        } catch (Http.JsonSyntax e) {
            throw new McError(400, "JSON Parse Exception", "We encountered an unspecified JSON parsing error.");
        }
        if (b.isMissingNode() || b.isNull()) {
            return obj();
        }
        if (!b.isObject()) {
            throw new McError(400, "JSON Parse Exception", "We encountered an unspecified JSON parsing error.");
        }
        return b;
    }

    private MList list(Req r) {
        MList l = store.lists.get(r.param("list_id"));
        if (l == null) {
            throw notFound();
        }
        return l;
    }

    /** The subscriber hash from the URL slot (hash, or e-mail address). */
    static String slotHash(String slot) {
        if (slot == null) {
            throw notFound();
        }
        return slot.contains("@") ? MailchimpStore.hashOf(slot) : slot.toLowerCase(Locale.ROOT);
    }

    private static int intParam(Req r, String name, int dflt) {
        String v = r.q(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw invalidField(name, "This value should be of type integer.");
        }
    }

    private static int count(Req r) {
        int c = intParam(r, "count", 10);
        if (c > 1000) {
            throw invalidField("count", "This value should be less than or equal to 1000.");
        }
        if (c < 0) {
            throw invalidField("count", "This value should be greater than or equal to 0.");
        }
        return c;
    }

    private static int offset(Req r) {
        int o = intParam(r, "offset", 0);
        if (o < 0) {
            throw invalidField("offset", "This value should be greater than or equal to 0.");
        }
        return o;
    }

    private static long isoParam(Req r, String name) {
        String v = r.q(name);
        if (v == null || v.isBlank()) {
            return Long.MIN_VALUE;
        }
        try {
            return MailchimpStore.parseIso(v);
        } catch (IllegalArgumentException e) {
            throw invalidField(name, "This value is not a valid datetime.");
        }
    }

    private static void checkEmail(MList l, String email) {
        if (email == null || email.isBlank()) {
            throw invalidField("email_address", "This value should not be blank.");
        }
        String e = email.trim();
        if (l.forgotten.contains(e.toLowerCase(Locale.ROOT))) {
            throw forgotten(e);
        }
        if (!Http.simpleEmailValid(e)) {
            throw new McError(400, "Invalid Resource", "Please provide a valid email address.", "email_address",
                    "Please provide a valid email address.", "ERROR_GENERIC");
        }
        if (MailchimpStore.looksFake(e)) {
            throw new McError(400, "Invalid Resource", e + " looks fake or invalid, please enter a real email address.");
        }
    }

    private static String statusField(JsonNode b, String field, boolean allowNull) {
        String s = text(b, field);
        if (s == null) {
            if (allowNull) {
                return null;
            }
            throw invalidField(field, "This value should not be blank.");
        }
        if (!STATUSES.contains(s)) {
            throw invalidField(field, "Value must be one of: subscribed, unsubscribed, cleaned, pending, transactional");
        }
        return s;
    }

    /** Changes the status per Mailchimp's compliance rules. Returns true when changed. */
    static boolean setStatus(Member m, String target, long now) {
        if (target == null || target.equals(m.status)) {
            return false;
        }
        boolean blocked = ("subscribed".equals(target) && ("unsubscribed".equals(m.status) || "cleaned".equals(m.status)))
                || ("pending".equals(target) && "cleaned".equals(m.status));
        if (blocked) {
            throw compliance(m.email);
        }
        if ("subscribed".equals(target)) {
            m.timestampOpt = now;
        }
        if (!"unsubscribed".equals(target)) {
            m.unsubscribeReason = null;
        }
        m.status = target;
        return true;
    }

    private static void applyFields(Member m, JsonNode b, Map<String, JsonNode> merge) {
        merge.forEach(m::setMerge);
        if (text(b, "email_type") != null) {
            m.emailType = text(b, "email_type");
        }
        if (text(b, "language") != null) {
            m.language = text(b, "language");
        }
        if (b.has("vip")) {
            m.vip = b.get("vip").asBoolean(false);
        }
    }

    private Member newMember(MList l, String email, String status, JsonNode b, Map<String, JsonNode> merge, long now) {
        Member m = new Member();
        m.email = email.trim();
        m.hash = MailchimpStore.hashOf(m.email);
        m.status = status;
        m.timestampSignup = now;
        m.timestampOpt = "subscribed".equals(status) ? now : 0;
        m.lastChanged = now;
        applyFields(m, b, merge);
        l.members.put(m.hash, m);
        return m;
    }

    private void addTags(MList l, Member m, JsonNode tags, long now) {
        if (tags == null || !tags.isArray()) {
            return;
        }
        for (JsonNode t : tags) {
            String name = t.isTextual() ? t.asText() : text(t, "name");
            if (name != null && !name.isBlank()) {
                l.addTag(m, l.ensureSegment(name.trim(), now), now);
            }
        }
    }

    private Resp member(MList l, Member m) {
        return Resp.ok(store.memberJson(l, m));
    }

    private <T> T read(java.util.function.Supplier<T> s) {
        store.lock.readLock().lock();
        try {
            return s.get();
        } finally {
            store.lock.readLock().unlock();
        }
    }

    private <T> T write(java.util.function.Supplier<T> s) {
        store.lock.writeLock().lock();
        try {
            return s.get();
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ endpoints

    Resp ping(Req r) {
        ObjectNode o = obj();
        o.put("health_status", "Everything's Chimpy!");
        return Resp.ok(o);
    }

    Resp lists(Req r) {
        return read(() -> {
            ObjectNode o = obj();
            ArrayNode a = o.putArray("lists");
            List<MList> all = new ArrayList<>(store.lists.values());
            int off = offset(r);
            int cnt = count(r);
            for (int i = off; i < all.size() && i < off + cnt; i++) {
                a.add(store.listJson(all.get(i)));
            }
            o.put("total_items", all.size());
            ObjectNode c = o.putObject("constraints");
            c.put("may_create", false);
            c.put("max_instances", all.size());
            c.put("current_total_instances", all.size());
            o.putArray("_links");
            return Resp.ok(o);
        });
    }

    Resp getList(Req r) {
        return read(() -> Resp.ok(store.listJson(list(r))));
    }

    Resp listMembers(Req r) {
        return read(() -> {
            MList l = list(r);
            int cnt = count(r);
            int off = offset(r);
            String status = r.q("status");
            if (status != null && !status.isEmpty() && !STATUSES.contains(status) && !"archived".equals(status)) {
                throw invalidField("status", "Value must be one of: subscribed, unsubscribed, cleaned, pending, transactional, archived");
            }
            String sortField = r.q("sort_field");
            if (sortField != null && !Set.of("timestamp_opt", "timestamp_signup", "last_changed").contains(sortField)) {
                throw invalidField("sort_field", "Value must be one of: timestamp_opt, timestamp_signup, last_changed");
            }
            String sortDir = r.q("sort_dir");
            long sinceLc = isoParam(r, "since_last_changed");
            long beforeLc = isoParam(r, "before_last_changed");
            long sinceOpt = isoParam(r, "since_timestamp_opt");
            long beforeOpt = isoParam(r, "before_timestamp_opt");
            String uid = r.q("unique_email_id");
            boolean vipOnly = "true".equalsIgnoreCase(r.q("vip_only"));
            String emailType = r.q("email_type");
            TreeMap<String, String> key = new TreeMap<>(r.query);
            key.keySet().removeAll(Set.of("count", "offset", "fields", "exclude_fields"));
            String ck = "m|" + l.id + "|" + l.version + "|" + key;
            Member[] matches = (Member[]) store.cache.get(ck);
            if (matches == null) {
                List<Member> out = new ArrayList<>();
                for (Member m : l.members.values()) {
                    if (status == null || status.isEmpty()) {
                        if ("archived".equals(m.status)) {
                            continue;
                        }
                    } else if (!status.equals(m.status)) {
                        continue;
                    }
                    if (sinceLc != Long.MIN_VALUE && m.lastChanged < sinceLc) {
                        continue;
                    }
                    if (beforeLc != Long.MIN_VALUE && m.lastChanged >= beforeLc) {
                        continue;
                    }
                    if (sinceOpt != Long.MIN_VALUE && m.timestampOpt < sinceOpt) {
                        continue;
                    }
                    if (beforeOpt != Long.MIN_VALUE && m.timestampOpt >= beforeOpt) {
                        continue;
                    }
                    if (uid != null && !m.hash.substring(22).equals(uid)) {
                        continue;
                    }
                    if (vipOnly && !m.vip) {
                        continue;
                    }
                    if (emailType != null && !emailType.equals(m.emailType)) {
                        continue;
                    }
                    out.add(m);
                }
                if (sortField != null) {
                    Comparator<Member> c = switch (sortField) {
                        case "timestamp_opt" -> Comparator.comparingLong(m -> m.timestampOpt);
                        case "timestamp_signup" -> Comparator.comparingLong(m -> m.timestampSignup);
                        default -> Comparator.comparingLong(m -> m.lastChanged);
                    };
                    if ("DESC".equalsIgnoreCase(sortDir)) {
                        c = c.reversed();
                    }
                    out.sort(c); // stable: ties keep insertion order
                }
                matches = out.toArray(new Member[0]);
                if (store.cache.size() > 32) {
                    store.cache.clear();
                }
                store.cache.put(ck, matches);
            }
            ObjectNode o = obj();
            ArrayNode a = o.putArray("members");
            for (int i = off; i < matches.length && i < (long) off + cnt; i++) {
                a.add(store.memberJson(l, matches[i]));
            }
            o.put("list_id", l.id);
            o.put("total_items", matches.length);
            o.putArray("_links");
            return Resp.ok(o);
        });
    }

    Resp getMember(Req r) {
        return read(() -> {
            MList l = list(r);
            Member m = l.members.get(slotHash(r.param("subscriber_hash")));
            if (m == null) {
                throw notFound();
            }
            return member(l, m);
        });
    }

    Resp createMember(Req r) {
        JsonNode b = body(r);
        return write(() -> {
            MList l = list(r);
            String email = text(b, "email_address");
            if (email == null || email.isBlank()) {
                throw invalidField("email_address", "This value should not be blank.");
            }
            String status = statusField(b, "status", false);
            if (l.members.containsKey(MailchimpStore.hashOf(email))) {
                throw new McError(400, "Member Exists",
                        email.trim() + " is already a list member. Use PUT to insert or update list members.");
            }
            checkEmail(l, email);
            Map<String, JsonNode> merge = mergeValues(l, b, true, r);
            long now = MailchimpStore.now();
            Member m = newMember(l, email, status, b, merge, now);
            addTags(l, m, b.get("tags"), now);
            l.version++;
            return member(l, m);
        });
    }

    Resp putMember(Req r) {
        JsonNode b = body(r);
        return write(() -> {
            MList l = list(r);
            String slot = slotHash(r.param("subscriber_hash"));
            String email = text(b, "email_address");
            if (email == null || email.isBlank()) {
                throw invalidField("email_address", "This value should not be blank.");
            }
            String emailHash = MailchimpStore.hashOf(email);
            String status = statusField(b, "status", true);
            String statusIfNew = statusField(b, "status_if_new", true);
            long now = MailchimpStore.now();
            Member existing = l.members.get(slot);
            if (existing == null && !slot.equals(emailHash) && l.members.containsKey(emailHash)) {
                throw new McError(400, "Member Exists",
                        email.trim() + " is already a list member. Use PUT to insert or update list members.");
            }
            if (existing == null) {
                existing = l.members.get(emailHash);
            }
            if (existing == null) {
                if (statusIfNew == null) {
                    throw invalidField("status_if_new", "This value should not be blank.");
                }
                checkEmail(l, email);
                Member m = newMember(l, email, statusIfNew, b, mergeValues(l, b, true, r), now);
                l.version++;
                return member(l, m);
            }
            Member m = existing;
            if (!m.hash.equals(emailHash)) {
                // e-mail change of an existing member
                if (l.members.containsKey(emailHash)) {
                    throw new McError(400, "Member Exists",
                            email.trim() + " is already a list member. Use PUT to insert or update list members.");
                }
                checkEmail(l, email);
            }
            Map<String, JsonNode> merge = mergeValues(l, b, false, r);
            if (status != null) {
                if ("archived".equals(m.status)) {
                    m.status = status; // unarchive
                    if ("subscribed".equals(status)) {
                        m.timestampOpt = now;
                    }
                } else {
                    setStatus(m, status, now);
                }
            }
            if (!m.hash.equals(emailHash)) {
                l.members.remove(m.hash);
                m.hash = emailHash;
                m.email = email.trim();
                l.members.put(m.hash, m);
            }
            applyFields(m, b, merge);
            m.lastChanged = now;
            l.version++;
            return member(l, m);
        });
    }

    Resp patchMember(Req r) {
        JsonNode b = body(r);
        return write(() -> {
            MList l = list(r);
            Member m = l.members.get(slotHash(r.param("subscriber_hash")));
            if (m == null) {
                throw notFound();
            }
            String status = statusField(b, "status", true);
            long now = MailchimpStore.now();
            String email = text(b, "email_address");
            String newHash = email == null ? m.hash : MailchimpStore.hashOf(email);
            if (!newHash.equals(m.hash)) {
                if (l.members.containsKey(newHash)) {
                    throw new McError(400, "Member Exists",
                            email.trim() + " is already a list member. Use PUT to insert or update list members.");
                }
                checkEmail(l, email);
            }
            Map<String, JsonNode> merge = mergeValues(l, b, false, r);
            if (status != null) {
                if ("archived".equals(m.status)) {
                    m.status = status;
                } else {
                    setStatus(m, status, now);
                }
            }
            if (!newHash.equals(m.hash)) {
                l.members.remove(m.hash);
                m.hash = newHash;
                m.email = email.trim();
                l.members.put(m.hash, m);
            }
            applyFields(m, b, merge);
            m.lastChanged = now;
            l.version++;
            return member(l, m);
        });
    }

    Resp archiveMember(Req r) {
        return write(() -> {
            MList l = list(r);
            Member m = l.members.get(slotHash(r.param("subscriber_hash")));
            if (m == null) {
                throw notFound();
            }
            if (Set.of("pending", "cleaned", "archived").contains(m.status)) {
                Resp p = problem(405, "Method Not Allowed",
                        "This list member cannot be removed. Can not archive a contact that is bounced, pending or archived");
                return p.header("Allow", "GET, PUT");
            }
            m.status = "archived";
            m.lastChanged = MailchimpStore.now();
            l.version++;
            return Resp.empty(204);
        });
    }

    Resp deletePermanent(Req r) {
        return write(() -> {
            MList l = list(r);
            Member m = l.members.get(slotHash(r.param("subscriber_hash")));
            if (m == null) {
                throw notFound();
            }
            l.removeMember(m);
            l.forgotten.add(m.email.toLowerCase(Locale.ROOT));
            l.version++;
            return Resp.empty(204);
        });
    }

    Resp memberTags(Req r) {
        return read(() -> {
            MList l = list(r);
            Member m = l.members.get(slotHash(r.param("subscriber_hash")));
            if (m == null) {
                throw notFound();
            }
            int cnt = count(r);
            int off = offset(r);
            ObjectNode o = obj();
            ArrayNode a = o.putArray("tags");
            for (int i = off; i < m.tagIds.length && i < (long) off + cnt; i++) {
                ObjectNode t = a.addObject();
                t.put("id", m.tagIds[i]);
                t.put("name", l.segments.get(m.tagIds[i]).name);
                MailchimpStore.putIso(t, "date_added", m.tagAdded[i]);
            }
            o.put("total_items", m.tagIds.length);
            o.putArray("_links");
            return Resp.ok(o);
        });
    }

    Resp postMemberTags(Req r) {
        JsonNode b = body(r);
        return write(() -> {
            MList l = list(r);
            Member m = l.members.get(slotHash(r.param("subscriber_hash")));
            if (m == null) {
                throw notFound();
            }
            JsonNode tags = b.get("tags");
            if (tags == null || !tags.isArray()) {
                return Resp.empty(204); // wrongly shaped body: 204, nothing changes (as observed)
            }
            for (JsonNode t : tags) {
                if (text(t, "name") == null || text(t, "name").isBlank()) {
                    throw invalidField("tags.item:0.name", "This value should not be blank.");
                }
                String st = text(t, "status");
                if (!"active".equals(st) && !"inactive".equals(st)) {
                    throw invalidField("tags.item:0.status", "Value must be one of: active, inactive");
                }
            }
            long now = MailchimpStore.now();
            boolean changed = false;
            for (JsonNode t : tags) {
                String name = text(t, "name").trim();
                if ("active".equals(text(t, "status"))) {
                    changed |= l.addTag(m, l.ensureSegment(name, now), now);
                } else {
                    Segment s = l.segmentByName(name);
                    if (s != null) {
                        changed |= l.removeTag(m, s, now);
                    }
                }
            }
            if (changed) {
                m.lastChanged = now;
                l.version++;
            }
            return Resp.empty(204);
        });
    }

    Resp batchSubscribe(Req r) {
        JsonNode b = body(r);
        return write(() -> {
            MList l = list(r);
            JsonNode members = b.get("members");
            if (members == null || !members.isArray()) {
                throw invalidField("members", "This value should not be blank.");
            }
            if (members.size() > 500) {
                throw invalidField("members", "This collection should contain 500 elements or less.");
            }
            boolean updateExisting = b.path("update_existing").asBoolean(false);
            long now = MailchimpStore.now();
            ObjectNode o = obj();
            ArrayNode created = o.putArray("new_members");
            ArrayNode updated = o.putArray("updated_members");
            ArrayNode errors = o.putArray("errors");
            for (JsonNode mb : members) {
                String email = text(mb, "email_address");
                try {
                    if (email == null || email.isBlank()) {
                        throw new McError(400, "Invalid Resource", "Please provide a valid email address.", "email_address",
                                "Please provide a valid email address.", "ERROR_GENERIC");
                    }
                    Member m = l.members.get(MailchimpStore.hashOf(email));
                    String status = statusField(mb, "status", true);
                    if (m == null) {
                        checkEmail(l, email);
                        if (status == null) {
                            throw invalidField("status", "This value should not be blank.");
                        }
                        Member n = newMember(l, email, status, mb, mergeValues(l, mb, true, r), now);
                        addTags(l, n, mb.get("tags"), now);
                        created.add(store.batchMemberJson(l, n));
                    } else if (!updateExisting) {
                        throw new McError(400, "Member Exists", m.email + " is already a list member, do you want to update? "
                                + "please provide update_existing:true in the request body", null, null, "ERROR_CONTACT_EXISTS");
                    } else {
                        Map<String, JsonNode> merge = mergeValues(l, mb, false, r);
                        if (status != null) {
                            if ("archived".equals(m.status)) {
                                m.status = status;
                            } else {
                                setStatus(m, status, now);
                            }
                        }
                        applyFields(m, mb, merge);
                        m.lastChanged = now;
                        updated.add(store.batchMemberJson(l, m));
                    }
                } catch (McError e) {
                    ObjectNode err = errors.addObject();
                    err.put("email_address", email == null ? "" : email);
                    err.put("error", e.field != null && e.detail.equals(VALIDATION_DETAIL) ? e.fieldMessage : e.detail);
                    err.put("error_code", e.errorCode);
                    err.put("field", e.field == null ? "" : e.field);
                    err.put("field_message", e.fieldMessage == null ? "" : e.fieldMessage);
                }
            }
            o.put("total_created", created.size());
            o.put("total_updated", updated.size());
            o.put("error_count", errors.size());
            o.putArray("_links");
            l.version++;
            return Resp.ok(o);
        });
    }

    // ------------------------------------------------------------------ segments = tags

    Resp listSegments(Req r) {
        return read(() -> {
            MList l = list(r);
            int cnt = count(r);
            int off = offset(r);
            String type = r.q("type");
            List<Segment> all = new ArrayList<>();
            if (type == null || type.isEmpty() || "static".equals(type)) {
                all.addAll(l.segments.values());
            }
            ObjectNode o = obj();
            ArrayNode a = o.putArray("segments");
            for (int i = off; i < all.size() && i < (long) off + cnt; i++) {
                a.add(store.segmentJson(l, all.get(i)));
            }
            o.put("list_id", l.id);
            o.put("total_items", all.size());
            o.putArray("_links");
            return Resp.ok(o);
        });
    }

    private static Segment segment(MList l, Req r) {
        try {
            Segment s = l.segments.get(Integer.parseInt(r.param("segment_id")));
            if (s == null) {
                throw notFound();
            }
            return s;
        } catch (NumberFormatException e) {
            throw notFound();
        }
    }

    Resp getSegment(Req r) {
        return read(() -> {
            MList l = list(r);
            return Resp.ok(store.segmentJson(l, segment(l, r)));
        });
    }

    Resp createSegment(Req r) {
        JsonNode b = body(r);
        return write(() -> {
            MList l = list(r);
            String name = text(b, "name");
            if (name == null || name.isBlank()) {
                throw invalidField("name", "This value should not be blank.");
            }
            if (b.has("options") && !b.get("options").isNull()) {
                throw new McError(400, "Invalid Resource",
                        "The sandbox supports static segments (tags) only; saved segments with conditions are not emulated.");
            }
            if (l.segmentByName(name.trim()) != null) {
                throw new McError(400, "Invalid Resource", "Sorry, the segment or tag \"" + name.trim() + "\" already exists.");
            }
            long now = MailchimpStore.now();
            Segment s = l.ensureSegment(name.trim(), now);
            JsonNode emails = b.get("static_segment");
            if (emails != null && emails.isArray()) {
                for (JsonNode e : emails) {
                    Member m = l.members.get(MailchimpStore.hashOf(e.asText()));
                    if (m != null && l.addTag(m, s, now)) {
                        m.lastChanged = now;
                    }
                }
            }
            l.version++;
            return Resp.ok(store.segmentJson(l, s));
        });
    }

    Resp deleteSegment(Req r) {
        return write(() -> {
            MList l = list(r);
            Segment s = segment(l, r);
            long now = MailchimpStore.now();
            for (Member m : l.members.values()) {
                if (l.removeTag(m, s, now)) {
                    m.lastChanged = now;
                }
            }
            l.segments.remove(s.id);
            l.segByName.remove(s.name.toLowerCase(Locale.ROOT));
            l.version++;
            return Resp.empty(204);
        });
    }

    Resp batchSegment(Req r) {
        JsonNode b = body(r);
        return write(() -> {
            MList l = list(r);
            Segment s = segment(l, r);
            JsonNode add = b.get("members_to_add");
            JsonNode rem = b.get("members_to_remove");
            if (add != null && add.size() > 500) {
                throw invalidField("members_to_add", "This collection should contain 500 elements or less.");
            }
            if (rem != null && rem.size() > 500) {
                throw invalidField("members_to_remove", "This collection should contain 500 elements or less.");
            }
            long now = MailchimpStore.now();
            ObjectNode o = obj();
            ArrayNode added = o.putArray("members_added");
            ArrayNode removed = o.putArray("members_removed");
            ArrayNode errors = o.putArray("errors");
            List<String> missing = new ArrayList<>();
            if (add != null) {
                for (JsonNode e : add) {
                    Member m = l.members.get(MailchimpStore.hashOf(e.asText()));
                    if (m == null) {
                        missing.add(e.asText());
                    } else if (l.addTag(m, s, now)) {
                        m.lastChanged = now;
                        added.add(store.batchMemberJson(l, m));
                    }
                }
            }
            List<String> missingRem = new ArrayList<>();
            if (rem != null) {
                for (JsonNode e : rem) {
                    Member m = l.members.get(MailchimpStore.hashOf(e.asText()));
                    if (m == null) {
                        missingRem.add(e.asText());
                    } else if (l.removeTag(m, s, now)) {
                        m.lastChanged = now;
                        removed.add(store.batchMemberJson(l, m));
                    }
                }
            }
            for (List<String> miss : List.of(missing, missingRem)) {
                if (!miss.isEmpty()) {
                    ObjectNode err = errors.addObject();
                    ArrayNode ea = err.putArray("email_addresses");
                    miss.forEach(ea::add);
                    err.put("error", "Email addresses not found on the list");
                }
            }
            o.put("total_added", added.size());
            o.put("total_removed", removed.size());
            o.put("error_count", missing.size() + missingRem.size());
            o.putArray("_links");
            l.version++;
            return Resp.ok(o);
        });
    }

    Resp segmentMembers(Req r) {
        return read(() -> {
            MList l = list(r);
            Segment s = segment(l, r);
            int cnt = count(r);
            int off = offset(r);
            boolean incCleaned = "true".equalsIgnoreCase(r.q("include_cleaned"));
            boolean incTrans = "true".equalsIgnoreCase(r.q("include_transactional"));
            boolean incUnsub = "true".equalsIgnoreCase(r.q("include_unsubscribed"));
            String ck = "s|" + l.id + "|" + l.version + "|" + s.id + "|" + incCleaned + incTrans + incUnsub;
            Member[] matches = (Member[]) store.cache.get(ck);
            if (matches == null) {
                List<Member> out = new ArrayList<>();
                for (Member m : l.members.values()) {
                    // archived members are not in the audience: the spec's status enum for segment members has no
                    // "archived" (found by the contract tests)
                    if (!m.hasTag(s.id) || "archived".equals(m.status)) {
                        continue;
                    }
                    if ("cleaned".equals(m.status) && !incCleaned || "transactional".equals(m.status) && !incTrans
                            || "unsubscribed".equals(m.status) && !incUnsub) {
                        continue;
                    }
                    out.add(m);
                }
                matches = out.toArray(new Member[0]);
                store.cache.put(ck, matches);
            }
            ObjectNode o = obj();
            ArrayNode a = o.putArray("members");
            for (int i = off; i < matches.length && i < (long) off + cnt; i++) {
                a.add(store.segmentMemberJson(l, matches[i]));
            }
            o.put("total_items", matches.length);
            o.putArray("_links");
            return Resp.ok(o);
        });
    }

    Resp tagSearch(Req r) {
        return read(() -> {
            MList l = list(r);
            String prefix = r.q("name");
            String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
            ObjectNode o = obj();
            ArrayNode a = o.putArray("tags");
            for (Segment s : l.segments.values()) {
                if (s.name.toLowerCase(Locale.ROOT).startsWith(p)) {
                    ObjectNode t = a.addObject();
                    t.put("id", s.id);
                    t.put("name", s.name);
                }
            }
            o.put("total_items", a.size());
            return Resp.ok(o);
        });
    }

    Resp mergeFields(Req r) {
        return read(() -> {
            MList l = list(r);
            int cnt = count(r);
            int off = offset(r);
            String type = r.q("type");
            String required = r.q("required");
            List<MergeFields.Def> all = new ArrayList<>();
            for (MergeFields.Def d : l.mergeFields.all()) {
                if ((type == null || type.isEmpty() || type.equals(d.type))
                        && (required == null || required.isEmpty() || Boolean.parseBoolean(required) == d.required)) {
                    all.add(d);
                }
            }
            ObjectNode o = obj();
            ArrayNode a = o.putArray("merge_fields");
            for (int i = off; i < all.size() && i < (long) off + cnt; i++) {
                a.add(all.get(i).json(l.id));
            }
            o.put("list_id", l.id);
            o.put("total_items", all.size());
            o.putArray("_links");
            return Resp.ok(o);
        });
    }

    Resp createMergeField(Req r) {
        JsonNode b = body(r);
        return write(() -> {
            MList l = list(r);
            MergeFields.Def d;
            try {
                d = MergeFields.parse(b);
            } catch (IllegalArgumentException e) {
                String[] fm = e.getMessage().split("\\|", 2);
                throw invalidField(fm[0], fm[1]);
            }
            if (l.mergeFields.size() >= MergeFields.LIMIT) {
                // the limit is observed (CONTRACT §4.12); this answer's title and wording are UNVERIFIED
                throw new McError(400, "Invalid Resource", "You have reached the limit of " + MergeFields.LIMIT
                        + " merge fields for this audience: you cannot create more merge fields than "
                        + MergeFields.LIMIT + ".");
            }
            if (d.tag != null && l.mergeFields.get(d.tag) != null) {
                throw new McError(400, "Invalid Resource", "A Merge Field with the tag \"" + d.tag
                        + "\" already exists for this list.", "tag", "This tag is already in use.", "ERROR_GENERIC");
            }
            d.mergeId = 0; // assigned by the audience
            d = l.mergeFields.add(d);
            l.version++;
            return Resp.ok(d.json(l.id));
        });
    }

    // ------------------------------------------------------------------ fields / exclude_fields

    /** Applies fields / exclude_fields (comma-separated, dot notation) to a JSON response. */
    static JsonNode filterFields(JsonNode node, String fields, String exclude) {
        if (fields != null && !fields.isBlank()) {
            return include(node, trie(fields));
        }
        if (exclude != null && !exclude.isBlank()) {
            JsonNode copy = node.deepCopy();
            exclude(copy, trie(exclude));
            return copy;
        }
        return node;
    }

    private static Map<String, Object> trie(String spec) {
        Map<String, Object> root = new java.util.LinkedHashMap<>();
        for (String f : spec.split(",")) {
            String t = f.trim();
            if (t.isEmpty()) {
                continue;
            }
            Map<String, Object> cur = root;
            String[] parts = t.split("\\.");
            for (int i = 0; i < parts.length; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> next = (Map<String, Object>) cur.get(parts[i]);
                if (i == parts.length - 1) {
                    cur.put(parts[i], new java.util.LinkedHashMap<String, Object>()); // leaf: whole value
                } else {
                    if (next == null) {
                        next = new java.util.LinkedHashMap<>();
                        next.put("\0partial", Boolean.TRUE);
                        cur.put(parts[i], next);
                    } else if (!next.containsKey("\0partial")) {
                        break; // already included whole
                    }
                    cur = next;
                }
            }
        }
        return root;
    }

    @SuppressWarnings("unchecked")
    private static JsonNode include(JsonNode n, Map<String, Object> t) {
        if (n.isArray()) {
            ArrayNode a = arr();
            n.forEach(e -> a.add(include(e, t)));
            return a;
        }
        if (!n.isObject()) {
            return n;
        }
        ObjectNode o = obj();
        for (Map.Entry<String, Object> e : t.entrySet()) {
            if (e.getKey().startsWith("\0")) {
                continue;
            }
            JsonNode v = n.get(e.getKey());
            if (v == null) {
                continue;
            }
            Map<String, Object> sub = (Map<String, Object>) e.getValue();
            o.set(e.getKey(), sub.containsKey("\0partial") ? include(v, sub) : v);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static void exclude(JsonNode n, Map<String, Object> t) {
        if (n.isArray()) {
            n.forEach(e -> exclude(e, t));
            return;
        }
        if (!n.isObject()) {
            return;
        }
        ObjectNode o = (ObjectNode) n;
        for (Map.Entry<String, Object> e : t.entrySet()) {
            if (e.getKey().startsWith("\0")) {
                continue;
            }
            Map<String, Object> sub = (Map<String, Object>) e.getValue();
            if (sub.containsKey("\0partial")) {
                JsonNode v = o.get(e.getKey());
                if (v != null) {
                    exclude(v, sub);
                }
            } else {
                o.remove(e.getKey());
            }
        }
    }

    static Set<String> lowerAll(Iterable<String> s) {
        Set<String> out = new HashSet<>();
        s.forEach(x -> out.add(x.toLowerCase(Locale.ROOT)));
        return out;
    }
}

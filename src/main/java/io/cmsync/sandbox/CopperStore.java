package io.cmsync.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static io.cmsync.sandbox.Http.arr;
import static io.cmsync.sandbox.Http.lng;
import static io.cmsync.sandbox.Http.obj;
import static io.cmsync.sandbox.Http.text;

/** In-memory Copper People store with indexes by id, e-mail and date_modified. */
final class CopperStore {
    static final int SEARCH_CAP = 100_000;

    /** Compact person record; rarely used fields live in {@code extra} only when not default. */
    static final class Person {
        long id;
        String name;
        String firstName;
        String lastName;
        String[] emails = new String[0];
        String[] emailCats = new String[0];
        String[] tags = new String[0];
        long dateCreated;
        long dateModified;
        ObjectNode extra;

        String firstEmailLower() {
            return emails.length == 0 || emails[0] == null ? null : emails[0].toLowerCase(Locale.ROOT);
        }

        JsonNode extra(String f) {
            return extra == null ? null : extra.get(f);
        }
    }

    /** Field validation failure (Rails-style message). */
    static final class Invalid extends RuntimeException {
        final String field;
        final String humanField;
        final String error;

        Invalid(String field, String humanField, String error) {
            super(humanField + ": " + error, null, false, false);
            this.field = field;
            this.humanField = humanField;
            this.error = error;
        }

        String message() {
            return "Invalid input: Validation errors: " + humanField + ": " + error;
        }
    }

    /** Unknown attributes in a body. */
    static final class Unrecognized extends RuntimeException {
        Unrecognized(Collection<String> names) {
            super("Invalid input: Validation errors: Base: Unrecognized attributes specified: " + String.join(", ", names),
                    null, false, false);
        }
    }

    // Fields of the §4.1 shape other than the core ones, with their default (absent) value.
    static final String[] EXTRA_FIELDS = {"prefix", "middle_name", "suffix", "address", "assignee_id", "company_id",
            "company_name", "contact_type_id", "details", "phone_numbers", "socials", "title", "websites", "custom_fields",
            "date_last_contacted", "interaction_count", "leads_converted_from", "date_lead_created"};
    static final Set<String> ARRAY_EXTRAS = Set.of("phone_numbers", "socials", "websites", "custom_fields", "leads_converted_from");
    static final Set<String> WRITABLE = Set.of("name", "prefix", "first_name", "middle_name", "last_name", "suffix", "address",
            "assignee_id", "company_id", "company_name", "contact_type_id", "details", "emails", "phone_numbers", "socials",
            "tags", "title", "websites", "custom_fields");
    static final Set<String> READ_ONLY = Set.of("id", "date_created", "date_modified", "date_last_contacted",
            "interaction_count", "leads_converted_from", "date_lead_created");
    static final Set<String> SEARCH_FIELDS = Set.of("ids", "page_number", "page_size", "sort_by", "sort_direction", "name",
            "phone_number", "emails", "contact_type_ids", "assignee_ids", "company_ids", "opportunity_ids", "city", "state",
            "postal_code", "country", "tags", "socials", "followed", "age", "minimum_interaction_count",
            "maximum_interaction_count", "minimum_interaction_date", "maximum_interaction_date", "minimum_created_date",
            "maximum_created_date", "minimum_modified_date", "maximum_modified_date", "custom_fields", "title", "fields");
    static final Set<String> SORTS = Set.of("name", "first_name", "last_name", "title", "email", "phone", "date_modified",
            "date_created", "city", "state", "country", "zip");

    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final HashMap<Long, Person> byId = new HashMap<>();
    private final HashMap<String, Object> byEmail = new HashMap<>(); // lower e-mail -> Person or Person[]
    private final TreeSet<Person> byModified = new TreeSet<>(
            Comparator.<Person>comparingLong(p -> p.dateModified).thenComparingLong(p -> p.id));
    private final HashMap<String, String> tagIntern = new HashMap<>();
    final CustomFields customFields = new CustomFields();
    private long nextId = 1;
    private volatile long version;
    private final Map<String, Object[]> searchCache = new ConcurrentHashMap<>();

    // ------------------------------------------------------------------ state

    void clear() {
        byId.clear();
        byEmail.clear();
        byModified.clear();
        tagIntern.clear();
        customFields.clear();
        nextId = 1;
        version++;
        searchCache.clear();
    }

    private long loadMaxId;

    /** Starts a (streamed) load: clears the state. Caller holds the write lock. */
    void beginLoad() {
        clear();
        loadMaxId = 0;
    }

    /** Adds one person of the state JSON. */
    void loadPerson(JsonNode n) {
        Person p = new Person();
        Long id = lng(n.get("id"));
        p.id = id == null ? loadMaxId + 1 : id;
        loadMaxId = Math.max(loadMaxId, p.id);
        p.name = text(n, "name");
        p.firstName = text(n, "first_name");
        p.lastName = text(n, "last_name");
        setEmails(p, n.get("emails"));
        setTags(p, n.get("tags"));
        Long dc = lng(n.get("date_created"));
        Long dm = lng(n.get("date_modified"));
        p.dateCreated = dc == null ? now() : dc;
        p.dateModified = dm == null ? p.dateCreated : dm;
        for (String f : EXTRA_FIELDS) {
            if (n.has(f)) {
                setExtra(p, f, n.get(f));
            }
        }
        Person old = byId.get(p.id);
        if (old != null) {
            unindex(old);
        }
        byId.put(p.id, p);
        index(p);
    }

    void endLoad(Long nextIdHint) {
        nextId = Math.max(nextIdHint == null ? 1 : nextIdHint, loadMaxId + 1);
        version++;
    }

    /** Streams the "copper" state object. Caller holds the read lock. */
    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("next_id", nextId);
        g.writeFieldName("custom_field_definitions");
        g.writeTree(customFields.stateJson());
        g.writeArrayFieldStart("people");
        Long[] ids = byId.keySet().toArray(new Long[0]);
        Arrays.sort(ids);
        for (Long id : ids) {
            g.writeTree(toJson(byId.get(id)));
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    int size() {
        return byId.size();
    }

    // ------------------------------------------------------------------ JSON

    ObjectNode toJson(Person p) {
        return toJson(p, false);
    }

    /** The person as the API returns it; {@code computed}: {@code ?custom_field_computed_values=true} (§7.4). */
    ObjectNode toJson(Person p, boolean computed) {
        ObjectNode o = obj();
        o.put("id", p.id);
        o.put("name", p.name);
        o.set("prefix", ext(p, "prefix"));
        o.put("first_name", p.firstName);
        o.set("middle_name", ext(p, "middle_name"));
        o.put("last_name", p.lastName);
        o.set("suffix", ext(p, "suffix"));
        o.set("address", ext(p, "address"));
        o.set("assignee_id", ext(p, "assignee_id"));
        o.set("company_id", ext(p, "company_id"));
        o.set("company_name", ext(p, "company_name"));
        o.set("contact_type_id", ext(p, "contact_type_id"));
        o.set("details", ext(p, "details"));
        ArrayNode em = o.putArray("emails");
        for (int i = 0; i < p.emails.length; i++) {
            ObjectNode e = em.addObject();
            e.put("email", p.emails[i]);
            e.put("category", p.emailCats[i]);
        }
        o.set("phone_numbers", ext(p, "phone_numbers"));
        o.set("socials", ext(p, "socials"));
        ArrayNode tg = o.putArray("tags");
        for (String t : p.tags) {
            tg.add(t);
        }
        o.set("title", ext(p, "title"));
        o.set("websites", ext(p, "websites"));
        o.set("custom_fields", customFieldsJson(p, computed));
        o.put("date_created", p.dateCreated);
        o.put("date_modified", p.dateModified);
        o.set("date_last_contacted", ext(p, "date_last_contacted"));
        o.set("interaction_count", ext(p, "interaction_count"));
        o.set("leads_converted_from", ext(p, "leads_converted_from"));
        o.set("date_lead_created", ext(p, "date_lead_created"));
        return o;
    }

    /**
     * Every definition available on people, with the person's value or the unset one (CONTRACT §4.1: "every
     * definition available on people is listed"), then any stored value whose definition is unknown (state data).
     */
    private JsonNode customFieldsJson(Person p, boolean computed) {
        JsonNode stored = ext(p, "custom_fields");
        if (customFields.isEmpty() && !computed) {
            return stored;
        }
        LinkedHashMap<Long, JsonNode> values = new LinkedHashMap<>();
        for (JsonNode c : stored) {
            values.put(c.path("custom_field_definition_id").asLong(), c.get("value"));
        }
        ArrayNode out = arr();
        for (ObjectNode d : customFields.onPeople()) {
            long id = d.path("id").asLong();
            JsonNode v = values.remove(id);
            if (v == null || v.isNull()) {
                v = CustomFields.unset(d);
            }
            ObjectNode c = out.addObject();
            c.put("custom_field_definition_id", id);
            c.set("value", v);
            if (computed) {
                c.set("computed_value", CustomFields.computed(d, v));
            }
        }
        values.forEach((id, v) -> {
            ObjectNode c = out.addObject();
            c.put("custom_field_definition_id", id);
            c.set("value", v == null ? NullNode.getInstance() : v);
            if (computed) {
                c.set("computed_value", v == null ? NullNode.getInstance() : v);
            }
        });
        return out;
    }

    private static JsonNode ext(Person p, String f) {
        JsonNode v = p.extra(f);
        if (v != null) {
            return v.deepCopy();
        }
        if (ARRAY_EXTRAS.contains(f)) {
            return arr();
        }
        if (f.equals("interaction_count")) {
            return Http.NF.numberNode(0);
        }
        return NullNode.getInstance();
    }

    private static void setExtra(Person p, String f, JsonNode v) {
        boolean dflt = v == null || v.isNull() || (ARRAY_EXTRAS.contains(f) && v.isArray() && v.isEmpty())
                || (f.equals("interaction_count") && v.isNumber() && v.asLong() == 0);
        if (dflt) {
            if (p.extra != null) {
                p.extra.remove(f);
                if (p.extra.isEmpty()) {
                    p.extra = null;
                }
            }
        } else {
            if (p.extra == null) {
                p.extra = obj();
            }
            p.extra.set(f, v.deepCopy());
        }
    }

    private void setEmails(Person p, JsonNode emails) {
        List<String> e = new ArrayList<>();
        List<String> c = new ArrayList<>();
        if (emails != null && emails.isArray()) {
            for (JsonNode n : emails) {
                if (n.isTextual()) {
                    e.add(n.asText());
                    c.add("work");
                } else {
                    e.add(text(n, "email"));
                    String cat = text(n, "category");
                    c.add(cat == null ? "work" : cat);
                }
            }
        }
        p.emails = e.toArray(new String[0]);
        p.emailCats = c.toArray(new String[0]);
    }

    private void setTags(Person p, JsonNode tags) {
        List<String> t = new ArrayList<>();
        if (tags != null && tags.isArray()) {
            for (JsonNode n : tags) {
                if (!n.isNull()) {
                    t.add(tagIntern.computeIfAbsent(n.asText(), k -> k));
                }
            }
        }
        p.tags = t.toArray(new String[0]);
    }

    // ------------------------------------------------------------------ indexes

    private void index(Person p) {
        byModified.add(p);
        for (String e : p.emails) {
            if (e == null) {
                continue;
            }
            String k = e.toLowerCase(Locale.ROOT);
            Object cur = byEmail.get(k);
            if (cur == null) {
                byEmail.put(k, p);
            } else if (cur instanceof Person q) {
                if (q != p) {
                    byEmail.put(k, new Person[]{q, p});
                }
            } else {
                Person[] a = (Person[]) cur;
                if (Arrays.stream(a).noneMatch(x -> x == p)) {
                    Person[] b = Arrays.copyOf(a, a.length + 1);
                    b[a.length] = p;
                    byEmail.put(k, b);
                }
            }
        }
    }

    private void unindex(Person p) {
        byModified.remove(p);
        for (String e : p.emails) {
            if (e == null) {
                continue;
            }
            String k = e.toLowerCase(Locale.ROOT);
            Object cur = byEmail.get(k);
            if (cur == p) {
                byEmail.remove(k);
            } else if (cur instanceof Person[] a) {
                Person[] b = Arrays.stream(a).filter(x -> x != p).toArray(Person[]::new);
                if (b.length == 1) {
                    byEmail.put(k, b[0]);
                } else if (b.length == 0) {
                    byEmail.remove(k);
                } else {
                    byEmail.put(k, b);
                }
            }
        }
    }

    List<Person> byEmail(String email) {
        if (email == null) {
            return List.of();
        }
        Object cur = byEmail.get(email.trim().toLowerCase(Locale.ROOT));
        if (cur == null) {
            return List.of();
        }
        if (cur instanceof Person p) {
            return List.of(p);
        }
        List<Person> l = new ArrayList<>(Arrays.asList((Person[]) cur));
        l.sort(Comparator.comparingLong(x -> x.id));
        return l;
    }

    Person get(long id) {
        return byId.get(id);
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    // ------------------------------------------------------------------ writes (caller holds write lock)

    static void checkAttributes(JsonNode body, Set<String> allowed) {
        List<String> bad = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                bad.add(f);
            }
        });
        if (!bad.isEmpty()) {
            throw new Unrecognized(bad);
        }
    }

    private static final Set<String> CREATE_ALLOWED = union(WRITABLE, READ_ONLY);

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }

    Person create(JsonNode body) {
        if (!body.isObject()) {
            throw new Invalid("name", "Name", "can't be blank");
        }
        checkAttributes(body, CREATE_ALLOWED);
        Person p = new Person();
        p.id = -1;
        apply(p, body, true);
        p.id = nextId++;
        byId.put(p.id, p);
        index(p);
        version++;
        return p;
    }

    Person update(long id, JsonNode body) {
        Person p = byId.get(id);
        if (p == null) {
            return null;
        }
        if (body == null || body.isMissingNode() || (body.isObject() && body.isEmpty())) {
            return p; // empty body: no change
        }
        checkAttributes(body, CREATE_ALLOWED);
        unindex(p);
        try {
            apply(p, body, false);
        } finally {
            index(p);
        }
        version++;
        return p;
    }

    boolean delete(long id) {
        Person p = byId.remove(id);
        if (p == null) {
            return false;
        }
        unindex(p);
        version++;
        return true;
    }

    /** Validates everything first, then mutates {@code p} (not indexed while called). */
    private void apply(Person p, JsonNode b, boolean create) {
        boolean nameSent = b.has("name");
        String name = text(b, "name");
        boolean fnSent = b.has("first_name");
        boolean lnSent = b.has("last_name");
        boolean mnSent = b.has("middle_name");
        String fn = fnSent ? text(b, "first_name") : p.firstName;
        String ln = lnSent ? text(b, "last_name") : p.lastName;
        String mn = mnSent ? text(b, "middle_name") : (p.extra("middle_name") == null ? null : p.extra("middle_name").asText());
        boolean nameBlank = name == null || name.isBlank();
        if (create) {
            if (nameBlank && !(notBlank(fn) || notBlank(ln))) {
                throw new Invalid("name", "Name", "can't be blank");
            }
        } else if (nameSent && nameBlank) {
            throw new Invalid("name", "Name", "can't be blank");
        }
        // e-mails
        String[] newEmails = null;
        String[] newCats = null;
        if (b.has("emails")) {
            Person tmp = new Person();
            setEmails(tmp, b.get("emails"));
            Set<String> seen = new HashSet<>();
            for (String e : tmp.emails) {
                if (e == null || !Http.simpleEmailValid(e.trim())) {
                    throw new Invalid("emails", "Emails", (e == null ? "" : e) + " is invalid");
                }
                String k = e.trim().toLowerCase(Locale.ROOT);
                if (!seen.add(k)) {
                    throw new Invalid("emails", "Emails", e + " has already been taken");
                }
                for (Person other : byEmail(k)) {
                    if (other != p) {
                        throw new Invalid("emails", "Emails", e + " has already been taken");
                    }
                }
            }
            for (int i = 0; i < tmp.emails.length; i++) {
                tmp.emails[i] = tmp.emails[i].trim();
            }
            newEmails = tmp.emails;
            newCats = tmp.emailCats;
        }
        JsonNode custom = b.has("custom_fields") ? customFields.check(b.get("custom_fields")) : null;
        // --- mutate
        if (newEmails != null) {
            p.emails = newEmails;
            p.emailCats = newCats;
        }
        for (String f : EXTRA_FIELDS) {
            if (WRITABLE.contains(f) && b.has(f)) {
                if (f.equals("custom_fields")) {
                    setExtra(p, f, create ? custom : mergeCustomFields(p.extra(f), custom));
                } else {
                    setExtra(p, f, b.get(f));
                }
            }
        }
        if (b.has("tags")) {
            setTags(p, b.get("tags"));
        }
        if (!nameBlank && !fnSent && !lnSent) {
            // split the full name
            String[] parts = name.trim().split("\\s+", 2);
            p.name = name.trim();
            p.firstName = parts[0];
            p.lastName = parts.length > 1 ? parts[1] : null;
        } else if (!nameBlank) {
            p.name = name.trim();
            p.firstName = fn;
            p.lastName = ln;
        } else if (fnSent || lnSent || create) {
            p.firstName = fn;
            p.lastName = ln;
            StringBuilder sb = new StringBuilder();
            for (String s : new String[]{fn, mn, ln}) {
                if (notBlank(s)) {
                    sb.append(sb.length() > 0 ? " " : "").append(s.trim());
                }
            }
            p.name = sb.toString();
        }
        long now = now();
        if (create) {
            p.dateCreated = now;
        }
        p.dateModified = Math.max(now, p.dateModified);
    }

    private static JsonNode mergeCustomFields(JsonNode current, JsonNode sent) {
        LinkedHashMap<String, JsonNode> m = new LinkedHashMap<>();
        if (current != null) {
            for (JsonNode c : current) {
                m.put(c.path("custom_field_definition_id").asText(), c);
            }
        }
        for (JsonNode c : sent) {
            m.put(c.path("custom_field_definition_id").asText(), c);
        }
        ArrayNode a = arr();
        m.values().forEach(a::add);
        return a;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    // ------------------------------------------------------------------ reads (caller holds read lock)

    Map<String, int[]> tagCounts() {
        TreeMap<String, int[]> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Person p : byId.values()) {
            for (String t : p.tags) {
                m.computeIfAbsent(t, k -> new int[1])[0]++;
            }
        }
        return m;
    }

    /** Search result: the first (at most 100,000) matches in order, and the capped total. */
    record SearchResult(Person[] matches, int total) {
    }

    static final class BadSearch extends RuntimeException {
        BadSearch(String m) {
            super(m, null, false, false);
        }
    }

    SearchResult search(ObjectNode body, String sortBy, boolean desc) {
        ObjectNode key = body.deepCopy();
        key.remove("page_number");
        key.remove("page_size");
        String cacheKey = version + "|" + key;
        Object[] cached = searchCache.get(cacheKey);
        if (cached != null) {
            return (SearchResult) cached[0];
        }
        Set<Long> ids = longSet(body.get("ids"));
        Set<String> emails = lowerSet(body.get("emails"));
        Set<String> tags = lowerSet(body.get("tags"));
        String name = text(body, "name");
        String nameLower = name == null ? null : name.toLowerCase(Locale.ROOT);
        Long minMod = num(body, "minimum_modified_date");
        Long maxMod = num(body, "maximum_modified_date");
        Long minCre = num(body, "minimum_created_date");
        Long maxCre = num(body, "maximum_created_date");

        Collection<Person> candidates;
        if (ids != null) {
            List<Person> l = new ArrayList<>();
            for (Long id : ids) {
                Person p = byId.get(id);
                if (p != null) {
                    l.add(p);
                }
            }
            candidates = l;
        } else if (emails != null) {
            LinkedHashSet<Person> l = new LinkedHashSet<>();
            for (String e : emails) {
                l.addAll(byEmail(e));
            }
            candidates = l;
        } else if (minMod != null || maxMod != null) {
            Person lo = new Person();
            lo.dateModified = minMod == null ? Long.MIN_VALUE : minMod;
            lo.id = Long.MIN_VALUE;
            Person hi = new Person();
            hi.dateModified = maxMod == null ? Long.MAX_VALUE : maxMod;
            hi.id = Long.MAX_VALUE;
            candidates = byModified.subSet(lo, true, hi, true);
        } else {
            candidates = byId.values();
        }
        ArrayList<Person> out = new ArrayList<>();
        for (Person p : candidates) {
            if (ids != null && !ids.contains(p.id)) {
                continue;
            }
            if (emails != null && !anyEmail(p, emails)) {
                continue;
            }
            if (tags != null && !anyTag(p, tags)) {
                continue;
            }
            if (nameLower != null && (p.name == null || !p.name.toLowerCase(Locale.ROOT).contains(nameLower))) {
                continue;
            }
            if (minMod != null && p.dateModified < minMod || maxMod != null && p.dateModified > maxMod) {
                continue;
            }
            if (minCre != null && p.dateCreated < minCre || maxCre != null && p.dateCreated > maxCre) {
                continue;
            }
            out.add(p);
        }
        out.sort(comparator(sortBy, desc));
        int total = Math.min(out.size(), SEARCH_CAP);
        Person[] res = out.subList(0, total).toArray(new Person[0]);
        SearchResult r = new SearchResult(res, total);
        if (searchCache.size() > 16) {
            searchCache.clear();
        }
        searchCache.put(cacheKey, new Object[]{r});
        return r;
    }

    private static Long num(JsonNode b, String f) {
        try {
            return lng(b.get(f));
        } catch (NumberFormatException e) {
            throw new BadSearch("Invalid input: Validation errors: " + humanize(f) + ": is not a number");
        }
    }

    static String humanize(String f) {
        String s = f.replace('_', ' ');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static boolean anyEmail(Person p, Set<String> emails) {
        for (String e : p.emails) {
            if (e != null && emails.contains(e.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyTag(Person p, Set<String> tags) {
        for (String t : p.tags) {
            if (tags.contains(t.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static Set<Long> longSet(JsonNode a) {
        if (a == null || a.isNull() || !a.isArray()) {
            return null;
        }
        Set<Long> s = new HashSet<>();
        for (JsonNode n : a) {
            try {
                Long v = lng(n);
                if (v != null) {
                    s.add(v);
                }
            } catch (NumberFormatException e) {
                throw new BadSearch("Invalid input: Validation errors: Ids: IDs must be positive integers: " + n.asText());
            }
        }
        return s;
    }

    private static Set<String> lowerSet(JsonNode a) {
        if (a == null || a.isNull()) {
            return null;
        }
        Set<String> s = new HashSet<>();
        if (a.isArray()) {
            for (JsonNode n : a) {
                if (!n.isNull()) {
                    s.add(n.asText().trim().toLowerCase(Locale.ROOT));
                }
            }
        } else {
            s.add(a.asText().trim().toLowerCase(Locale.ROOT));
        }
        return s;
    }

    private static Comparator<Person> comparator(String sortBy, boolean desc) {
        Comparator<Person> c;
        switch (sortBy) {
            case "date_modified" -> c = Comparator.comparingLong(p -> p.dateModified);
            case "date_created" -> c = Comparator.comparingLong(p -> p.dateCreated);
            default -> {
                java.util.function.Function<Person, String> f = switch (sortBy) {
                    case "name" -> p -> p.name;
                    case "first_name" -> p -> p.firstName;
                    case "last_name" -> p -> p.lastName;
                    case "email" -> Person::firstEmailLower;
                    case "title" -> p -> extText(p, "title", null);
                    case "phone" -> p -> firstOf(p.extra("phone_numbers"), "number");
                    case "city" -> p -> extText(p, "address", "city");
                    case "state" -> p -> extText(p, "address", "state");
                    case "country" -> p -> extText(p, "address", "country");
                    case "zip" -> p -> extText(p, "address", "postal_code");
                    default -> p -> p.name;
                };
                Comparator<String> sc = Comparator.nullsLast(String.CASE_INSENSITIVE_ORDER);
                c = (a, b) -> sc.compare(blankToNull(f.apply(a)), blankToNull(f.apply(b)));
            }
        }
        if (desc) {
            c = c.reversed();
        }
        return c.thenComparingLong(p -> p.id);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String extText(Person p, String f, String sub) {
        JsonNode v = p.extra(f);
        if (v == null) {
            return null;
        }
        if (sub != null) {
            v = v.get(sub);
        }
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstOf(JsonNode a, String f) {
        if (a == null || !a.isArray() || a.isEmpty()) {
            return null;
        }
        return text(a.get(0), f);
    }
}

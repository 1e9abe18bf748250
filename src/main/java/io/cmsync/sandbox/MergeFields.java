package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mailchimp merge fields of one audience: their definitions and the rules a member's {@code merge_fields} values must
 * follow (reference/mailchimp/CONTRACT.md §4.12 and the official merge-fields page it cites). Knows nothing of HTTP:
 * {@link #check} returns the field errors, the API turns them into the documented 400.
 */
final class MergeFields {
    static final int LIMIT = 30; // "you cannot create more merge fields than 30" (CONTRACT §4.12, observed)
    static final int MAX_TAG_LENGTH = 10; // longer tags refused (CONTRACT §8, mc-magento #1140; limit UNVERIFIED)
    static final Set<String> TYPES = Set.of("text", "number", "address", "phone", "date", "url", "imageurl", "radio",
            "dropdown", "birthday", "zip");
    static final List<String> ADDRESS_KEYS = List.of("addr1", "addr2", "city", "state", "zip", "country");
    private static final List<String> ADDRESS_REQUIRED = List.of("addr1", "city", "state", "zip");
    static final String REQUIRED_MESSAGE = "Please enter a value"; // the documented message

    /** One merge field definition (the spec's "Merge Field" object, less list_id and _links). */
    static final class Def {
        int mergeId;
        String tag;
        String name;
        String type;
        boolean required;
        String defaultValue = "";
        boolean isPublic = true;
        int displayOrder;
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        String helpText = "";

        List<String> choices() {
            List<String> out = new ArrayList<>();
            options.path("choices").forEach(c -> out.add(c.asText()));
            return out;
        }

        String dateFormat() {
            String f = options.path("date_format").asText("");
            return f.isEmpty() ? ("birthday".equals(type) ? "MM/DD" : "MM/DD/YYYY") : f;
        }

        ObjectNode json(String listId) {
            ObjectNode f = Http.obj();
            f.put("merge_id", mergeId);
            f.put("tag", tag);
            f.put("name", name);
            f.put("type", type);
            f.put("required", required);
            f.put("default_value", defaultValue);
            f.put("public", isPublic);
            f.put("display_order", displayOrder);
            f.set("options", options.deepCopy());
            f.put("help_text", helpText);
            f.put("list_id", listId);
            f.putArray("_links");
            return f;
        }
    }

    /** A field error: the merge tag and the message (the documented {@code errors[]} item). */
    record FieldError(String field, String message) {
    }

    private final LinkedHashMap<String, Def> byTag = new LinkedHashMap<>();
    private int nextMergeId = 1;

    /** The defaults of a new audience: FNAME, LNAME, ADDRESS and PHONE (CONTRACT §4.12 [docs]). */
    static MergeFields defaults() {
        MergeFields m = new MergeFields();
        m.add(def("FNAME", "First Name", "text", opts().put("size", 25)));
        m.add(def("LNAME", "Last Name", "text", opts().put("size", 25)));
        m.add(def("ADDRESS", "Address", "address", opts().put("default_country", 164))); // options UNVERIFIED
        m.add(def("PHONE", "Phone Number", "phone", opts().put("phone_format", "none")));
        return m;
    }

    private static ObjectNode opts() {
        return Http.obj();
    }

    private static Def def(String tag, String name, String type, ObjectNode options) {
        Def d = new Def();
        d.tag = tag;
        d.name = name;
        d.type = type;
        d.options = options;
        return d;
    }

    int size() {
        return byTag.size();
    }

    Def get(String tag) {
        return tag == null ? null : byTag.get(tag);
    }

    Iterable<Def> all() {
        return byTag.values();
    }

    int nextMergeId() {
        return nextMergeId;
    }

    /** Adds a definition; fills merge_id, display_order, tag and the type's default options when missing. */
    Def add(Def d) {
        if (d.mergeId <= 0) {
            d.mergeId = nextMergeId;
        }
        nextMergeId = Math.max(nextMergeId, d.mergeId + 1);
        if (d.tag == null || d.tag.isBlank()) {
            d.tag = "MMERGE" + d.mergeId; // Mailchimp's generated tag form; UNVERIFIED
        }
        if (d.displayOrder <= 0) {
            d.displayOrder = d.mergeId + 1; // EMAIL is display_order 1
        }
        defaultOptions(d);
        byTag.put(d.tag, d);
        return d;
    }

    private static void defaultOptions(Def d) {
        switch (d.type) {
            case "text" -> {
                if (!d.options.has("size")) {
                    d.options.put("size", 25);
                }
            }
            case "date", "birthday" -> {
                if (!d.options.has("date_format")) {
                    d.options.put("date_format", d.dateFormat());
                }
            }
            case "phone" -> {
                if (!d.options.has("phone_format")) {
                    d.options.put("phone_format", "none");
                }
            }
            case "address" -> {
                if (!d.options.has("default_country")) {
                    d.options.put("default_country", 164);
                }
            }
            default -> {
            }
        }
    }

    /** A definition from a POST body or a state file. Throws IllegalArgumentException(field|message) when invalid. */
    static Def parse(JsonNode b) {
        Def d = new Def();
        d.name = Http.text(b, "name");
        d.type = Http.text(b, "type");
        if (d.name == null || d.name.isBlank()) {
            throw new IllegalArgumentException("name|This value should not be blank.");
        }
        if (d.type == null || d.type.isBlank()) {
            throw new IllegalArgumentException("type|This value should not be blank.");
        }
        if (!TYPES.contains(d.type)) {
            throw new IllegalArgumentException("type|Value must be one of: text, number, address, phone, date, url, "
                    + "imageurl, radio, dropdown, birthday, zip");
        }
        String tag = Http.text(b, "tag");
        if (tag != null && !tag.isBlank()) {
            d.tag = tag.trim().toUpperCase(Locale.ROOT); // merge tags are upper case; UNVERIFIED that lower is folded
            if (d.tag.length() > MAX_TAG_LENGTH || !d.tag.matches("[A-Z0-9_]+")) {
                throw new IllegalArgumentException("tag|The tag must be at most " + MAX_TAG_LENGTH
                        + " letters, digits or underscores.");
            }
        }
        d.required = b.path("required").asBoolean(false);
        d.defaultValue = b.path("default_value").asText("");
        d.isPublic = b.path("public").asBoolean(true); // default UNVERIFIED
        d.displayOrder = b.path("display_order").asInt(0);
        d.helpText = b.path("help_text").asText("");
        d.mergeId = b.path("merge_id").asInt(0);
        JsonNode o = b.get("options");
        if (o != null && o.isObject()) {
            ObjectNode keep = Http.obj();
            for (String k : List.of("default_country", "phone_format", "date_format", "choices", "size")) {
                if (o.has(k) && !o.get(k).isNull()) {
                    keep.set(k, o.get(k).deepCopy());
                }
            }
            d.options = keep;
        }
        if (("dropdown".equals(d.type) || "radio".equals(d.type))) {
            JsonNode ch = d.options.get("choices");
            if (ch == null || !ch.isArray() || ch.isEmpty()) {
                throw new IllegalArgumentException("options.choices|A " + d.type + " field needs at least one choice.");
            }
        }
        return d;
    }

    // ------------------------------------------------------------------ member values

    /**
     * Checks a member's {@code merge_fields} and returns the values to store (tag → normalised value; an empty
     * string clears), or the field errors. {@code adding}: a new member, whose required fields must be filled
     * (the documented rule); {@code skipValidation}: {@code ?skip_merge_validation=true}, which bypasses that rule.
     */
    Map<String, JsonNode> check(JsonNode mf, boolean adding, boolean skipValidation, List<FieldError> errors) {
        LinkedHashMap<String, JsonNode> out = new LinkedHashMap<>();
        if (mf != null && mf.isObject()) {
            mf.fields().forEachRemaining(e -> {
                Def d = byTag.get(e.getKey());
                if (d == null) {
                    // UNVERIFIED wording (the API v2 text, seen in EvanHerman/yikes-inc-easy-mailchimp-extender#175)
                    errors.add(new FieldError(e.getKey(), "\"" + e.getKey()
                            + "\" does not appear to be a valid merge field for this list."));
                    return;
                }
                try {
                    out.put(d.tag, normalise(d, e.getValue()));
                } catch (IllegalArgumentException x) {
                    errors.add(new FieldError(d.tag, x.getMessage()));
                }
            });
        }
        if (!skipValidation) {
            for (Def d : byTag.values()) {
                if (!d.required) {
                    continue;
                }
                if (errors.stream().anyMatch(x -> x.field().equals(d.tag))) {
                    continue;
                }
                JsonNode v = out.get(d.tag);
                boolean empty = v == null || (v.isTextual() && v.asText().isEmpty());
                if (adding && empty && !d.defaultValue.isEmpty()) {
                    out.put(d.tag, TextNode.valueOf(d.defaultValue)); // "the default value ... if null"
                } else if (empty && (adding || v != null)) {
                    errors.add(new FieldError(d.tag, REQUIRED_MESSAGE));
                }
            }
        }
        return out;
    }

    private static final Pattern YMD = Pattern.compile("(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})");
    private static final Pattern DMY_DASH = Pattern.compile("(\\d{1,2})-(\\d{1,2})-(\\d{4})");
    private static final Pattern SLASH_YEAR_LAST = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern DAY_MONTH = Pattern.compile("(\\d{1,2})/(\\d{1,2})");
    private static final Pattern ZIP = Pattern.compile("\\d{5}");

    /** One value, checked against its type (the documented table); "" or null clears. Messages are UNVERIFIED. */
    static JsonNode normalise(Def d, JsonNode v) {
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
            return TextNode.valueOf("");
        }
        switch (d.type) {
            case "address" -> {
                if (!v.isObject()) {
                    throw new IllegalArgumentException("Please enter a complete address");
                }
                ObjectNode a = Http.obj();
                for (String k : ADDRESS_KEYS) {
                    JsonNode x = v.get(k);
                    if (x != null && !x.isNull() && !x.isValueNode()) {
                        throw new IllegalArgumentException("Please enter a complete address");
                    }
                    a.put(k, x == null || x.isNull() ? "" : MailchimpStore.trunc255(x.asText()));
                }
                for (String k : ADDRESS_REQUIRED) {
                    if (a.get(k).asText().isBlank()) {
                        throw new IllegalArgumentException("Please enter a complete address");
                    }
                }
                return a;
            }
            case "number" -> {
                try {
                    BigDecimal n = new BigDecimal(v.asText().trim());
                    return n.scale() <= 0 && n.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                            ? JsonNodeFactory.instance.numberNode(n.longValueExact())
                            : JsonNodeFactory.instance.numberNode(n);
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new IllegalArgumentException("Please enter a number");
                }
            }
            default -> {
            }
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException("Please enter a value");
        }
        String s = v.asText().trim();
        switch (d.type) {
            case "text" -> {
                return TextNode.valueOf(MailchimpStore.trunc255(v.asText())); // "truncated to 255 bytes"
            }
            case "dropdown", "radio" -> {
                if (!d.choices().contains(s)) {
                    throw new IllegalArgumentException("Please choose one of the field's options: "
                            + String.join(", ", d.choices()));
                }
                return TextNode.valueOf(s);
            }
            case "date" -> {
                return TextNode.valueOf(date(d, s).toString()); // returned as YYYY-MM-DD: UNVERIFIED
            }
            case "birthday" -> {
                return TextNode.valueOf(birthday(d, s));
            }
            case "zip" -> {
                if (!ZIP.matcher(s).matches()) {
                    throw new IllegalArgumentException("Please enter a valid zip code (5 digits)");
                }
                return TextNode.valueOf(s);
            }
            case "url", "imageurl" -> {
                if (!s.matches("(?i)(https?://)?[^\\s/]+\\.[^\\s]+")) {
                    throw new IllegalArgumentException("Please enter a valid URL");
                }
                return TextNode.valueOf(s);
            }
            case "phone" -> {
                if ("US".equals(d.options.path("phone_format").asText())
                        && s.replaceAll("[\\s().+-]", "").replaceFirst("^1(?=\\d{10}$)", "").length() != 10) {
                    throw new IllegalArgumentException("Please enter a valid US phone number");
                }
                return TextNode.valueOf(MailchimpStore.trunc255(s));
            }
            default -> {
                return TextNode.valueOf(s);
            }
        }
    }

    /** The documented date forms: YYYY-MM-DD, YYYY/MM/DD, DD-MM-YYYY, MM/DD/YYYY (DD/MM/YYYY when the field says so). */
    private static LocalDate date(Def d, String s) {
        try {
            Matcher m = YMD.matcher(s);
            if (m.matches()) {
                return LocalDate.of(i(m, 1), i(m, 2), i(m, 3));
            }
            m = DMY_DASH.matcher(s);
            if (m.matches()) {
                return LocalDate.of(i(m, 3), i(m, 2), i(m, 1));
            }
            m = SLASH_YEAR_LAST.matcher(s);
            if (m.matches()) {
                boolean dayFirst = d.dateFormat().toUpperCase(Locale.ROOT).startsWith("DD");
                return dayFirst ? LocalDate.of(i(m, 3), i(m, 2), i(m, 1)) : LocalDate.of(i(m, 3), i(m, 1), i(m, 2));
            }
        } catch (DateTimeException e) {
            // falls through to the error
        }
        throw new IllegalArgumentException("Please enter the date in the format " + d.dateFormat());
    }

    /** "MM/DD" (documented), or DD/MM when the field's date_format says so; kept in the field's format. */
    private static String birthday(Def d, String s) {
        Matcher m = DAY_MONTH.matcher(s);
        boolean dayFirst = d.dateFormat().toUpperCase(Locale.ROOT).startsWith("DD");
        if (m.matches()) {
            try {
                MonthDay md = dayFirst ? MonthDay.of(i(m, 2), i(m, 1)) : MonthDay.of(i(m, 1), i(m, 2));
                return dayFirst ? String.format("%02d/%02d", md.getDayOfMonth(), md.getMonthValue())
                        : String.format("%02d/%02d", md.getMonthValue(), md.getDayOfMonth());
            } catch (DateTimeException e) {
                // falls through
            }
        }
        throw new IllegalArgumentException("Please enter the birthday in the format " + d.dateFormat());
    }

    private static int i(Matcher m, int g) {
        return Integer.parseInt(m.group(g));
    }

    // ------------------------------------------------------------------ state

    /** Definitions as the state file keeps them (the API's JSON without list_id and _links). */
    ArrayNode stateJson() {
        ArrayNode a = Http.arr();
        for (Def d : byTag.values()) {
            ObjectNode o = d.json("");
            o.remove("list_id");
            o.remove("_links");
            a.add(o);
        }
        return a;
    }

    /** From a state file's "merge_fields" array (as written by {@link #stateJson}). */
    static MergeFields fromState(JsonNode a) {
        MergeFields m = new MergeFields();
        for (JsonNode n : a) {
            m.add(parse(n));
        }
        return m;
    }
}

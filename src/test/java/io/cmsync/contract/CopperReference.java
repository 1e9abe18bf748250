package io.cmsync.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Copper references copied into {@code src/test/resources/contract/copper/} (Copper publishes no OpenAPI document):
 * the official Postman examples of 2019, the tap-copper JSON schemas and the observed error bodies; and two
 * hand-written structural comparisons against them.
 */
final class CopperReference {
    static final String ROOT = "/contract/copper/";

    /** Person attributes a client may write (CONTRACT.md §4.1 minus the read-only ones). */
    static final Set<String> WRITABLE_PERSON = Set.of("name", "prefix", "first_name", "middle_name", "last_name",
            "suffix", "address", "assignee_id", "company_id", "company_name", "contact_type_id", "details", "emails",
            "phone_numbers", "socials", "tags", "title", "websites", "custom_fields");
    /** Body fields of POST /people/search (CONTRACT.md §4.2). */
    static final Set<String> SEARCH_FIELDS = Set.of("ids", "page_number", "page_size", "sort_by", "sort_direction",
            "name", "phone_number", "emails", "contact_type_ids", "assignee_ids", "company_ids", "opportunity_ids",
            "city", "state", "postal_code", "country", "tags", "socials", "followed", "age",
            "minimum_interaction_count", "maximum_interaction_count", "minimum_interaction_date",
            "maximum_interaction_date", "minimum_created_date", "maximum_created_date", "minimum_modified_date",
            "maximum_modified_date", "custom_fields");
    /** {@code sort_by} values of the contract (DOC-2019). */
    static final Set<String> SORT_BY = Set.of("name", "first_name", "last_name", "title", "email", "phone",
            "date_modified", "date_created", "city", "state", "country", "zip");
    /** Person fields that are Unix-seconds timestamps. */
    static final Set<String> TIMESTAMPS = Set.of("date_created", "date_modified", "date_last_contacted",
            "date_lead_created");

    private CopperReference() {
    }

    static JsonNode read(String relative) {
        try (InputStream in = CopperReference.class.getResourceAsStream(ROOT + relative)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + ROOT + relative);
            }
            return Wire.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first response example body of an official Postman example file. */
    static JsonNode example(String file) {
        return read("official-postman-examples-2019/" + file).path("response_examples").get(0).path("body");
    }

    static JsonNode schema(String name) {
        return read("tap-copper-schemas/" + name);
    }

    static JsonNode errorBody(String file) {
        return read("observed-error-bodies/" + file);
    }

    static String type(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isNumber()) {
            return "number";
        }
        return n.getNodeType().name().toLowerCase();
    }

    /**
     * Every field of the example is in the actual value with the same JSON type, recursively (objects field by field;
     * every element of an actual array against the first element of the example array). A null on either side
     * matches any type (Copper fields are nullable: the example shows one value, the sandbox another record).
     */
    /**
     * A custom field's {@code value}: its JSON type depends on the definition's data type (the official example itself
     * holds an integer, an array and a boolean there), so the first example element cannot type it.
     */
    private static final java.util.regex.Pattern CUSTOM_FIELD_VALUE =
            java.util.regex.Pattern.compile("\\$\\.custom_fields\\[\\d+]\\.value");

    /**
     * The value of a person's custom field against its definition (CONTRACT.md §7.2): String/Text/URL → string,
     * Dropdown → one of the option ids, MultiSelect → array of option ids, Date → Unix seconds, Checkbox → boolean,
     * Float/Percentage/Currency → number; null = unset.
     */
    static List<String> customFieldValueDiff(JsonNode definition, JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        String t = definition.path("data_type").asText();
        Set<Long> options = new java.util.HashSet<>();
        definition.path("options").forEach(o -> options.add(o.path("id").asLong()));
        boolean ok = switch (t) {
            case "String", "Text", "URL" -> value.isTextual();
            case "Dropdown" -> value.isIntegralNumber() && options.contains(value.asLong());
            case "MultiSelect" -> value.isArray() && java.util.stream.StreamSupport.stream(value.spliterator(), false)
                    .allMatch(v -> v.isIntegralNumber() && options.contains(v.asLong()));
            case "Date" -> value.isIntegralNumber() && String.valueOf(value.asLong()).length() == 10;
            case "Checkbox" -> value.isBoolean();
            case "Float", "Percentage", "Currency" -> value.isNumber();
            default -> true;
        };
        if (!ok) {
            out.add(definition.path("name").asText() + " (" + t + "): " + value);
        }
        return out;
    }

    static List<String> shapeDiff(JsonNode example, JsonNode actual) {
        List<String> out = new ArrayList<>();
        shape(example, actual, "$", out);
        return out;
    }

    private static void shape(JsonNode ex, JsonNode ac, String path, List<String> out) {
        if (ac == null || ac.isMissingNode()) {
            out.add(path + ": missing (example has " + type(ex) + ")");
            return;
        }
        if (ex.isNull() || ac.isNull()) {
            return;
        }
        if (CUSTOM_FIELD_VALUE.matcher(path).matches()) {
            return; // typed by the field's data_type (CONTRACT.md §7.2): checked by customFieldValueDiff
        }
        if (!type(ex).equals(type(ac))) {
            out.add(path + ": " + type(ac) + " where the example has " + type(ex) + " (" + ac + " vs " + ex + ")");
            return;
        }
        if (ex.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = ex.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                shape(f.getValue(), ac.get(f.getKey()), path + "." + f.getKey(), out);
            }
        } else if (ex.isArray() && ex.size() > 0) {
            for (int i = 0; i < ac.size(); i++) {
                shape(ex.get(0), ac.get(i), path + "[" + i + "]", out);
            }
        }
    }

    /**
     * A bulk item failure against the documented one: the same top-level members ({@code success}, {@code message},
     * plus {@code id} for updates), {@code success} false, and {@code message} a map of field name → array of
     * {@code {"error": string}} (the example's field, "name", is just one such key).
     */
    static List<String> bulkFailureDiff(JsonNode reference, JsonNode item) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> expected = new java.util.TreeSet<>();
        reference.fieldNames().forEachRemaining(expected::add);
        java.util.Set<String> actual = new java.util.TreeSet<>();
        item.fieldNames().forEachRemaining(actual::add);
        if (!expected.equals(actual)) {
            out.add("members " + actual + " instead of " + expected + ": " + item);
        }
        if (!item.path("success").isBoolean() || item.path("success").asBoolean()) {
            out.add("success is not false: " + item);
        }
        if (reference.has("id") && !item.path("id").isIntegralNumber()) {
            out.add("id is not an integer: " + item);
        }
        JsonNode message = item.path("message");
        JsonNode refItem = reference.path("message").elements().next().get(0);
        if (!message.isObject() || message.isEmpty()) {
            out.add("message is not a non-empty object: " + item);
        } else {
            message.fields().forEachRemaining(f -> {
                if (!f.getValue().isArray() || f.getValue().isEmpty()) {
                    out.add("message." + f.getKey() + " is not a non-empty array");
                } else {
                    f.getValue().forEach(e -> out.addAll(shapeDiff(refItem, e)));
                }
            });
        }
        return out;
    }

    /**
     * The subset of JSON Schema the tap-copper schemas use: {@code type} (string or array), {@code properties},
     * {@code items}, {@code anyOf}, {@code additionalProperties}. Unlike the schemas themselves (which allow anything
     * else), an actual field the schema does not list is reported: a renamed or invented field must fail.
     */
    static List<String> schemaDiff(JsonNode schema, JsonNode actual) {
        List<String> out = new ArrayList<>();
        validate(schema, actual, "$", out);
        return out;
    }

    private static void validate(JsonNode schema, JsonNode v, String path, List<String> out) {
        if (schema.has("anyOf")) {
            for (JsonNode alt : schema.get("anyOf")) {
                List<String> sub = new ArrayList<>();
                validate(alt, v, path, sub);
                if (sub.isEmpty()) {
                    return;
                }
            }
            out.add(path + ": matches no anyOf alternative: " + v);
            return;
        }
        JsonNode t = schema.get("type");
        if (t != null) {
            List<String> allowed = new ArrayList<>();
            if (t.isArray()) {
                t.forEach(x -> allowed.add(x.asText()));
            } else {
                allowed.add(t.asText());
            }
            String actual = type(v);
            // tap-copper converts Copper's Unix seconds to date-time strings in its *output*, and its schemas describe
            // that output ({"type":["null","string"],"format":"date-time"}); on the wire (Copper docs, the official
            // examples) these fields are integers. An integer is what the wire must carry there.
            if ("date-time".equals(schema.path("format").asText()) && allowed.contains("string")) {
                allowed.remove("string");
                allowed.add("integer");
            }
            boolean ok = allowed.contains(actual) || actual.equals("integer") && allowed.contains("number");
            if (!ok) {
                out.add(path + ": " + actual + " not in " + allowed + " (" + v + ")");
                return;
            }
        }
        if (v.isObject() && schema.has("properties")) {
            JsonNode props = schema.get("properties");
            boolean open = schema.path("additionalProperties").asBoolean(false);
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (props.has(f.getKey())) {
                    validate(props.get(f.getKey()), f.getValue(), path + "." + f.getKey(), out);
                } else if (!open) {
                    out.add(path + "." + f.getKey() + ": not in the schema");
                }
            }
        }
        if (v.isArray() && schema.has("items")) {
            for (int i = 0; i < v.size(); i++) {
                validate(schema.get("items"), v.get(i), path + "[" + i + "]", out);
            }
        }
    }
}

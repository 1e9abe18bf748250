package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Copper custom field definitions and the typed values a person's {@code custom_fields} carry
 * (reference/copper/CONTRACT.md §7): String/Text/URL → string, Dropdown → option id, MultiSelect → option ids,
 * Date → Unix seconds, Checkbox → boolean, Float/Percentage/Currency → number, null = unset. Knows nothing of HTTP:
 * an invalid value throws {@link CopperStore.Invalid}, which the API answers with its 422.
 */
final class CustomFields {
    static final Set<String> DATA_TYPES = Set.of("String", "Text", "Dropdown", "Date", "Checkbox", "Float", "URL",
            "Percentage", "Currency", "Connect", "MultiSelect");
    static final Set<String> ENTITIES = Set.of("lead", "person", "opportunity", "company", "project", "task");
    static final int STRING_MAX = 255; // "255 chars or less" (official example text, DOC-2019); the refusal is UNVERIFIED

    private final LinkedHashMap<Long, ObjectNode> defs = new LinkedHashMap<>();
    private long nextId = 1;
    private long nextOptionId = 1;

    void clear() {
        defs.clear();
        nextId = 1;
        nextOptionId = 1;
    }

    boolean isEmpty() {
        return defs.isEmpty();
    }

    ObjectNode get(long id) {
        return defs.get(id);
    }

    Iterable<ObjectNode> all() {
        return defs.values();
    }

    /** Definitions available on people, in definition order. */
    List<ObjectNode> onPeople() {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode d : defs.values()) {
            for (JsonNode e : d.path("available_on")) {
                if ("person".equals(e.asText())) {
                    out.add(d);
                    break;
                }
            }
        }
        return out;
    }

    /** A definition of the state file, kept as given (ids included). */
    void load(JsonNode d) {
        ObjectNode o = ((ObjectNode) d).deepCopy();
        long id = o.path("id").asLong(0);
        if (id <= 0) {
            id = nextId;
            o.put("id", id);
        }
        nextId = Math.max(nextId, id + 1);
        for (JsonNode opt : o.path("options")) {
            nextOptionId = Math.max(nextOptionId, opt.path("id").asLong(0) + 1);
        }
        defs.put(id, o);
    }

    /** POST /custom_field_definitions: checks the documented rules, assigns ids to the definition and its options. */
    ObjectNode create(JsonNode b) {
        String name = Http.text(b, "name");
        if (name == null || name.isBlank()) {
            throw new CopperStore.Invalid("name", "Name", "can't be blank");
        }
        String type = Http.text(b, "data_type");
        if (type == null || !DATA_TYPES.contains(type)) {
            throw new CopperStore.Invalid("data_type", "Data type", "is not included in the list");
        }
        ObjectNode o = Http.obj();
        o.put("id", nextId);
        o.put("name", name.trim());
        o.put("canonical_name", (String) null);
        o.put("data_type", type);
        ArrayNode on = o.putArray("available_on");
        for (JsonNode e : b.path("available_on")) {
            if (!ENTITIES.contains(e.asText())) {
                throw new CopperStore.Invalid("available_on", "Available on", "is not included in the list");
            }
            on.add(e.asText());
        }
        o.put("is_filterable", b.path("is_filterable").asBoolean(false));
        if ("Currency".equals(type)) {
            o.put("currency", b.path("currency").asText("USD"));
        }
        if ("Dropdown".equals(type) || "MultiSelect".equals(type)) {
            int min = "Dropdown".equals(type) ? 1 : 2; // documented minimums
            JsonNode opts = b.get("options");
            if (opts == null || !opts.isArray() || opts.size() < min) {
                throw new CopperStore.Invalid("options", "Options", "must have at least " + min + " option"
                        + (min > 1 ? "s" : ""));
            }
            ArrayNode out = o.putArray("options");
            int rank = 0;
            for (JsonNode opt : opts) {
                String n = Http.text(opt, "name");
                if (n == null || n.isBlank()) {
                    throw new CopperStore.Invalid("options", "Options", "name can't be blank");
                }
                out.addObject().put("id", nextOptionId++).put("name", n.trim()).put("rank", rank++);
            }
        }
        defs.put(nextId++, o);
        return o;
    }

    ArrayNode stateJson() {
        ArrayNode a = Http.arr();
        defs.values().forEach(d -> a.add(d.deepCopy()));
        return a;
    }

    // ------------------------------------------------------------------ values

    /**
     * Checks the {@code custom_fields} of a write and returns them with typed values. Unknown definitions, ones not
     * available on people and values of the wrong type are refused (422; the message wording is UNVERIFIED).
     */
    ArrayNode check(JsonNode sent) {
        ArrayNode out = Http.arr();
        if (sent == null || sent.isNull()) {
            return out;
        }
        if (!sent.isArray()) {
            throw invalid("must be an array");
        }
        for (JsonNode item : sent) {
            JsonNode idNode = item.get("custom_field_definition_id");
            if (!item.isObject() || idNode == null || !idNode.canConvertToLong()) {
                throw invalid("custom_field_definition_id can't be blank");
            }
            ObjectNode def = defs.get(idNode.asLong());
            if (def == null || !onPeople().contains(def)) {
                throw invalid("Invalid custom field definition id: " + idNode.asText());
            }
            JsonNode v = value(def, item.get("value"));
            out.addObject().put("custom_field_definition_id", idNode.asLong()).set("value", v);
        }
        return out;
    }

    private static JsonNode value(ObjectNode def, JsonNode v) {
        String type = def.path("data_type").asText();
        String name = def.path("name").asText();
        if (v == null || v.isNull()) {
            return NullNode.getInstance();
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (type) {
            case "String", "Text", "URL" -> {
                if (!v.isTextual()) {
                    throw invalid(name + " must be a string");
                }
                if ("String".equals(type) && v.asText().length() > STRING_MAX) {
                    throw invalid(name + " is too long (maximum is " + STRING_MAX + " characters)");
                }
                return v;
            }
            case "Dropdown" -> {
                long id = optionId(def, v, name);
                return f.numberNode(id);
            }
            case "MultiSelect" -> {
                if (!v.isArray()) {
                    throw invalid(name + " must be an array of option ids");
                }
                ArrayNode a = f.arrayNode();
                for (JsonNode x : v) {
                    a.add(optionId(def, x, name));
                }
                return a;
            }
            case "Date" -> {
                // Unix seconds; a numeric string is accepted like the search bodies' (UNVERIFIED for values)
                if (!(v.canConvertToLong() && (v.isIntegralNumber() || v.asText().matches("-?\\d+")))) {
                    throw invalid(name + " must be a date in Unix seconds");
                }
                return f.numberNode(v.asLong());
            }
            case "Checkbox" -> {
                if (!v.isBoolean()) {
                    throw invalid(name + " must be true or false");
                }
                return BooleanNode.valueOf(v.asBoolean());
            }
            case "Float", "Percentage", "Currency" -> {
                if (v.isNumber()) {
                    return v;
                }
                try {
                    if (v.isTextual()) {
                        return f.numberNode(new BigDecimal(v.asText().trim())); // numeric string: UNVERIFIED
                    }
                } catch (NumberFormatException e) {
                    // falls through to the refusal
                }
                throw invalid(name + " is not a number");
            }
            default -> {
                return v; // Connect: not emulated beyond keeping the value
            }
        }
    }

    private static long optionId(ObjectNode def, JsonNode v, String name) {
        if (v.isIntegralNumber() || (v.isTextual() && v.asText().matches("\\d+"))) {
            long id = v.asLong();
            for (JsonNode o : def.path("options")) {
                if (o.path("id").asLong() == id) {
                    return id;
                }
            }
        }
        throw invalid(name + ": " + v.asText() + " is not a valid option");
    }

    private static CopperStore.Invalid invalid(String error) {
        return new CopperStore.Invalid("custom_fields", "Custom fields", error);
    }

    /** The unset value of a definition as Copper lists it (checkbox false, multi-select []; UNVERIFIED, "may be"). */
    static JsonNode unset(ObjectNode def) {
        return switch (def.path("data_type").asText()) {
            case "Checkbox" -> BooleanNode.FALSE;
            case "MultiSelect" -> JsonNodeFactory.instance.arrayNode();
            default -> NullNode.getInstance();
        };
    }

    /** {@code computed_value} (§7.4): option names for Dropdown/MultiSelect, else the value. */
    static JsonNode computed(ObjectNode def, JsonNode v) {
        String type = def.path("data_type").asText();
        if ("Dropdown".equals(type) && v.canConvertToLong()) {
            String n = optionName(def, v.asLong());
            return n == null ? NullNode.getInstance() : JsonNodeFactory.instance.textNode(n);
        }
        if ("MultiSelect".equals(type) && v.isArray()) {
            ArrayNode a = Http.arr();
            v.forEach(x -> a.add(optionName(def, x.asLong())));
            return a;
        }
        return v;
    }

    private static String optionName(ObjectNode def, long id) {
        for (JsonNode o : def.path("options")) {
            if (o.path("id").asLong() == id) {
                return o.path("name").asText();
            }
        }
        return null;
    }
}

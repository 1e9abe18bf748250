package io.cmsync.mapping;

import io.cmsync.report.FieldRefusals;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cmsync.copper.CopperPerson;
import io.cmsync.mapping.Definitions.CustomFieldDef;
import io.cmsync.mapping.Definitions.MergeFieldDef;
import io.cmsync.sync.FieldRule;

/**
 * The mapping resolved against both accounts (made by {@link MappingValidator}): each entry knows its Copper field
 * (and custom field definition), its merge field and the kind of value they share.
 *
 * <p>Decisions (docs/field-mapping.md):
 * <ul>
 * <li>Copper Date ↔ day: Copper keeps Unix seconds; the day is read in UTC and written as UTC midnight (what Copper's
 *     web app stores is UNVERIFIED, docs/sandbox.md). A Copper value that is not midnight but names the same UTC day
 *     compares equal, so it is never rewritten.</li>
 * <li>Mailchimp text over 255 bytes (UTF-8): refused and reported, not truncated. Mailchimp would truncate it, and the
 *     two sides would then differ for ever (rewritten on every run, or the cut value flowing back into Copper).</li>
 * <li>Mailchimp's address type needs addr1, city, state and zip: an address without one of them is refused.</li>
 * <li>A Copper Checkbox unset or false is "false"; an empty Mailchimp value for it also reads "false".</li>
 * </ul>
 */
final class DefaultResolvedMapping implements ResolvedMapping {

    /** The kind of value an entry carries, which fixes its canonical text. */
    enum ValueType { TEXT, NUMBER, DATE, BIRTHDAY, CHOICE, MULTI, BOOL, ADDRESS }

    /** One entry, resolved. {@code custom} is null unless the Copper side is a custom field. */
    record Resolved(MappingEntry entry, CopperField field, CustomFieldDef custom, MergeFieldDef merge,
                    ValueType type) {
    }

    static final int MAILCHIMP_TEXT_BYTES = 255;
    static final int COPPER_STRING_CHARS = 255;
    static final String SEPARATOR = ", ";
    static final String ADDRESS_SEPARATOR = " | ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URL = Pattern.compile("(?i)(https?://)?[^\\s/]+\\.[^\\s]+");
    private static final Pattern ZIP = Pattern.compile("\\d{5}");
    private static final Pattern YMD = Pattern.compile("(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})");
    private static final Pattern DMY_DASH = Pattern.compile("(\\d{1,2})-(\\d{1,2})-(\\d{4})");
    private static final Pattern SLASH_YEAR_LAST = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern DAY_MONTH = Pattern.compile("(\\d{1,2})[/-](\\d{1,2})");

    private final String firstNameTag;
    private final String lastNameTag;
    private final List<Resolved> fields;

    /** @param fields the entries beyond the names, in mapping order */
    DefaultResolvedMapping(String firstNameTag, String lastNameTag, List<Resolved> fields) {
        this.firstNameTag = Objects.requireNonNull(firstNameTag);
        this.lastNameTag = Objects.requireNonNull(lastNameTag);
        this.fields = List.copyOf(fields);
    }

    List<Resolved> resolved() {
        return fields;
    }

    @Override
    public String firstNameTag() {
        return firstNameTag;
    }

    @Override
    public String lastNameTag() {
        return lastNameTag;
    }

    @Override
    public String mergeTag(String entry) {
        return fields.stream().filter(r -> r.entry().name().equals(entry)).map(r -> r.entry().mergeTag()).findFirst()
                .orElse(null);
    }

    @Override
    public List<FieldRule> rules() {
        List<FieldRule> rules = new ArrayList<>();
        for (Resolved r : fields) {
            rules.add(new FieldRule(r.entry().name(), r.entry().direction(), v -> mailchimpRefusal(r, v),
                    v -> copperRefusal(r, v)));
        }
        return rules;
    }

    @Override
    public String fingerprint() {
        StringBuilder sb = new StringBuilder("mapping-v1;first_name>").append(firstNameTag)
                .append(";last_name>").append(lastNameTag);
        for (Resolved r : fields) {
            MappingEntry e = r.entry();
            sb.append(';').append(e.name()).append('=').append(e.copper());
            if (r.custom() != null) {
                sb.append('#').append(r.custom().id());
            }
            sb.append('>').append(e.mergeTag()).append(':').append(r.merge().type()).append('/')
                    .append(e.direction().word());
            if (e.transform() != null) {
                sb.append('/').append(e.transform());
            }
        }
        return sb.toString();
    }

    @Override
    public List<String> copperEntriesRefused(String copperError, java.util.Collection<String> entries) {
        if (copperError == null) {
            return List.of();
        }
        // two shapes (CONTRACT §11.1): a single call's « Invalid input: Validation errors: Custom fields: Secteur: … »
        // (several joined by new lines), and a bulk item's {"message": {"custom_fields": [{"error": …}]}}, which the
        // client gives as « custom_fields: … » (several joined by "; ")
        String text = copperError.replaceFirst("(?is)^\\s*invalid input:\\s*validation errors:\\s*", "");
        Set<String> out = new LinkedHashSet<>();
        for (String segment : text.split("\\n|; ")) {
            int colon = segment.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String attribute = segment.substring(0, colon).strip().toLowerCase(Locale.ROOT).replace(' ', '_');
            String detail = segment.substring(colon + 1);
            List<Resolved> carried = fields.stream().filter(r -> entries.contains(r.entry().name()))
                    .filter(r -> attribute.equals(attributeOf(r))).toList();
            List<Resolved> named = carried.stream().filter(r -> r.custom() != null && namedIn(detail, r.custom()))
                    .toList();
            // Copper named the custom field: that one; it said only "custom_fields": each custom field it carried
            (named.isEmpty() ? carried : named).forEach(r -> out.add(r.entry().name()));
        }
        return List.copyOf(out);
    }

    /** The Copper attribute an entry writes, as Copper's errors name it. */
    private static String attributeOf(Resolved r) {
        return switch (r.field().kind()) {
            case TITLE -> "title";
            case COMPANY_NAME -> "company_name";
            case PHONE -> "phone_numbers";
            case ADDRESS -> "address";
            case WEBSITE -> "websites";
            case CUSTOM -> "custom_fields";
            default -> ""; // the names: their failure is the contact's, as before the mapping
        };
    }

    /** An error's detail names this custom field, or its definition's id (deleted since the run read them). */
    private static boolean namedIn(String detail, CustomFieldDef def) {
        return Pattern.compile("(?iu)(?<![\\p{L}\\p{N}])" + Pattern.quote(def.name()) + "\\s*:").matcher(detail).find()
                || Pattern.compile("(?i)definition id:\\s*" + def.id() + "(?!\\d)").matcher(detail).find();
    }

    // ------------------------------------------------------------------ reading

    @Override
    public Map<String, String> copperValues(CopperPerson person) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> carried = new LinkedHashSet<>();
        for (Resolved r : fields) {
            out.put(r.entry().name(), transform(r, copperCanonical(r, person)));
            switch (r.field().kind()) {
                case PHONE, WEBSITE, ADDRESS -> carried.add(r.field().target());
                default -> {
                }
            }
        }
        for (String target : carried) {
            Object whole = switch (target) {
                case "phone_numbers" -> person.phoneNumbers() == null ? List.of() : person.phoneNumbers().stream()
                        .map(p -> entry("number", p.number(), "category", p.category())).toList();
                case "websites" -> person.websites() == null ? List.of() : person.websites().stream()
                        .map(w -> entry("url", w.url(), "category", w.category())).toList();
                default -> addressMap(person.address());
            };
            out.put(CARRIED + target, write(whole));
        }
        return out;
    }

    private static Map<String, Object> entry(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static Map<String, Object> addressMap(CopperPerson.Address a) {
        if (a == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("street", a.street());
        m.put("city", a.city());
        m.put("state", a.state());
        m.put("postal_code", a.postalCode());
        m.put("country", a.country());
        return m;
    }

    static String copperCanonical(Resolved r, CopperPerson p) {
        CopperField f = r.field();
        return switch (f.kind()) {
            case FIRST_NAME -> nz(p.firstName());
            case LAST_NAME -> nz(p.lastName());
            case TITLE -> nz(p.title());
            case COMPANY_NAME -> nz(p.companyName());
            case PHONE -> p.phoneNumbers() == null ? "" : p.phoneNumbers().stream()
                    .filter(x -> x.number() != null && !x.number().isBlank())
                    .filter(x -> f.sub() == null || f.sub().equalsIgnoreCase(nz(x.category())))
                    .map(CopperPerson.Phone::number).findFirst().orElse("");
            case WEBSITE -> p.websites() == null ? "" : p.websites().stream()
                    .filter(x -> x.url() != null && !x.url().isBlank())
                    .filter(x -> f.sub() == null || f.sub().equalsIgnoreCase(nz(x.category())))
                    .map(CopperPerson.Website::url).findFirst().orElse("");
            case ADDRESS -> f.sub() == null ? address(addressParts(p.address()))
                    : addressParts(p.address()).get(CopperField.ADDRESS_PARTS.indexOf(f.sub()));
            case CUSTOM -> customCanonical(r, customValue(r.custom(), p));
        };
    }

    private static JsonNode customValue(CustomFieldDef def, CopperPerson p) {
        if (p.customFields() == null) {
            return null;
        }
        for (CopperPerson.CustomFieldValue v : p.customFields()) {
            if (v.customFieldDefinitionId() != null && v.customFieldDefinitionId() == def.id()) {
                return v.value();
            }
        }
        return null;
    }

    static String customCanonical(Resolved r, JsonNode v) {
        boolean unset = v == null || v.isNull();
        return switch (r.type()) {
            case BOOL -> !unset && v.asBoolean(false) ? "true" : "false";
            case MULTI -> {
                if (unset || !v.isArray()) {
                    yield "";
                }
                Set<Long> ids = new LinkedHashSet<>();
                v.forEach(x -> ids.add(x.asLong()));
                yield String.join(SEPARATOR, r.custom().options().stream().filter(o -> ids.contains(o.id()))
                        .sorted(Comparator.comparingInt(CustomFieldDef.Option::rank)).map(CustomFieldDef.Option::name)
                        .toList());
            }
            case CHOICE -> unset ? "" : r.custom().options().stream().filter(o -> o.id() == v.asLong())
                    .map(CustomFieldDef.Option::name).findFirst().orElse("");
            case DATE, BIRTHDAY -> {
                if (unset || !v.canConvertToLong()) {
                    yield "";
                }
                LocalDate day = Instant.ofEpochSecond(v.asLong()).atZone(ZoneOffset.UTC).toLocalDate();
                yield r.type() == ValueType.DATE ? day.toString()
                        : String.format("%02d-%02d", day.getMonthValue(), day.getDayOfMonth());
            }
            case NUMBER -> unset ? "" : number(v.asText()).orElse(v.asText());
            default -> unset ? "" : v.asText();
        };
    }

    @Override
    public Map<String, String> mailchimpValues(Map<String, Object> mergeFields) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Resolved r : fields) {
            Object raw = mergeFields == null ? null : mergeFields.get(r.entry().mergeTag());
            out.put(r.entry().name(), transform(r, mailchimpCanonical(r, raw)));
        }
        return out;
    }

    static String mailchimpCanonical(Resolved r, Object raw) {
        if (r.type() == ValueType.ADDRESS) {
            if (!(raw instanceof Map<?, ?> m)) {
                return "";
            }
            String addr1 = part(m, "addr1");
            String addr2 = part(m, "addr2");
            String street = addr2.isBlank() ? addr1 : addr1.isBlank() ? addr2 : addr1 + SEPARATOR + addr2;
            return address(List.of(street, part(m, "city"), part(m, "state"), part(m, "zip"), part(m, "country")));
        }
        String s = raw == null || raw instanceof Map<?, ?> ? "" : raw instanceof Number n ? plain(n) : raw.toString();
        String t = s.strip();
        return switch (r.type()) {
            case NUMBER -> number(t).orElse(t);
            case DATE -> date(r.merge(), t).map(LocalDate::toString).orElse(t);
            case BIRTHDAY -> birthday(r.merge(), t).orElse(t);
            case CHOICE -> t;
            case BOOL -> t.isEmpty() ? "false" : t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")
                    ? t.toLowerCase(Locale.ROOT) : t;
            case MULTI -> multi(r, t);
            default -> s;
        };
    }

    private static String plain(Number n) {
        return number(n.toString()).orElse(n.toString());
    }

    private static String part(Map<?, ?> m, String k) {
        Object v = m.get(k);
        return v == null ? "" : v.toString();
    }

    /** Labels in Copper's option order when every one is an option; else the text as given (then refused). */
    private static String multi(Resolved r, String t) {
        if (t.isEmpty()) {
            return "";
        }
        Set<String> labels = new LinkedHashSet<>();
        for (String x : t.split(",")) {
            if (!x.isBlank()) {
                labels.add(x.strip());
            }
        }
        List<CustomFieldDef.Option> options = r.custom().options().stream()
                .filter(o -> labels.contains(o.name())).sorted(Comparator.comparingInt(CustomFieldDef.Option::rank))
                .toList();
        if (options.size() != labels.size()) {
            return t;
        }
        return String.join(SEPARATOR, options.stream().map(CustomFieldDef.Option::name).toList());
    }

    private static String transform(Resolved r, String v) {
        String t = r.entry().transform();
        if (t == null || r.type() != ValueType.TEXT) {
            return v;
        }
        return switch (t) {
            case "trim" -> v.strip();
            case "upper" -> v.toUpperCase(Locale.ROOT);
            case "lower" -> v.toLowerCase(Locale.ROOT);
            default -> v;
        };
    }

    // ------------------------------------------------------------------ checks

    static String mailchimpRefusal(Resolved r, String v) {
        MergeFieldDef m = r.merge();
        if (v == null || v.isEmpty()) {
            boolean noDefault = m.defaultValue() == null || m.defaultValue().isEmpty();
            return m.required() && noDefault ? FieldRefusals.french("required", m.tag()) : null;
        }
        switch (m.type()) {
            case "number" -> {
                return number(v).isPresent() ? null : FieldRefusals.french("not-number", v, m.tag());
            }
            case "date" -> {
                return isoDate(v) != null ? null : FieldRefusals.french("not-date", v, m.tag());
            }
            case "birthday" -> {
                return monthDay(v) != null ? null : FieldRefusals.french("not-birthday", v, m.tag());
            }
            case "dropdown", "radio" -> {
                List<String> choices = choices(m);
                return choices.contains(v) ? null
                        : FieldRefusals.french("choice", v, m.tag(), String.join(", ", choices));
            }
            case "zip" -> {
                return ZIP.matcher(v).matches() ? null : FieldRefusals.french("zip", v, m.tag());
            }
            case "url", "imageurl" -> {
                if (!URL.matcher(v).matches()) {
                    return FieldRefusals.french("url", v, m.tag());
                }
                return tooLong(v, m.tag());
            }
            case "phone" -> {
                if ("US".equals(m.options() == null ? "" : m.options().path("phone_format").asText(""))
                        && v.replaceAll("[\\s().+-]", "").replaceFirst("^1(?=\\d{10}$)", "").length() != 10) {
                    return FieldRefusals.french("phone-us", v, m.tag());
                }
                return tooLong(v, m.tag());
            }
            case "address" -> {
                List<String> parts = addressParts(v);
                List<String> missing = new ArrayList<>();
                for (int i = 0; i < 4; i++) { // street, city, state, postal_code: addr1, city, state, zip
                    if (parts.get(i).isBlank()) {
                        missing.add(CopperField.ADDRESS_PARTS.get(i));
                    }
                }
                if (!missing.isEmpty()) {
                    return FieldRefusals.french("address-incomplete", m.tag(), String.join(", ", missing));
                }
                for (String p : parts) {
                    String tl = tooLong(p, m.tag());
                    if (tl != null) {
                        return tl;
                    }
                }
                return null;
            }
            default -> {
                return tooLong(v, m.tag());
            }
        }
    }

    private static String tooLong(String v, String tag) {
        int bytes = v.getBytes(StandardCharsets.UTF_8).length;
        return bytes > MAILCHIMP_TEXT_BYTES ? FieldRefusals.french("too-long", tag, bytes, MAILCHIMP_TEXT_BYTES) : null;
    }

    static String copperRefusal(Resolved r, String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        String field = r.entry().copper();
        switch (r.type()) {
            case NUMBER -> {
                return number(v).isPresent() ? null : FieldRefusals.french("copper-not-number", v, field);
            }
            case DATE -> {
                return isoDate(v) != null ? null : FieldRefusals.french("copper-not-date", v, field);
            }
            case BIRTHDAY -> {
                return FieldRefusals.french("copper-birthday", field);
            }
            case BOOL -> {
                return v.equals("true") || v.equals("false") ? null : FieldRefusals.french("copper-checkbox", v, field);
            }
            case CHOICE -> {
                return option(r.custom(), v) != null ? null : FieldRefusals.french("copper-option", v, field,
                        optionNames(r.custom()));
            }
            case MULTI -> {
                for (String x : v.split(",")) {
                    if (!x.isBlank() && option(r.custom(), x.strip()) == null) {
                        return FieldRefusals.french("copper-option", x.strip(), field, optionNames(r.custom()));
                    }
                }
                return null;
            }
            default -> {
                if (r.custom() != null && "String".equals(r.custom().dataType())
                        && v.codePointCount(0, v.length()) > COPPER_STRING_CHARS) {
                    return FieldRefusals.french("copper-too-long", field, COPPER_STRING_CHARS);
                }
                return null;
            }
        }
    }

    private static String optionNames(CustomFieldDef def) {
        return String.join(", ", def.options().stream().map(CustomFieldDef.Option::name).toList());
    }

    private static CustomFieldDef.Option option(CustomFieldDef def, String label) {
        return def.options().stream().filter(o -> o.name().equals(label)).findFirst().orElse(null);
    }

    // ------------------------------------------------------------------ writing

    @Override
    public void putCopper(Map<String, String> values, Map<String, String> current, Map<String, Object> body) {
        Map<String, Object> wholes = new LinkedHashMap<>();
        List<Map<String, Object>> custom = new ArrayList<>();
        for (Resolved r : fields) { // in mapping order, whatever the map's: the same body for the same values
            if (!values.containsKey(r.entry().name())) {
                continue;
            }
            String v = values.get(r.entry().name()) == null ? "" : values.get(r.entry().name());
            CopperField f = r.field();
            switch (f.kind()) {
                case TITLE, COMPANY_NAME -> body.put(f.target(), v.isEmpty() ? null : v);
                case PHONE -> setElement(list(wholes, current, f.target()), "number", f.sub(), v);
                case WEBSITE -> setElement(list(wholes, current, f.target()), "url", f.sub(), v);
                case ADDRESS -> {
                    Map<String, Object> a = address(wholes, current);
                    if (f.sub() == null) {
                        List<String> parts = addressParts(v);
                        for (int i = 0; i < CopperField.ADDRESS_PARTS.size(); i++) {
                            a.put(CopperField.ADDRESS_PARTS.get(i), parts.get(i));
                        }
                    } else {
                        a.put(f.sub(), v);
                    }
                }
                case CUSTOM -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("custom_field_definition_id", r.custom().id());
                    item.put("value", copperTyped(r, v));
                    custom.add(item);
                }
                default -> {
                    // the names are the planner's own
                }
            }
        }
        for (Map.Entry<String, Object> w : wholes.entrySet()) {
            Object value = w.getValue();
            if (value instanceof Map<?, ?> a && a.values().stream().allMatch(x -> x == null || x.toString().isEmpty())) {
                value = null; // a cleared address
            }
            body.put(w.getKey(), value);
        }
        if (!custom.isEmpty()) {
            @SuppressWarnings("unchecked")
            List<Object> existing = body.get("custom_fields") instanceof List<?> l ? (List<Object>) l : null;
            if (existing != null) {
                existing.addAll(custom);
            } else {
                body.put("custom_fields", custom);
            }
        }
    }

    /** A custom field's value typed as Copper takes it (CONTRACT §7.2); "" is null (unset). */
    static Object copperTyped(Resolved r, String v) {
        if (v.isEmpty()) {
            return r.type() == ValueType.BOOL ? Boolean.FALSE : null;
        }
        return switch (r.type()) {
            case NUMBER -> new BigDecimal(v);
            case DATE -> LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            case BOOL -> Boolean.parseBoolean(v);
            case CHOICE -> option(r.custom(), v).id();
            case MULTI -> {
                List<Long> ids = new ArrayList<>();
                for (String x : v.split(",")) {
                    if (!x.isBlank()) {
                        ids.add(option(r.custom(), x.strip()).id());
                    }
                }
                yield ids;
            }
            default -> v;
        };
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> wholes, Map<String, String> current,
                                                  String target) {
        return (List<Map<String, Object>>) wholes.computeIfAbsent(target, t -> {
            List<Map<String, Object>> l = new ArrayList<>();
            String carried = current == null ? null : current.get(CARRIED + t);
            if (carried != null) {
                List<Map<String, Object>> read = read(carried, new TypeReference<List<Map<String, Object>>>() { });
                if (read != null) {
                    read.forEach(x -> l.add(new LinkedHashMap<>(x)));
                }
            }
            return l;
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> address(Map<String, Object> wholes, Map<String, String> current) {
        return (Map<String, Object>) wholes.computeIfAbsent("address", t -> {
            Map<String, Object> a = new LinkedHashMap<>();
            CopperField.ADDRESS_PARTS.forEach(p -> a.put(p, ""));
            String carried = current == null ? null : current.get(CARRIED + "address");
            if (carried != null) {
                Map<String, Object> read = read(carried, new TypeReference<Map<String, Object>>() { });
                if (read != null) {
                    read.forEach((k, v) -> a.put(k, v == null ? "" : v));
                }
            }
            return a;
        });
    }

    /**
     * Sets the first element of a phone / website array (of {@code category} when given): its value replaced, the
     * element removed when cleared, a new element (category {@code category}, else "work") added when none.
     */
    private static void setElement(List<Map<String, Object>> list, String key, String category, String v) {
        int found = -1;
        for (int i = 0; i < list.size(); i++) {
            Object value = list.get(i).get(key);
            Object cat = list.get(i).get("category");
            if (value != null && !value.toString().isBlank()
                    && (category == null || category.equalsIgnoreCase(cat == null ? "" : cat.toString()))) {
                found = i;
                break;
            }
        }
        if (v.isEmpty()) {
            if (found >= 0) {
                list.remove(found);
            }
        } else if (found >= 0) {
            list.get(found).put(key, v);
        } else {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(key, v);
            m.put("category", category == null ? "work" : category);
            list.add(m);
        }
    }

    @Override
    public void putMailchimp(Map<String, String> values, Map<String, Object> mergeFields) {
        for (Resolved r : fields) {
            if (values.containsKey(r.entry().name())) {
                String v = values.get(r.entry().name());
                mergeFields.put(r.entry().mergeTag(), mailchimpTyped(r, v == null ? "" : v));
            }
        }
    }

    static Object mailchimpTyped(Resolved r, String v) {
        if (v.isEmpty()) {
            return "";
        }
        MergeFieldDef m = r.merge();
        return switch (m.type()) {
            case "number" -> new BigDecimal(v);
            case "address" -> {
                List<String> p = addressParts(v);
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("addr1", p.get(0));
                a.put("addr2", "");
                a.put("city", p.get(1));
                a.put("state", p.get(2));
                a.put("zip", p.get(3));
                a.put("country", p.get(4));
                yield a;
            }
            case "birthday" -> {
                MonthDay md = monthDay(v);
                yield dayFirst(m) ? String.format("%02d/%02d", md.getDayOfMonth(), md.getMonthValue())
                        : String.format("%02d/%02d", md.getMonthValue(), md.getDayOfMonth());
            }
            default -> v; // dates as YYYY-MM-DD, a form every date field takes (CONTRACT §4.12)
        };
    }

    // ------------------------------------------------------------------ values

    static String nz(String s) {
        return s == null ? "" : s;
    }

    /** A number as a plain decimal without trailing zeros, or empty when it is not one. */
    static java.util.Optional<String> number(String s) {
        try {
            BigDecimal n = new BigDecimal(s.strip());
            return java.util.Optional.of(n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString());
        } catch (NumberFormatException | NullPointerException e) {
            return java.util.Optional.empty();
        }
    }

    static LocalDate isoDate(String s) {
        try {
            return s.matches("\\d{4}-\\d{2}-\\d{2}") ? LocalDate.parse(s) : null;
        } catch (DateTimeException e) {
            return null;
        }
    }

    static MonthDay monthDay(String s) {
        Matcher m = Pattern.compile("(\\d{2})-(\\d{2})").matcher(s);
        try {
            return m.matches() ? MonthDay.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean dayFirst(MergeFieldDef m) {
        String f = m.options() == null ? "" : m.options().path("date_format").asText("");
        return f.toUpperCase(Locale.ROOT).startsWith("DD");
    }

    /** A Mailchimp date as given back (YYYY-MM-DD, or the field's own format), read as a day. */
    static java.util.Optional<LocalDate> date(MergeFieldDef m, String s) {
        try {
            Matcher x = YMD.matcher(s);
            if (x.matches()) {
                return java.util.Optional.of(LocalDate.of(i(x, 1), i(x, 2), i(x, 3)));
            }
            x = DMY_DASH.matcher(s);
            if (x.matches()) {
                return java.util.Optional.of(LocalDate.of(i(x, 3), i(x, 2), i(x, 1)));
            }
            x = SLASH_YEAR_LAST.matcher(s);
            if (x.matches()) {
                return java.util.Optional.of(dayFirst(m) ? LocalDate.of(i(x, 3), i(x, 2), i(x, 1))
                        : LocalDate.of(i(x, 3), i(x, 1), i(x, 2)));
            }
        } catch (DateTimeException e) {
            // not a day
        }
        return java.util.Optional.empty();
    }

    /** A Mailchimp birthday (MM/DD, or DD/MM when the field says so) as MM-dd. */
    static java.util.Optional<String> birthday(MergeFieldDef m, String s) {
        Matcher x = DAY_MONTH.matcher(s);
        if (!x.matches()) {
            return java.util.Optional.empty();
        }
        try {
            MonthDay md = dayFirst(m) ? MonthDay.of(i(x, 2), i(x, 1)) : MonthDay.of(i(x, 1), i(x, 2));
            return java.util.Optional.of(String.format("%02d-%02d", md.getMonthValue(), md.getDayOfMonth()));
        } catch (DateTimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static int i(Matcher m, int g) {
        return Integer.parseInt(m.group(g));
    }

    static List<String> choices(MergeFieldDef m) {
        List<String> out = new ArrayList<>();
        if (m.options() != null) {
            m.options().path("choices").forEach(c -> out.add(c.asText()));
        }
        return out;
    }

    private static List<String> addressParts(CopperPerson.Address a) {
        if (a == null) {
            return List.of("", "", "", "", "");
        }
        return List.of(nz(a.street()), nz(a.city()), nz(a.state()), nz(a.postalCode()), nz(a.country()));
    }

    /** The five parts joined by " | ", or "" when all are empty. */
    static String address(List<String> parts) {
        return parts.stream().allMatch(String::isBlank) ? "" : String.join(ADDRESS_SEPARATOR, parts);
    }

    static List<String> addressParts(String canonical) {
        List<String> parts = new ArrayList<>(List.of(canonical.split(Pattern.quote(ADDRESS_SEPARATOR), -1)));
        while (parts.size() < 5) {
            parts.add("");
        }
        return parts.subList(0, 5);
    }

    private static String write(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}

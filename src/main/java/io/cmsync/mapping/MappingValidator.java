package io.cmsync.mapping;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.config.ConfigException;
import io.cmsync.i18n.Messages;
import io.cmsync.mapping.DefaultResolvedMapping.Resolved;
import io.cmsync.mapping.DefaultResolvedMapping.ValueType;
import io.cmsync.mapping.Definitions.CustomFieldDef;
import io.cmsync.mapping.Definitions.MergeFieldDef;
import io.cmsync.sync.FlowDirection;

/**
 * Checks a {@link FieldMapping} against what the two accounts define, before any write: every problem found (not just
 * the first), each naming its mapping entry, or the {@link ResolvedMapping} when there is none.
 *
 * <p>Which Copper field may go with which merge field type ({@link #COMPATIBLE}; docs/field-mapping.md has the same
 * table): names, title, company and address parts ↔ text (dropdown / radio too: a value with no choice is refused
 * per contact); postal code ↔ text, zip; String and Text ↔ text, url, imageurl, phone, zip, dropdown, radio; URL and
 * websites ↔ url, imageurl, text; phone numbers ↔ phone, text; the whole address ↔ address; Dropdown ↔ dropdown, radio
 * (every option must be a choice, each way the direction flows), text; MultiSelect ↔ text (labels joined by ", ");
 * Date ↔ date, text (as YYYY-MM-DD), birthday (Copper → Mailchimp only: a birthday has no year); Checkbox ↔ text
 * ("true" / "false"), dropdown or radio only when their choices include "true" and "false" (no table of words like
 * Oui / Non: lossless or refused); Float, Percentage, Currency ↔ number, text. Connect fields are not mapped.
 */
public final class MappingValidator {
    /** An audience holds at most 30 merge fields (CONTRACT §4.12, observed). */
    public static final int MERGE_FIELD_LIMIT = 30;
    /** Longer tags are refused by Mailchimp (CONTRACT §8, observed; the exact limit is UNVERIFIED). */
    public static final int MAX_TAG_LENGTH = 10;

    static final Map<String, Set<String>> COMPATIBLE = new LinkedHashMap<>();

    static {
        Set<String> textual = Set.of("text", "dropdown", "radio");
        COMPATIBLE.put("first_name", Set.of("text"));
        COMPATIBLE.put("last_name", Set.of("text"));
        COMPATIBLE.put("title", textual);
        COMPATIBLE.put("company_name", textual);
        COMPATIBLE.put("address.street", textual);
        COMPATIBLE.put("address.city", textual);
        COMPATIBLE.put("address.state", textual);
        COMPATIBLE.put("address.country", textual);
        COMPATIBLE.put("address.postal_code", Set.of("text", "zip"));
        COMPATIBLE.put("address", Set.of("address"));
        COMPATIBLE.put("phone_numbers", Set.of("phone", "text"));
        COMPATIBLE.put("websites", Set.of("url", "imageurl", "text"));
        COMPATIBLE.put("String", Set.of("text", "url", "imageurl", "phone", "zip", "dropdown", "radio"));
        COMPATIBLE.put("Text", Set.of("text", "url", "imageurl", "phone", "zip", "dropdown", "radio"));
        COMPATIBLE.put("URL", Set.of("url", "imageurl", "text"));
        COMPATIBLE.put("Dropdown", Set.of("dropdown", "radio", "text"));
        COMPATIBLE.put("MultiSelect", Set.of("text"));
        COMPATIBLE.put("Date", Set.of("date", "birthday", "text"));
        COMPATIBLE.put("Checkbox", Set.of("text", "radio", "dropdown"));
        COMPATIBLE.put("Float", Set.of("number", "text"));
        COMPATIBLE.put("Percentage", Set.of("number", "text"));
        COMPATIBLE.put("Currency", Set.of("number", "text"));
    }

    private MappingValidator() {
    }

    /**
     * One problem: the entry it concerns (null for a merge field no entry fills: then {@code subject} is its tag),
     * a key of the catalogue's {@code cli.config.problem.mapping-*} section and its arguments (the entry's line first).
     */
    public record Problem(MappingEntry entry, String subject, String problem, List<Object> args) {
        public Problem {
            args = List.copyOf(args);
        }

        /** The catalogue key, e.g. {@code cli.config.problem.mapping-merge-field-missing}. */
        public String key() {
            return "cli.config.problem." + problem;
        }

        /** The problem as the configuration error the command line prints (one line, exit 2). */
        public ConfigException toException(Path mappingFile) {
            return new ConfigException(subject, String.valueOf(mappingFile), problem, args.toArray());
        }

        /** « Erreur de configuration : secteur dans config/mapping.yaml : ligne 12 : … » in the reader's language. */
        public String describe(Messages messages, Path mappingFile) {
            return toException(mappingFile).describe(messages);
        }
    }

    /** The checked mapping, or the problems; the merge fields to create first (with {@code createMissing}). */
    public record Result(ResolvedMapping mapping, List<Problem> problems, List<MergeFieldDef> toCreate) {
        public Result {
            problems = List.copyOf(problems);
            toCreate = List.copyOf(toCreate);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static Result check(FieldMapping mapping, Definitions definitions, boolean createMissing) {
        List<Problem> problems = new ArrayList<>();
        List<MergeFieldDef> toCreate = new ArrayList<>();
        Map<String, MergeFieldDef> merge = new LinkedHashMap<>();
        definitions.mergeFields().forEach(m -> merge.put(m.tag(), m));
        String firstTag = null;
        String lastTag = null;
        List<Resolved> resolved = new ArrayList<>();
        List<MappingEntry> entries = mapping.entries();
        for (MappingEntry e : entries) {
            List<Problem> mine = new ArrayList<>();
            CopperField field = CopperField.parse(e.copper()).orElse(null);
            if (field == null) {
                mine.add(problem(e, "mapping-copper-field", e.copper(), CopperField.FORMS));
                problems.addAll(mine);
                continue;
            }
            CustomFieldDef custom = null;
            if (field.kind() == CopperField.Kind.CUSTOM) {
                custom = customField(definitions, field.sub());
                if (custom == null) {
                    mine.add(problem(e, "mapping-custom-field-missing", field.sub()));
                } else if (!custom.availableOn().contains("person")) {
                    mine.add(problem(e, "mapping-custom-field-not-person", field.sub(),
                            String.join(", ", custom.availableOn())));
                    custom = null;
                }
            }
            String kind = custom != null ? custom.dataType() : kindKey(field);
            if (field.kind() == CopperField.Kind.CUSTOM && custom == null) {
                problems.addAll(mine);
                continue;
            }
            if (!COMPATIBLE.containsKey(kind)) {
                mine.add(problem(e, "mapping-copper-type", e.copper(), kind));
                problems.addAll(mine);
                continue;
            }
            MergeFieldDef m = merge.get(e.mergeTag());
            if (m == null) {
                if (!createMissing) {
                    mine.add(problem(e, "mapping-merge-field-missing", e.mergeTag()));
                } else if (e.mergeTag().length() > MAX_TAG_LENGTH) {
                    mine.add(problem(e, "mapping-tag-too-long", e.mergeTag(), MAX_TAG_LENGTH));
                } else if (merge.size() + 1 > MERGE_FIELD_LIMIT) {
                    mine.add(problem(e, "mapping-merge-field-limit", e.mergeTag(), MERGE_FIELD_LIMIT,
                            definitions.mergeFields().size()));
                } else {
                    m = newMergeField(e, kind, custom);
                    toCreate.add(m);
                    merge.put(m.tag(), m);
                }
            }
            if (m == null) {
                problems.addAll(mine);
                continue;
            }
            if (!COMPATIBLE.get(kind).contains(m.type())) {
                mine.add(problem(e, "mapping-incompatible", e.copper(), kind, e.mergeTag(), m.type(),
                        String.join(", ", new java.util.TreeSet<>(COMPATIBLE.get(kind)))));
                problems.addAll(mine);
                continue;
            }
            ValueType type = valueType(field, custom, m);
            if (field.kind() == CopperField.Kind.FIRST_NAME) {
                firstTag = m.tag();
            } else if (field.kind() == CopperField.Kind.LAST_NAME) {
                lastTag = m.tag();
            }
            if (e.transform() != null && type != ValueType.TEXT) {
                mine.add(problem(e, "mapping-transform-not-text", e.transform()));
            }
            if (type == ValueType.BIRTHDAY && e.direction() != FlowDirection.COPPER_TO_MAILCHIMP) {
                mine.add(problem(e, "mapping-birthday-direction", e.mergeTag()));
            }
            boolean choiceField = m.type().equals("dropdown") || m.type().equals("radio");
            List<String> choices = DefaultResolvedMapping.choices(m);
            if (type == ValueType.CHOICE && choiceField) {
                List<String> options = custom.options().stream().map(CustomFieldDef.Option::name).toList();
                if (e.direction().toMailchimp()) {
                    List<String> missing = options.stream().filter(o -> !choices.contains(o)).toList();
                    if (!missing.isEmpty()) {
                        mine.add(problem(e, "mapping-choices-missing", e.mergeTag(), String.join(", ", missing)));
                    }
                }
                if (e.direction().toCopper()) {
                    List<String> missing = choices.stream().filter(c -> !options.contains(c)).toList();
                    if (!missing.isEmpty()) {
                        mine.add(problem(e, "mapping-options-missing", field.sub(), String.join(", ", missing)));
                    }
                }
            }
            if (type == ValueType.BOOL && choiceField && !(choices.contains("true") && choices.contains("false"))) {
                mine.add(problem(e, "mapping-checkbox-choices", e.mergeTag()));
            }
            if (type == ValueType.MULTI) {
                List<String> withComma = custom.options().stream().map(CustomFieldDef.Option::name)
                        .filter(n -> n.contains(",")).toList();
                if (!withComma.isEmpty()) {
                    mine.add(problem(e, "mapping-multiselect-comma", field.sub(), String.join(" ; ", withComma)));
                }
            }
            for (MappingEntry other : entries) {
                if (other == e) {
                    break;
                }
                CopperField of = CopperField.parse(other.copper()).orElse(null);
                if (of != null && e.direction().toCopper() && other.direction().toCopper() && of.overlaps(field)) {
                    mine.add(problem(e, "mapping-same-target", field.target(), other.name()));
                }
            }
            problems.addAll(mine);
            if (mine.isEmpty() && !field.isName()) {
                resolved.add(new Resolved(e, field, custom, m, type));
            }
        }
        for (MergeFieldDef m : merge.values()) {
            boolean hasDefault = m.defaultValue() != null && !m.defaultValue().isEmpty();
            if (m.required() && !hasDefault && entries.stream()
                    .noneMatch(e -> e.mergeTag().equals(m.tag()) && e.direction().toMailchimp())) {
                problems.add(new Problem(null, m.tag(), "mapping-required-unfilled",
                        List.of(m.tag(), m.name() == null ? "" : m.name())));
            }
        }
        if (!problems.isEmpty() || firstTag == null || lastTag == null) {
            return new Result(null, problems, List.of());
        }
        return new Result(new DefaultResolvedMapping(firstTag, lastTag, resolved), problems, toCreate);
    }

    private static Problem problem(MappingEntry e, String key, Object... args) {
        List<Object> all = new ArrayList<>();
        all.add(e.line());
        all.addAll(List.of(args));
        return new Problem(e, e.name(), key, all);
    }

    /** By exact name, else by name ignoring case; a definition available on people first. */
    private static CustomFieldDef customField(Definitions d, String name) {
        CustomFieldDef found = null;
        for (boolean exact : new boolean[] {true, false}) {
            for (CustomFieldDef c : d.customFields()) {
                boolean same = exact ? c.name().equals(name) : c.name().equalsIgnoreCase(name);
                if (same && (found == null || (!found.availableOn().contains("person")
                        && c.availableOn().contains("person")))) {
                    found = c;
                }
            }
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String kindKey(CopperField f) {
        return f.kind() == CopperField.Kind.ADDRESS && f.sub() != null ? "address." + f.sub() : f.target();
    }

    static ValueType valueType(CopperField f, CustomFieldDef custom, MergeFieldDef m) {
        if (f.kind() == CopperField.Kind.ADDRESS && f.sub() == null) {
            return ValueType.ADDRESS;
        }
        if (custom == null) {
            return ValueType.TEXT;
        }
        return switch (custom.dataType()) {
            case "Dropdown" -> ValueType.CHOICE;
            case "MultiSelect" -> ValueType.MULTI;
            case "Date" -> "birthday".equals(m.type()) ? ValueType.BIRTHDAY : ValueType.DATE;
            case "Checkbox" -> ValueType.BOOL;
            case "Float", "Percentage", "Currency" -> ValueType.NUMBER;
            default -> ValueType.TEXT;
        };
    }

    /** The merge field to create for an entry whose tag the audience lacks: the type that suits its Copper field. */
    private static MergeFieldDef newMergeField(MappingEntry e, String kind, CustomFieldDef custom) {
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        String type = switch (kind) {
            case "address" -> "address";
            case "phone_numbers" -> "phone";
            case "websites", "URL" -> "url";
            case "Dropdown" -> "dropdown";
            case "Date" -> "date";
            case "Float", "Percentage", "Currency" -> "number";
            default -> "text";
        };
        switch (type) {
            case "dropdown" -> {
                var arr = options.putArray("choices");
                custom.options().stream().sorted(java.util.Comparator.comparingInt(CustomFieldDef.Option::rank))
                        .forEach(o -> arr.add(o.name()));
            }
            case "date" -> options.put("date_format", "DD/MM/YYYY");
            case "phone" -> options.put("phone_format", "none");
            case "text" -> options.put("size", 25);
            default -> {
            }
        }
        return new MergeFieldDef(e.mergeTag(), e.name(), type, false, "", (JsonNode) options);
    }
}

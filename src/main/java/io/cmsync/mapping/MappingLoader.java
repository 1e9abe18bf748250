package io.cmsync.mapping;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.cmsync.config.ConfigException;
import io.cmsync.sync.FlowDirection;

/**
 * Reads the field mapping file ({@code config/mapping.yaml}, setting {@code mapping.file}) into a {@link FieldMapping}.
 *
 * <p><b>Why YAML, and a file of its own.</b> A mapping is a list of small records (Copper field, merge tag,
 * direction, transform), each with a name. In {@code application.properties} that list becomes numbered keys
 * ({@code mapping.3.copper=…}), where a deleted line silently shifts or orphans the others and nothing groups an
 * entry's lines. YAML writes each entry as one indented block, keeps comments next to the entry they explain, and
 * Camel users already edit {@code routes/*.yaml}. The parser reports the line of a syntax error, and every entry
 * remembers its line, so each mistake names the entry (or its line) and the file.
 *
 * <p>Rules checked here (without the accounts; {@link MappingValidator} checks against them): only the keys
 * {@code name}, {@code copper}, {@code mailchimp}, {@code direction}, {@code transform}; a known Copper field form;
 * a merge tag of letters, digits and underscores (upper-cased), never {@code EMAIL}; a direction among both,
 * copper-to-mailchimp, mailchimp-to-copper; a transform among trim, upper, lower; unique names and merge tags. The
 * names are always synced: without an entry for first_name / last_name the default one (FNAME / LNAME) is added, and
 * an entry for them may only change the merge tag.
 */
public final class MappingLoader {
    static final Set<String> KEYS = Set.of("name", "copper", "mailchimp", "direction", "transform");
    static final List<String> TRANSFORMS = List.of("trim", "upper", "lower");
    private static final String KEY_LIST = "name, copper, mailchimp, direction, transform";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private MappingLoader() {
    }

    /** The mapping of {@code file}; {@link FieldMapping#defaults()} when the file does not exist. */
    public static FieldMapping load(Path file) {
        if (file == null || !Files.exists(file)) {
            return FieldMapping.defaults();
        }
        String where = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(null, where, "file-unreadable", "not a file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String detail = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new ConfigException(null, where, "mapping-syntax", at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), detail.strip());
        } catch (IOException e) {
            throw new ConfigException(null, where, "file-unreadable", e.getMessage());
        }
    }

    /** Parses YAML text; {@code source} names the file in messages and in the result. */
    static FieldMapping parse(Reader reader, Path source) throws IOException {
        String where = String.valueOf(source);
        List<MappingEntry> entries = new ArrayList<>();
        try (JsonParser p = YAML.getFactory().createParser(reader)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return complete(entries, source); // empty file: the names only
            }
            if (t != JsonToken.START_OBJECT) {
                throw new ConfigException(null, where, "mapping-root", line(p));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = line(p);
                JsonToken v = p.nextToken();
                if (!"fields".equals(key)) {
                    throw new ConfigException(null, where, "mapping-root-key", keyLine, key);
                }
                if (v == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (v != JsonToken.START_ARRAY) {
                    throw new ConfigException("fields", where, "mapping-fields-list", keyLine);
                }
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    int entryLine = line(p);
                    JsonNode node = YAML.readTree(p);
                    entries.add(entry(node, entryLine, where));
                }
            }
        }
        return complete(entries, source);
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static MappingEntry entry(JsonNode node, int line, String where) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(null, where, "mapping-entry-not-map", line);
        }
        String given = text(node, "name", line, where);
        String copper = text(node, "copper", line, where);
        String label = given != null ? given : copper;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new ConfigException(label, where, "mapping-unknown-key", line, k, KEY_LIST);
            }
        }
        if (copper == null) {
            throw new ConfigException(label, where, "mapping-copper-missing", line);
        }
        CopperField field = CopperField.parse(copper)
                .orElseThrow(() -> new ConfigException(label, where, "mapping-copper-field", line, copper,
                        CopperField.FORMS));
        String tag = text(node, "mailchimp", line, where);
        if (tag == null) {
            throw new ConfigException(label, where, "mapping-mailchimp-missing", line);
        }
        tag = tag.toUpperCase(Locale.ROOT);
        if (!tag.matches("[A-Z0-9_]+")) {
            throw new ConfigException(label, where, "mapping-merge-tag", line, tag);
        }
        if (tag.equals("EMAIL") || tag.equals("MERGE0")) {
            throw new ConfigException(label, where, "mapping-merge-tag-email", line);
        }
        String dirText = text(node, "direction", line, where);
        FlowDirection direction = dirText == null ? FlowDirection.BOTH : FlowDirection.parse(dirText)
                .orElseThrow(() -> new ConfigException(label, where, "mapping-direction", line, dirText));
        String transform = text(node, "transform", line, where);
        if (transform != null) {
            String tr = transform.toLowerCase(Locale.ROOT);
            if (!TRANSFORMS.contains(tr)) {
                throw new ConfigException(label, where, "mapping-transform", line, transform);
            }
            transform = tr;
        }
        if (field.isName()) {
            String nameKey = field.text();
            if ((given != null && !given.equals(nameKey)) || direction != FlowDirection.BOTH || transform != null) {
                throw new ConfigException(nameKey, where, "mapping-name-entry", line, nameKey);
            }
            return new MappingEntry(nameKey, nameKey, tag, FlowDirection.BOTH, null, line);
        }
        String name = given != null ? given : field.text();
        if (name.startsWith(ResolvedMapping.CARRIED) || name.equals(FieldMapping.FIRST_NAME)
                || name.equals(FieldMapping.LAST_NAME)) {
            throw new ConfigException(name, where, "mapping-name-reserved", line, name);
        }
        return new MappingEntry(name, field.text(), tag, direction, transform, line);
    }

    /** A scalar value as text (numbers too, e.g. a merge tag written 2024), null when absent or empty. */
    private static String text(JsonNode node, String key, int line, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            String label = node.path("name").isTextual() ? node.get("name").asText() : null;
            throw new ConfigException(label, where, "mapping-not-text", line, key);
        }
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    /** Adds the names' default entries when missing, then refuses duplicate names and merge tags. */
    private static FieldMapping complete(List<MappingEntry> entries, Path source) {
        String where = String.valueOf(source);
        List<MappingEntry> all = new ArrayList<>();
        FieldMapping defaults = FieldMapping.defaults();
        for (MappingEntry d : defaults.entries()) {
            if (entries.stream().noneMatch(e -> e.copper().equals(d.copper()))) {
                all.add(d);
            }
        }
        all.addAll(entries);
        Map<String, MappingEntry> byName = new HashMap<>();
        Map<String, MappingEntry> byTag = new HashMap<>();
        for (MappingEntry e : all) {
            MappingEntry sameName = byName.putIfAbsent(e.name(), e);
            if (sameName != null) {
                throw new ConfigException(e.name(), where, "mapping-duplicate-name", e.line(), e.name(),
                        sameName.line());
            }
            MappingEntry sameTag = byTag.putIfAbsent(e.mergeTag(), e);
            if (sameTag != null) {
                throw new ConfigException(e.name(), where, "mapping-duplicate-tag", e.line(), e.mergeTag(),
                        sameTag.name());
            }
        }
        return new FieldMapping(all, source);
    }
}

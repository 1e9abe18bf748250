package io.cmsync.copper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cmsync.mapping.ResolvedMapping;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Emails;

/** Copper person ⇄ {@link Contact}, and the request bodies for creating and updating people. */
public final class CopperMapping {
    private CopperMapping() {
    }

    public static Contact toContact(CopperPerson p) {
        return toContact(p, null);
    }

    /** The person as the planner sees it, with the mapped fields' canonical values (null mapping: names only). */
    public static Contact toContact(CopperPerson p, ResolvedMapping mapping) {
        String raw = p.firstEmail();
        String first = p.firstName();
        String last = p.lastName();
        if ((first == null || first.isBlank()) && (last == null || last.isBlank()) && p.name() != null) {
            // older records may only carry the full name
            String[] parts = p.name().strip().split("\\s+", 2);
            first = parts[0];
            last = parts.length > 1 ? parts[1] : "";
        }
        Map<String, String> fields = mapping == null || mapping.rules().isEmpty() ? Map.of() : mapping.copperValues(p);
        return new Contact(Emails.normalise(raw), raw, first, last, p.tags() == null ? List.of() : p.tags(), null,
                p.id() == null ? null : String.valueOf(p.id()),
                p.dateModified() == null ? null : Instant.ofEpochSecond(p.dateModified()), fields);
    }

    /** {@link #newPerson(String, String, String, List)} with the mapped fields' values (entry name → value). */
    public static Map<String, Object> newPerson(String email, String firstName, String lastName, List<String> tags,
                                                Map<String, String> fields, ResolvedMapping mapping) {
        Map<String, Object> body = newPerson(email, firstName, lastName, tags);
        if (mapping != null && fields != null && !fields.isEmpty()) {
            mapping.putCopper(fields, Map.of(), body);
        }
        return body;
    }

    /**
     * {@link #personUpdate(long, String, String, boolean, List)} with the mapped fields' values; {@code current}: the
     * person's fields as read (the parts of whole values the mapping does not cover are kept from it).
     */
    public static Map<String, Object> personUpdate(long id, String firstName, String lastName, boolean names,
                                                   List<String> tags, Map<String, String> fields,
                                                   Map<String, String> current, ResolvedMapping mapping) {
        Map<String, Object> body = personUpdate(id, firstName, lastName, names, tags);
        if (mapping != null && fields != null && !fields.isEmpty()) {
            mapping.putCopper(fields, current == null ? Map.of() : current, body);
        }
        return body;
    }

    /** Body item for POST /people or bulk_create: name is required by Copper, e-mail category work. */
    public static Map<String, Object> newPerson(String email, String firstName, String lastName, List<String> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", fullName(firstName, lastName, email));
        body.put("first_name", firstName);
        body.put("last_name", lastName);
        body.put("emails", List.of(Map.of("email", email, "category", "work")));
        if (tags != null && !tags.isEmpty()) {
            body.put("tags", new ArrayList<>(tags));
        }
        return body;
    }

    /** Body item for bulk_update: only the fields that change (PUT is partial; tags replace the whole array). */
    public static Map<String, Object> personUpdate(long id, String firstName, String lastName, boolean names,
                                                   List<String> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        if (names) {
            body.put("name", fullName(firstName, lastName, null));
            body.put("first_name", firstName);
            body.put("last_name", lastName);
        }
        if (tags != null) {
            body.put("tags", new ArrayList<>(tags));
        }
        return body;
    }

    static String fullName(String first, String last, String fallback) {
        String name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
        if (name.isEmpty() && fallback != null) {
            int at = fallback.indexOf('@');
            return at > 0 ? fallback.substring(0, at) : fallback;
        }
        return name;
    }
}

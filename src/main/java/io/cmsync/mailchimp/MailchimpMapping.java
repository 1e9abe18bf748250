package io.cmsync.mailchimp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.cmsync.mapping.ResolvedMapping;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Emails;

/** Member ⇄ {@link Contact}, subscriber hash and request bodies. */
public final class MailchimpMapping {
    /** Mailchimp truncates text merge fields at 255 bytes; we cut first, on a character boundary. */
    static final int MERGE_FIELD_MAX_BYTES = 255;

    private MailchimpMapping() {
    }

    /** MD5 (lower-case hex) of the lower-cased address: the member id. */
    public static String subscriberHash(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest(email.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Contact toContact(MailchimpMember m) {
        return toContact(m, null);
    }

    /**
     * The member as the planner sees it, through the run's field mapping (null: the default, names in FNAME and
     * LNAME): the names from their mapped merge tags, the mapped fields' canonical values.
     */
    public static Contact toContact(MailchimpMember m, ResolvedMapping mapping) {
        List<String> tags = m.tags() == null ? List.of() : m.tags().stream().map(MailchimpMember.Tag::name).toList();
        String firstTag = mapping == null ? "FNAME" : mapping.firstNameTag();
        String lastTag = mapping == null ? "LNAME" : mapping.lastNameTag();
        Map<String, String> fields = mapping == null || mapping.rules().isEmpty() ? Map.of()
                : mapping.mailchimpValues(m.mergeFields() == null ? Map.of() : m.mergeFields());
        return new Contact(Emails.normalise(m.emailAddress()), m.emailAddress(), m.mergeField(firstTag),
                m.mergeField(lastTag), tags, m.status(), m.id(), parseTime(m.lastChanged()), fields);
    }

    /**
     * The merge fields to write: the names under their mapped tags (cut to 255 bytes) and the given mapped fields'
     * values (entry name → canonical value) through the mapping; the default FNAME / LNAME without one.
     */
    public static Map<String, Object> mergeFields(String firstName, String lastName, Map<String, String> fields,
                                                  ResolvedMapping mapping) {
        if (mapping == null) {
            return mergeFields(firstName, lastName);
        }
        Map<String, Object> merge = new LinkedHashMap<>();
        merge.put(mapping.firstNameTag(), truncateUtf8(firstName, MERGE_FIELD_MAX_BYTES));
        merge.put(mapping.lastNameTag(), truncateUtf8(lastName, MERGE_FIELD_MAX_BYTES));
        if (fields != null && !fields.isEmpty()) {
            mapping.putMailchimp(fields, merge);
        }
        return merge;
    }

    static Instant parseTime(String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static Map<String, Object> mergeFields(String firstName, String lastName) {
        Map<String, Object> merge = new LinkedHashMap<>();
        merge.put("FNAME", truncateUtf8(firstName, MERGE_FIELD_MAX_BYTES));
        merge.put("LNAME", truncateUtf8(lastName, MERGE_FIELD_MAX_BYTES));
        return merge;
    }

    /** Cuts to at most {@code maxBytes} UTF-8 bytes without splitting a character (or a surrogate pair). */
    public static String truncateUtf8(String s, int maxBytes) {
        if (s == null) {
            return "";
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return s;
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
        ByteBuffer out = ByteBuffer.allocate(maxBytes);
        CharBuffer in = CharBuffer.wrap(s);
        encoder.encode(in, out, true);
        return s.substring(0, in.position());
    }
}

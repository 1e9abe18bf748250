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
        List<String> tags = m.tags() == null ? List.of() : m.tags().stream().map(MailchimpMember.Tag::name).toList();
        return new Contact(Emails.normalise(m.emailAddress()), m.emailAddress(), m.mergeField("FNAME"),
                m.mergeField("LNAME"), tags, m.status(), m.id(), parseTime(m.lastChanged()));
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

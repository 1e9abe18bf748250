package io.cmsync.sync;

import java.util.Locale;

/**
 * E-mail keys and a pragmatic validity check. A contact is keyed by its normalised e-mail on both sides.
 * <p>
 * The check is deliberately practical rather than a full RFC 5322 parser: it accepts what Copper users type and
 * Mailchimp accepts (plus-addressing, sub-domains, internationalised domain names) and rejects what would fail at
 * Mailchimp or is plainly a typo (spaces, two {@code @}, consecutive dots, missing or one-letter TLD). Quoted local
 * parts and IP-literal domains are not supported (Mailchimp refuses them too).
 */
public final class Emails {

    /** RFC 5321 limits. */
    public static final int MAX_LOCAL_LENGTH = 64;
    public static final int MAX_LABEL_LENGTH = 63;
    public static final int MAX_LENGTH = 254;

    private static final String LOCAL_SPECIALS = "!#$%&'*+/=?^_`{|}~-.";

    private Emails() {
    }

    /**
     * The key of an address: surrounding white space (including no-break and zero-width spaces) removed,
     * lower-cased with {@link Locale#ROOT}. {@code null} gives {@code ""}.
     */
    public static String normalise(String raw) {
        if (raw == null) {
            return "";
        }
        int start = 0;
        int end = raw.length();
        while (start < end && isBlankChar(raw.charAt(start))) {
            start++;
        }
        while (end > start && isBlankChar(raw.charAt(end - 1))) {
            end--;
        }
        return raw.substring(start, end).toLowerCase(Locale.ROOT);
    }

    private static boolean isBlankChar(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u200B' || c == '\uFEFF';
    }

    /**
     * Whether a normalised address can be synced: exactly one {@code @}; a local part of 1 to 64 ASCII characters
     * (letters, digits, {@code !#$%&'*+/=?^_`{|}~-} and dots, no leading, trailing or doubled dot); a domain of at
     * least two dot-separated labels made of letters (any script), digits and hyphens (not at either end of a
     * label, at most 63 characters each); a top-level domain of at least two characters that is not all digits;
     * no white space or control character anywhere; at most 254 characters in all.
     */
    public static boolean isValid(String normalised) {
        if (normalised == null || normalised.isEmpty() || normalised.length() > MAX_LENGTH) {
            return false;
        }
        int at = normalised.indexOf('@');
        if (at <= 0 || at != normalised.lastIndexOf('@') || at == normalised.length() - 1) {
            return false;
        }
        return isValidLocal(normalised.substring(0, at)) && isValidDomain(normalised.substring(at + 1));
    }

    private static boolean isValidLocal(String local) {
        if (local.isEmpty() || local.length() > MAX_LOCAL_LENGTH) {
            return false;
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || LOCAL_SPECIALS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isValidDomain(String domain) {
        // split with limit -1 keeps empty labels, so "a..b", ".a" and "a." are rejected below
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!isValidLabel(label)) {
                return false;
            }
        }
        String tld = labels[labels.length - 1];
        if (tld.codePointCount(0, tld.length()) < 2) {
            return false;
        }
        return !tld.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isValidLabel(String label) {
        if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
            return false;
        }
        if (label.startsWith("-") || label.endsWith("-")) {
            return false;
        }
        int i = 0;
        while (i < label.length()) {
            int cp = label.codePointAt(i);
            boolean ok = Character.isLetterOrDigit(cp) || cp == '-'
                    // combining marks are part of letters in decomposed IDN labels
                    || Character.getType(cp) == Character.NON_SPACING_MARK
                    || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
            if (!ok) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** The part before the {@code @} ("" when there is none). */
    public static String localPart(String email) {
        if (email == null) {
            return "";
        }
        int at = email.indexOf('@');
        return at < 0 ? email : email.substring(0, at);
    }
}

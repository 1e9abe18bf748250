package io.cmsync.sync;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The tags this product gives a meaning to, and how a person's tags are matched against them.
 * <p>
 * Matching is robust but never by substring: a tag matches a configured tag (or one of its aliases) when both have
 * the same {@link #key(String) key}, i.e. the same {@link #normalise(String) normalised} form — case, accents,
 * emoji (with or without variation selector, or missing), punctuation and extra spaces are ignored, the words must
 * be the same. {@code "🗑 a   supprimer"} matches {@code "🗑️ À SUPPRIMER"}; {@code "NE PAS SUPPRIMER LE DEVIS"} does
 * not.
 *
 * @param deletionTag       tag that sends a Copper person to the archive channel (default {@code 🗑️ À SUPPRIMER})
 * @param deletionAliases   other tags with the same meaning (default {@code DELETE}, {@code REMOVE})
 * @param inactiveTag       tag that excludes a Copper person from the sync (default {@code 📥 INACTIF}); also the tag
 *                          the archive command puts in place of the deletion tag
 * @param inactiveAliases   other tags with the same meaning (default {@code INACTIVE}, {@code ARCHIVED})
 * @param unsubscribedTag   Copper tag mirroring Mailchimp status {@code unsubscribed} (default
 *                          {@code Mailchimp: désabonné})
 * @param cleanedTag        Copper tag mirroring Mailchimp status {@code cleaned} (default {@code Mailchimp: nettoyé})
 * @param resubscribeTag    Copper tag for addresses Mailchimp refuses to re-add (default {@code Réinscription requise})
 */
public record TagRules(String deletionTag, List<String> deletionAliases, String inactiveTag,
                       List<String> inactiveAliases, String unsubscribedTag, String cleanedTag,
                       String resubscribeTag) {

    public static final String DEFAULT_DELETION_TAG = "🗑️ À SUPPRIMER";
    public static final List<String> DEFAULT_DELETION_ALIASES = List.of("DELETE", "REMOVE");
    public static final String DEFAULT_INACTIVE_TAG = "📥 INACTIF";
    public static final List<String> DEFAULT_INACTIVE_ALIASES = List.of("INACTIVE", "ARCHIVED");
    public static final String DEFAULT_UNSUBSCRIBED_TAG = "Mailchimp: désabonné";
    public static final String DEFAULT_CLEANED_TAG = "Mailchimp: nettoyé";
    public static final String DEFAULT_RESUBSCRIBE_TAG = "Réinscription requise";

    public TagRules {
        deletionTag = requireTag(deletionTag, "deletionTag");
        inactiveTag = requireTag(inactiveTag, "inactiveTag");
        unsubscribedTag = requireTag(unsubscribedTag, "unsubscribedTag");
        cleanedTag = requireTag(cleanedTag, "cleanedTag");
        resubscribeTag = requireTag(resubscribeTag, "resubscribeTag");
        deletionAliases = cleanAliases(deletionAliases);
        inactiveAliases = cleanAliases(inactiveAliases);
    }

    /** The defaults of the old tool (plus the status mirror tags). */
    public static TagRules defaults() {
        return new TagRules(DEFAULT_DELETION_TAG, DEFAULT_DELETION_ALIASES, DEFAULT_INACTIVE_TAG,
                DEFAULT_INACTIVE_ALIASES, DEFAULT_UNSUBSCRIBED_TAG, DEFAULT_CLEANED_TAG, DEFAULT_RESUBSCRIBE_TAG);
    }

    private static String requireTag(String tag, String name) {
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("TagRules." + name + " must not be blank");
        }
        return tag.strip();
    }

    private static List<String> cleanAliases(List<String> aliases) {
        if (aliases == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String alias : aliases) {
            if (alias != null && !alias.isBlank()) {
                out.add(alias.strip());
            }
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------------------------------------- matching

    /** The first of {@code tags} that is the deletion tag or one of its aliases, as the person carries it. */
    public Optional<String> deletionTag(List<String> tags) {
        return firstMatching(tags, deletionKeys());
    }

    /** The first of {@code tags} that is the inactive tag or one of its aliases, as the person carries it. */
    public Optional<String> inactiveTag(List<String> tags) {
        return firstMatching(tags, inactiveKeys());
    }

    public boolean isDeletionTag(String tag) {
        return deletionKeys().contains(key(tag));
    }

    public boolean isInactiveTag(String tag) {
        return inactiveKeys().contains(key(tag));
    }

    public boolean isUnsubscribedTag(String tag) {
        return same(tag, unsubscribedTag);
    }

    public boolean isCleanedTag(String tag) {
        return same(tag, cleanedTag);
    }

    public boolean isResubscribeTag(String tag) {
        return same(tag, resubscribeTag);
    }

    /**
     * Whether a tag is one of this product's own (status mirror, resubscribe, deletion, inactive and their aliases):
     * such tags describe the sync itself and are never pushed to Mailchimp.
     */
    public boolean isProductTag(String tag) {
        String k = key(tag);
        if (k.isEmpty()) {
            return false;
        }
        return deletionKeys().contains(k) || inactiveKeys().contains(k) || k.equals(key(unsubscribedTag))
                || k.equals(key(cleanedTag)) || k.equals(key(resubscribeTag));
    }

    private Set<String> deletionKeys() {
        return keys(deletionTag, deletionAliases);
    }

    private Set<String> inactiveKeys() {
        return keys(inactiveTag, inactiveAliases);
    }

    private static Set<String> keys(String main, List<String> aliases) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(key(main));
        for (String alias : aliases) {
            keys.add(key(alias));
        }
        keys.remove("");
        return keys;
    }

    private static Optional<String> firstMatching(List<String> tags, Set<String> keys) {
        if (tags == null) {
            return Optional.empty();
        }
        for (String tag : tags) {
            if (tag != null && keys.contains(key(tag))) {
                return Optional.of(tag);
            }
        }
        return Optional.empty();
    }

    /** Whether two tags are the same for this product (same non-empty {@link #key(String) key}). */
    public static boolean same(String a, String b) {
        String ka = key(a);
        return !ka.isEmpty() && ka.equals(key(b));
    }

    // ---------------------------------------------------------------------------------------------- normalising

    /**
     * The comparable form of a tag: compatibility-decomposed (NFKD), combining marks (accents) dropped, format
     * characters (zero-width joiner, variation selectors' neighbours, soft hyphen) dropped, every other character
     * that is not a letter or a digit (emoji, symbols, punctuation, white space) turned into a separator, runs of
     * separators collapsed to one space, trimmed, upper-cased with {@link Locale#ROOT}.
     * {@code "🗑️ À  supprimer"} gives {@code "A SUPPRIMER"}; {@code null} gives {@code ""}.
     */
    public static String normalise(String tag) {
        if (tag == null || tag.isEmpty()) {
            return "";
        }
        String decomposed = Normalizer.normalize(tag, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean pendingSpace = false;
        int i = 0;
        while (i < decomposed.length()) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                    || type == Character.COMBINING_SPACING_MARK || type == Character.FORMAT) {
                continue; // accents, variation selectors, ZWJ, soft hyphen: part of the previous character
            }
            if (Character.isLetterOrDigit(cp)) {
                if (pendingSpace && out.length() > 0) {
                    out.append(' ');
                }
                pendingSpace = false;
                out.appendCodePoint(cp);
            } else {
                pendingSpace = true;
            }
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * The matching key of a tag: its {@link #normalise(String) normalised} form, or, for a tag made only of
     * symbols (an emoji-only tag such as {@code "🗑️"}), those symbols without variation selectors, joiners and
     * white space — so that two different emoji-only tags never match each other. {@code ""} for a blank tag.
     */
    public static String key(String tag) {
        String normalised = normalise(tag);
        if (!normalised.isEmpty() || tag == null) {
            return normalised;
        }
        StringBuilder symbols = new StringBuilder();
        tag.codePoints()
                .filter(cp -> !Character.isWhitespace(cp) && !Character.isSpaceChar(cp))
                .filter(cp -> Character.getType(cp) != Character.FORMAT)
                .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK) // VS15/VS16 are Mn
                .forEach(symbols::appendCodePoint);
        return symbols.isEmpty() ? "" : "#" + symbols;
    }

    @Override
    public String toString() {
        return "TagRules[deletion=" + deletionTag + " " + deletionAliases + ", inactive=" + inactiveTag + " "
                + inactiveAliases + ", unsubscribed=" + unsubscribedTag + ", cleaned=" + cleanedTag
                + ", resubscribe=" + resubscribeTag + "]";
    }
}

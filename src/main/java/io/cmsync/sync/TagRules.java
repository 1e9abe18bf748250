package io.cmsync.sync;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tags this product gives a meaning to, and how a person's tags are matched against them.
 * <p>
 * Matching is robust but never by substring: a tag matches a configured tag (or one of its aliases) when both have
 * the same {@link #key(String) key}, i.e. the same {@link #normalise(String) normalised} form — case, accents,
 * emoji (with or without variation selector, or missing), punctuation and extra spaces are ignored, the words must
 * be the same. {@code "🗑 a   supprimer"} matches {@code "🗑️ À SUPPRIMER"}; {@code "NE PAS SUPPRIMER LE DEVIS"} does
 * not.
 *
 * <p>
 * Settings (constructor arguments, in order):
 * <ul>
 *     <li>deletion tag: sends a Copper person to the archive channel (default {@code 🗑️ À SUPPRIMER});</li>
 *     <li>deletion aliases: other tags with the same meaning (default {@code DELETE}, {@code REMOVE});</li>
 *     <li>inactive tag: excludes a Copper person from the sync (default {@code 📥 INACTIF}); also the tag the
 *     archive command puts in place of the deletion tag;</li>
 *     <li>inactive aliases: other tags with the same meaning (default {@code INACTIVE}, {@code ARCHIVED});</li>
 *     <li>unsubscribed tag: Copper tag mirroring Mailchimp status {@code unsubscribed} (default
 *     {@code Mailchimp: désabonné});</li>
 *     <li>cleaned tag: Copper tag mirroring Mailchimp status {@code cleaned} (default {@code Mailchimp: nettoyé});</li>
 *     <li>resubscribe tag: Copper tag for addresses Mailchimp refuses to re-add (default
 *     {@code Réinscription requise}).</li>
 * </ul>
 * Immutable and thread-safe; the matching keys are computed once.
 */
public final class TagRules {

    public static final String DEFAULT_DELETION_TAG = "🗑️ À SUPPRIMER";
    public static final List<String> DEFAULT_DELETION_ALIASES = List.of("DELETE", "REMOVE");
    public static final String DEFAULT_INACTIVE_TAG = "📥 INACTIF";
    public static final List<String> DEFAULT_INACTIVE_ALIASES = List.of("INACTIVE", "ARCHIVED");
    public static final String DEFAULT_UNSUBSCRIBED_TAG = "Mailchimp: désabonné";
    public static final String DEFAULT_CLEANED_TAG = "Mailchimp: nettoyé";
    public static final String DEFAULT_RESUBSCRIBE_TAG = "Réinscription requise";

    private final String deletionTag;
    private final List<String> deletionAliases;
    private final String inactiveTag;
    private final List<String> inactiveAliases;
    private final String unsubscribedTag;
    private final String cleanedTag;
    private final String resubscribeTag;

    // matching keys, computed once (the planner asks for every tag of every contact)
    private final Set<String> deletionKeys;
    private final Set<String> inactiveKeys;
    private final Set<String> productKeys;
    private final String unsubscribedKey;
    private final String cleanedKey;
    private final String resubscribeKey;
    /** With several pairs: the product keys plus the other pairs' audience tags; null otherwise. */
    private Set<String> extraProductKeys;

    /** Blank aliases are dropped; a null alias list means none; a blank tag is refused. */
    public TagRules(String deletionTag, List<String> deletionAliases, String inactiveTag,
                    List<String> inactiveAliases, String unsubscribedTag, String cleanedTag, String resubscribeTag) {
        this.deletionTag = requireTag(deletionTag, "deletionTag");
        this.inactiveTag = requireTag(inactiveTag, "inactiveTag");
        this.unsubscribedTag = requireTag(unsubscribedTag, "unsubscribedTag");
        this.cleanedTag = requireTag(cleanedTag, "cleanedTag");
        this.resubscribeTag = requireTag(resubscribeTag, "resubscribeTag");
        this.deletionAliases = cleanAliases(deletionAliases);
        this.inactiveAliases = cleanAliases(inactiveAliases);
        this.deletionKeys = keys(this.deletionTag, this.deletionAliases);
        this.inactiveKeys = keys(this.inactiveTag, this.inactiveAliases);
        this.unsubscribedKey = key(this.unsubscribedTag);
        this.cleanedKey = key(this.cleanedTag);
        this.resubscribeKey = key(this.resubscribeTag);
        Set<String> product = new LinkedHashSet<>(deletionKeys);
        product.addAll(inactiveKeys);
        product.add(unsubscribedKey);
        product.add(cleanedKey);
        product.add(resubscribeKey);
        product.remove("");
        this.productKeys = Set.copyOf(product);
    }

    /**
     * These rules, also treating {@code tags} as the product's own (never pushed to Mailchimp as a contact's tag):
     * with several pairs, the other pairs' audience tags (« Mailchimp: désabonné (fr) » for the pair en).
     */
    public TagRules withProductTags(java.util.Collection<String> tags) {
        TagRules copy = new TagRules(deletionTag, deletionAliases, inactiveTag, inactiveAliases, unsubscribedTag,
                cleanedTag, resubscribeTag, tags);
        return copy;
    }

    private TagRules(String deletionTag, List<String> deletionAliases, String inactiveTag, List<String> inactiveAliases,
                     String unsubscribedTag, String cleanedTag, String resubscribeTag, java.util.Collection<String> more) {
        this(deletionTag, deletionAliases, inactiveTag, inactiveAliases, unsubscribedTag, cleanedTag, resubscribeTag);
        Set<String> product = new LinkedHashSet<>(this.productKeys);
        more.forEach(t -> product.add(key(t)));
        product.remove("");
        this.extraProductKeys = Set.copyOf(product);
    }

    /** The configured deletion tag, as configured (trimmed). */
    public String deletionTag() {
        return deletionTag;
    }

    public List<String> deletionAliases() {
        return deletionAliases;
    }

    /** The configured inactive tag, as configured (trimmed): the one to add when archiving. */
    public String inactiveTag() {
        return inactiveTag;
    }

    public List<String> inactiveAliases() {
        return inactiveAliases;
    }

    public String unsubscribedTag() {
        return unsubscribedTag;
    }

    public String cleanedTag() {
        return cleanedTag;
    }

    public String resubscribeTag() {
        return resubscribeTag;
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
        return firstMatching(tags, deletionKeys);
    }

    /** The first of {@code tags} that is the inactive tag or one of its aliases, as the person carries it. */
    public Optional<String> inactiveTag(List<String> tags) {
        return firstMatching(tags, inactiveKeys);
    }

    public boolean isDeletionTag(String tag) {
        return deletionKeys.contains(key(tag));
    }

    public boolean isInactiveTag(String tag) {
        return inactiveKeys.contains(key(tag));
    }

    public boolean isUnsubscribedTag(String tag) {
        return unsubscribedKey.equals(key(tag));
    }

    public boolean isCleanedTag(String tag) {
        return cleanedKey.equals(key(tag));
    }

    public boolean isResubscribeTag(String tag) {
        return resubscribeKey.equals(key(tag));
    }

    /**
     * Whether a tag is one of this product's own (status mirror, resubscribe, deletion, inactive and their aliases):
     * such tags describe the sync itself and are never pushed to Mailchimp.
     */
    public boolean isProductTag(String tag) {
        return extraProductKeys == null ? productKeys.contains(key(tag)) : extraProductKeys.contains(key(tag));
    }

    private static Set<String> keys(String main, List<String> aliases) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(key(main));
        for (String alias : aliases) {
            keys.add(key(alias));
        }
        keys.remove("");
        return Set.copyOf(keys);
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
        if (tag == null) {
            return "";
        }
        String cached = KEY_CACHE.get(tag);
        if (cached != null) {
            return cached;
        }
        String key = computeKey(tag);
        if (KEY_CACHE.size() < KEY_CACHE_LIMIT) {
            KEY_CACHE.put(tag, key);
        }
        return key;
    }

    /** Tags repeat across thousands of contacts: their keys are memoised (bounded, so memory cannot grow). */
    private static final int KEY_CACHE_LIMIT = 20_000;
    private static final Map<String, String> KEY_CACHE = new ConcurrentHashMap<>();

    private static String computeKey(String tag) {
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
    public boolean equals(Object o) {
        return o instanceof TagRules t && deletionTag.equals(t.deletionTag)
                && deletionAliases.equals(t.deletionAliases) && inactiveTag.equals(t.inactiveTag)
                && inactiveAliases.equals(t.inactiveAliases) && unsubscribedTag.equals(t.unsubscribedTag)
                && cleanedTag.equals(t.cleanedTag) && resubscribeTag.equals(t.resubscribeTag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deletionTag, deletionAliases, inactiveTag, inactiveAliases, unsubscribedTag, cleanedTag,
                resubscribeTag);
    }

    @Override
    public String toString() {
        return "TagRules[deletion=" + deletionTag + " " + deletionAliases + ", inactive=" + inactiveTag + " "
                + inactiveAliases + ", unsubscribed=" + unsubscribedTag + ", cleaned=" + cleanedTag
                + ", resubscribe=" + resubscribeTag + "]";
    }
}

package io.cmsync.mapping;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Copper side of a mapping entry, parsed: {@code first_name}, {@code last_name}, {@code title},
 * {@code company_name}, {@code phone_numbers[.<category>]}, {@code address[.<part>]}, {@code websites[.<category>]}
 * or {@code custom:<name>}. {@code sub} is the category, the address part or the custom field's name (null for the
 * whole value or a plain field).
 */
record CopperField(Kind kind, String sub) {

    enum Kind { FIRST_NAME, LAST_NAME, TITLE, COMPANY_NAME, PHONE, ADDRESS, WEBSITE, CUSTOM }

    /** Copper's phone categories (Developer API: mobile, work, home, other). */
    static final List<String> PHONE_CATEGORIES = List.of("mobile", "work", "home", "other");
    /** Copper's website categories (Developer API: work, personal, other). */
    static final List<String> WEBSITE_CATEGORIES = List.of("work", "personal", "other");
    /** The parts of Copper's address object, in the canonical order. */
    static final List<String> ADDRESS_PARTS = List.of("street", "city", "state", "postal_code", "country");
    static final String CUSTOM_PREFIX = "custom:";

    /** The forms the mapping file accepts, for error messages. */
    static final String FORMS = "first_name, last_name, title, company_name, phone_numbers[."
            + String.join("|", PHONE_CATEGORIES) + "], address[." + String.join("|", ADDRESS_PARTS) + "], websites[."
            + String.join("|", WEBSITE_CATEGORIES) + "], custom:<nom du champ>";

    static Optional<CopperField> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.regionMatches(true, 0, CUSTOM_PREFIX, 0, CUSTOM_PREFIX.length())) {
            String name = t.substring(CUSTOM_PREFIX.length()).strip();
            return name.isEmpty() ? Optional.empty() : Optional.of(new CopperField(Kind.CUSTOM, name));
        }
        String lower = t.toLowerCase(Locale.ROOT);
        int dot = lower.indexOf('.');
        String base = dot < 0 ? lower : lower.substring(0, dot);
        String sub = dot < 0 ? null : lower.substring(dot + 1);
        return switch (base) {
            case "first_name" -> sub == null ? Optional.of(new CopperField(Kind.FIRST_NAME, null)) : Optional.empty();
            case "last_name" -> sub == null ? Optional.of(new CopperField(Kind.LAST_NAME, null)) : Optional.empty();
            case "title" -> sub == null ? Optional.of(new CopperField(Kind.TITLE, null)) : Optional.empty();
            case "company_name" -> sub == null ? Optional.of(new CopperField(Kind.COMPANY_NAME, null)) : Optional.empty();
            case "phone_numbers" -> sub == null || PHONE_CATEGORIES.contains(sub)
                    ? Optional.of(new CopperField(Kind.PHONE, sub)) : Optional.empty();
            case "websites" -> sub == null || WEBSITE_CATEGORIES.contains(sub)
                    ? Optional.of(new CopperField(Kind.WEBSITE, sub)) : Optional.empty();
            case "address" -> sub == null || ADDRESS_PARTS.contains(sub)
                    ? Optional.of(new CopperField(Kind.ADDRESS, sub)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    boolean isName() {
        return kind == Kind.FIRST_NAME || kind == Kind.LAST_NAME;
    }

    /** The Copper attribute this field lives in (what a write replaces): phone_numbers, address, custom:Secteur… */
    String target() {
        return switch (kind) {
            case FIRST_NAME -> "first_name";
            case LAST_NAME -> "last_name";
            case TITLE -> "title";
            case COMPANY_NAME -> "company_name";
            case PHONE -> "phone_numbers";
            case ADDRESS -> "address";
            case WEBSITE -> "websites";
            case CUSTOM -> CUSTOM_PREFIX + sub;
        };
    }

    /** Whether two fields write the same Copper value (the same field, or a whole value and one of its parts). */
    boolean overlaps(CopperField other) {
        if (!target().equals(other.target())) {
            return false;
        }
        if (kind == Kind.CUSTOM) {
            return true;
        }
        return sub == null || other.sub == null || sub.equals(other.sub);
    }

    /** The form as the mapping file writes it (the default entry name). */
    String text() {
        return kind == Kind.CUSTOM ? CUSTOM_PREFIX + sub : sub == null ? target() : target() + "." + sub;
    }
}

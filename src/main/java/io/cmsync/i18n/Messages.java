package io.cmsync.i18n;

import java.text.Format;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one message catalogue: every text a person reads (console, help, errors, prompts, reports) comes from the
 * {@code i18n/messages} resource bundle, French by default ({@code messages.properties}), English in
 * {@code messages_en.properties}. Templates are {@link MessageFormat} patterns; plurals use {@code choice}, e.g.
 * {@code {0} {0,choice,0#contact|1<contacts}} in French (0 and 1 are singular there) and
 * {@code {0} {0,choice,0#contacts|1#contact|1<contacts}} in English. Top-level numbers are printed without
 * grouping ({@code 10000}, as the old tool's reports), so that figures stay greppable. Stateless and thread-safe.
 */
public final class Messages {

    /** The languages a person can choose; {@link #FR} is the default. */
    public enum Language {
        FR(Locale.FRENCH), EN(Locale.ENGLISH);

        private final Locale locale;

        Language(Locale locale) {
            this.locale = locale;
        }

        public Locale locale() {
            return locale;
        }

        /**
         * Reads a setting value: {@code fr}/{@code français}/{@code french} or {@code en}/{@code english}/
         * {@code anglais}, any case; null or blank gives {@link #FR}.
         *
         * @throws IllegalArgumentException for any other value
         */
        public static Language parse(String setting) {
            if (setting == null || setting.isBlank()) {
                return FR;
            }
            return switch (setting.strip().toLowerCase(Locale.ROOT)) {
                case "fr", "fr_fr", "fr-fr", "français", "francais", "french" -> FR;
                case "en", "en_gb", "en-gb", "en_us", "en-us", "english", "anglais" -> EN;
                default -> throw new IllegalArgumentException("'" + setting + "': fr or en");
            };
        }
    }

    static final String BUNDLE = "i18n.messages";

    private static final Messages FRENCH = new Messages(Language.FR);
    private static final Messages ENGLISH = new Messages(Language.EN);

    private final Language language;
    private final ResourceBundle bundle;
    private final Format plain;

    private Messages(Language language) {
        this.language = language;
        this.plain = new PlainFormat(language.locale());
        // the French file is the base bundle: never fall back to the JVM's default locale
        this.bundle = ResourceBundle.getBundle(BUNDLE, language == Language.FR ? Locale.ROOT : language.locale(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static Messages of(Language language) {
        return language == Language.EN ? ENGLISH : FRENCH;
    }

    public Language language() {
        return language;
    }

    /** The text of {@code key}, formatted with {@code args}. A missing key is a bug: it fails loudly. */
    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("No " + language + " message '" + key + "' in " + BUNDLE, e);
        }
        if (args.length == 0 && pattern.indexOf('{') < 0) {
            return pattern.replace("''", "'");
        }
        MessageFormat format = new MessageFormat(pattern, language.locale());
        Format[] formats = format.getFormats();
        for (int i = 0; i < formats.length; i++) {
            if (formats[i] == null) {
                format.setFormat(i, plain);
            }
        }
        return format.format(args);
    }

    /** Whether the catalogue has {@code key} in this language. */
    public boolean has(String key) {
        return bundle.containsKey(key);
    }

    /** Every key of this language's catalogue (for the completeness test). */
    public Set<String> keys() {
        return new TreeSet<>(bundle.keySet());
    }

    /** A bare {@code {n}}: numbers without grouping (one decimal at most), anything else as its text. */
    private static final class PlainFormat extends Format {
        private final Locale locale;

        PlainFormat(Locale locale) {
            this.locale = locale;
        }

        @Override
        public StringBuffer format(Object obj, StringBuffer to, java.text.FieldPosition pos) {
            if (obj instanceof Number n) {
                NumberFormat nf = NumberFormat.getInstance(locale);
                nf.setGroupingUsed(false);
                nf.setMaximumFractionDigits(1);
                return to.append(nf.format(n));
            }
            return to.append(obj);
        }

        @Override
        public Object parseObject(String source, java.text.ParsePosition pos) {
            throw new UnsupportedOperationException("messages are only formatted");
        }
    }
}

package io.cmsync.report;

import java.text.MessageFormat;
import java.text.ParseException;
import java.util.Locale;

import io.cmsync.i18n.Messages;

/**
 * Why a side would refuse a mapped field's value: the texts of {@link io.cmsync.sync.FieldRule.ValueCheck}. A refusal
 * is kept as its French text (the planner's reasons are French texts, the JSON report and the state carry them, see
 * {@code report.Reasons}), made from the catalogue's {@code report.field-refused.*}; {@link #text} says it in the
 * reader's language.
 */
public final class FieldRefusals {
    public static final String PREFIX = "report.field-refused.";
    private static final Messages FRENCH = Messages.of(Messages.Language.FR);

    private FieldRefusals() {
    }

    /** The refusal {@code report.field-refused.<key>} as the French text the checks return. */
    public static String french(String key, Object... args) {
        return FRENCH.get(PREFIX + key, args);
    }

    /**
     * A refusal (as a check returned it) in {@code messages}' language: the French text is matched against each
     * {@code report.field-refused.*} pattern and said again with its arguments; any other text is returned as is.
     */
    public static String text(Messages messages, String refusal) {
        if (refusal == null || messages.language() == Messages.Language.FR) {
            return refusal;
        }
        for (String key : FRENCH.keys()) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            Object[] args = arguments(key, refusal);
            if (args != null) {
                return messages.get(key, args);
            }
        }
        return refusal;
    }

    private static Object[] arguments(String key, String refusal) {
        String pattern = patternOf(key);
        try {
            MessageFormat f = new MessageFormat(pattern, Locale.FRENCH);
            Object[] args = f.parse(refusal);
            return FRENCH.get(key, args).equals(refusal) ? args : null;
        } catch (ParseException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String patternOf(String key) {
        return java.util.ResourceBundle.getBundle("i18n.messages", Locale.ROOT,
                java.util.ResourceBundle.Control.getNoFallbackControl(
                        java.util.ResourceBundle.Control.FORMAT_PROPERTIES)).getString(key);
    }
}

package io.cmsync.report;

import java.util.Locale;

/** Language of the text report and of the run log's own wording. French by default, as the old tool. */
public enum ReportLanguage {
    FR,
    EN;

    /** The language used when none is configured. */
    public static final ReportLanguage DEFAULT = FR;

    /**
     * Reads a setting value: {@code fr}/{@code français}/{@code french} or {@code en}/{@code english}/
     * {@code anglais}, any case; null or blank gives {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException for any other value, naming the accepted ones
     */
    public static ReportLanguage parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return DEFAULT;
        }
        String value = setting.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "fr", "fr_fr", "fr-fr", "français", "francais", "french" -> FR;
            case "en", "en_gb", "en-gb", "en_us", "en-us", "english", "anglais" -> EN;
            default -> throw new IllegalArgumentException(
                    "Unknown report language '" + setting + "': use fr (default) or en");
        };
    }

    /** The message catalogue in this language (its {@code report.*} section is the reports' wording). */
    public io.cmsync.i18n.Messages messages() {
        return io.cmsync.i18n.Messages.of(this == EN ? io.cmsync.i18n.Messages.Language.EN
                : io.cmsync.i18n.Messages.Language.FR);
    }
}

package io.cmsync.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import io.cmsync.sync.SafetyBrake;

/**
 * The {@code safety.*} settings of {@code config/application.properties} (the safety brake). Kept apart from
 * {@link Settings} so the brake can evolve without touching every constructor of it. Every key is optional (defaults
 * of {@link SafetyBrake.Limits#defaults()}), but a present, malformed value stops the program like any other setting.
 */
public final class SafetySettings {
    public static final String MAX_UPDATE_RATIO = "safety.max-update-ratio";
    public static final String UPDATE_GRACE = "safety.update-grace";
    public static final String MAX_REMOVALS = "safety.max-removals";
    public static final String FIRST_PRODUCTION_RUN = "safety.first-production-run-needs-confirmation";

    private SafetySettings() {
    }

    public static SafetyBrake.Limits load(Path propertiesFile) {
        return from(SettingsLoader.readProperties(propertiesFile), propertiesFile.toString());
    }

    /** The limits of sync pair {@code pair}: its own {@code pair.<name>.safety.*} win (null or empty: the file's). */
    public static SafetyBrake.Limits load(Path propertiesFile, String pair) {
        Properties p = SettingsLoader.readProperties(propertiesFile);
        if (pair != null && !pair.isEmpty()) {
            String prefix = Pairs.PREFIX + pair + ".";
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith(prefix + "safety.")) {
                    p.setProperty(key.substring(prefix.length()), p.getProperty(key));
                }
            }
        }
        return from(p, propertiesFile.toString());
    }

    static SafetyBrake.Limits from(Properties p, String file) {
        SafetyBrake.Limits d = SafetyBrake.Limits.defaults();
        double ratio = d.maxUpdateRatio();
        String v = value(p, MAX_UPDATE_RATIO);
        if (v != null) {
            try {
                ratio = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                ratio = -1;
            }
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new ConfigException(MAX_UPDATE_RATIO, file, "ratio", v);
            }
        }
        return new SafetyBrake.Limits(ratio, integer(p, UPDATE_GRACE, d.updateGrace(), file),
                integer(p, MAX_REMOVALS, d.maxRemovals(), file), bool(p, FIRST_PRODUCTION_RUN,
                d.firstProductionRunNeedsConfirmation(), file));
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static int integer(Properties p, String key, int dflt, String file) {
        String v = value(p, key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new ConfigException(key, file, "whole-number-min0", v);
    }

    private static boolean bool(Properties p, String key, boolean dflt, String file) {
        String v = value(p, key);
        if (v == null) {
            return dflt;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, file, "true-false");
        };
    }
}

package io.cmsync.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sync pairs of one deployment: {@code pairs=fr,en} in the settings file declares them; each pair's settings are
 * the file's, with {@code pair.<name>.<key>} winning over {@code <key>}, and its secrets {@code <NAME>_COPPER_API_KEY}…
 * in {@code .env} (a missing prefixed key falls back to the unprefixed one). No {@code pairs} (or an empty one): one
 * implicit pair from today's keys, every file and path as before pairs existed.
 * <p>
 * Checked before any API call: a bad pair name, a name given twice, a {@code pair.<name>.} key naming no declared
 * pair, two pairs on the same Mailchimp audience.
 */
public final class Pairs {
    /** The setting that declares the pairs. */
    public static final String PAIRS = "pairs";
    /** The prefix of a pair's own settings: {@code pair.<name>.<key>}. */
    public static final String PREFIX = "pair.";
    /** A pair's Copper tag filter: only Copper people with this tag are in the pair's scope. */
    public static final String COPPER_TAG = "scope.copper-tag";
    /** The PostgreSQL schema of a pair's state when the pairs share one database: {@code cmsync_<name>}. */
    public static final String SCHEMA_PREFIX = "cmsync_";
    /** Lower-case letters, digits and _, starting with a letter: it names folders, a schema, route ids, a prefix. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,29}");
    /** Settings that are the whole deployment's, not a pair's. */
    private static final Set<String> DEPLOYMENT_WIDE = Set.of(PAIRS, "language", "report.language", "timezone",
            "report.timezone");

    private Pairs() {
    }

    /** The prefix of a pair's secrets in {@code .env}: the name upper-cased and {@code _} ({@code EN_}). */
    public static String envPrefix(String pair) {
        return pair.toUpperCase(Locale.ROOT) + "_";
    }

    /** The names declared by {@code pairs} (empty: the single implicit pair). */
    public static List<String> names(Path propertiesFile, Map<String, String> overrides) {
        Properties p = SettingsLoader.readProperties(propertiesFile);
        String declared = overrides.containsKey(PAIRS) ? overrides.get(PAIRS) : p.getProperty(PAIRS);
        List<String> names = new ArrayList<>();
        if (declared == null || declared.isBlank()) {
            return names;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : declared.split(",")) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException(PAIRS, propertiesFile.toString(), "pair-name", name);
            }
            if (!seen.add(name)) {
                throw new ConfigException(PAIRS, propertiesFile.toString(), "pair-twice", name);
            }
            names.add(name);
        }
        return names;
    }

    /**
     * Every pair's settings, validated: one {@link Settings} per declared pair in the declared order, or the single
     * implicit pair's.
     */
    public static List<Settings> load(Path propertiesFile, Path envFile, Map<String, String> environment,
                                      Map<String, String> overrides) {
        List<String> names = names(propertiesFile, overrides);
        checkPairKeys(propertiesFile, names);
        if (names.isEmpty()) {
            return List.of(new SettingsLoader(propertiesFile, envFile, environment, overrides).load());
        }
        List<Settings> pairs = new ArrayList<>();
        Map<String, String> audiences = new HashMap<>();
        for (String name : names) {
            Settings s = new SettingsLoader(propertiesFile, envFile, environment, overrides, name).load();
            String audience = s.secrets().mailchimpDc() + "/" + s.secrets().mailchimpListId();
            String other = audiences.putIfAbsent(audience, name);
            if (other != null) {
                throw new ConfigException(envPrefix(name) + Secrets.MAILCHIMP_LIST_ID, envFile.toString(),
                        "pair-same-audience", other, name);
            }
            pairs.add(s);
        }
        return List.copyOf(pairs);
    }

    /** The pair named {@code name} of {@code pairs}, or the single pair when {@code name} is null or empty. */
    public static Optional<Settings> find(List<Settings> pairs, String name) {
        if (name == null || name.isEmpty()) {
            return pairs.size() == 1 ? Optional.of(pairs.get(0)) : Optional.empty();
        }
        return pairs.stream().filter(s -> s.pair().equals(name)).findFirst();
    }

    /** Every {@code pair.<name>.<key>} must name a declared pair and a setting a pair may have. */
    private static void checkPairKeys(Path propertiesFile, List<String> names) {
        Properties p = SettingsLoader.readProperties(propertiesFile);
        for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            String name = dot < 0 ? rest : rest.substring(0, dot);
            if (!names.contains(name)) {
                throw new ConfigException(key, propertiesFile.toString(), "pair-unknown", name,
                        names.isEmpty() ? "-" : String.join(", ", names));
            }
            String setting = dot < 0 ? "" : rest.substring(dot + 1);
            if (setting.isEmpty() || DEPLOYMENT_WIDE.contains(setting) || setting.startsWith("camel.")
                    || setting.startsWith(PREFIX)) {
                throw new ConfigException(key, propertiesFile.toString(), "pair-setting", setting);
            }
        }
    }

    /**
     * The pair a management command works on: {@code --pair NAME} (a declared pair), none with no pairs declared, the
     * only one when one is declared; with several declared, {@code --pair} is required.
     *
     * @return the pair's name, or null for today's single pair
     */
    public static String chosen(Path propertiesFile, Map<String, String> overrides, String requested) {
        List<String> names = Files.isRegularFile(propertiesFile) ? names(propertiesFile, overrides) : List.of();
        if (requested == null || requested.isBlank()) {
            if (names.size() > 1) {
                throw new ConfigException("--pair", propertiesFile.toString(), "pair-required",
                        String.join(", ", names));
            }
            return names.isEmpty() ? null : names.get(0);
        }
        if (!names.contains(requested.strip())) {
            throw new ConfigException("--pair", propertiesFile.toString(), "pair-unknown", requested.strip(),
                    names.isEmpty() ? "-" : String.join(", ", names));
        }
        return requested.strip();
    }

    /** A folder setting as a pair sees it, from the file alone (management commands that read no secrets). */
    public static Path folder(Path propertiesFile, String pair, String key, String fallback) {
        Properties p = SettingsLoader.readProperties(propertiesFile);
        if (pair != null) {
            String own = p.getProperty(PREFIX + pair + "." + key);
            if (own != null && !own.isBlank()) {
                return Path.of(own.strip());
            }
        }
        String common = p.getProperty(key, fallback).strip();
        Path dir = Path.of(common.isEmpty() ? fallback : common);
        return pair == null ? dir : dir.resolve(key.equals("paths.data-dir") ? "pairs/" + pair : pair);
    }

    /** The declared names as the usage lists them. */
    public static String describe(List<Settings> pairs) {
        return String.join(", ", Arrays.asList(pairs.stream().map(Settings::pairLabel).toArray(String[]::new)));
    }
}

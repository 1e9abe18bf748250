package io.cmsync.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import org.quartz.CronExpression;

import io.cmsync.i18n.Messages;
import io.cmsync.state.StateDatabase;

/**
 * Loads {@link Settings} from {@code config/application.properties} (UTF-8), {@code .env} and the environment, and
 * validates every value before anything touches the network. Any problem is a {@link ConfigException} naming the
 * key and the file to fix.
 */
public final class SettingsLoader {

    public static final String COPPER_BASE_URL_ENV = "COPPER_BASE_URL";
    public static final String MAILCHIMP_BASE_URL_ENV = "MAILCHIMP_BASE_URL";
    /** The language of everything a person reads: {@code fr} (default) or {@code en}. */
    public static final String LANGUAGE = "language";
    /** The older name of {@link #LANGUAGE}, still accepted. */
    public static final String REPORT_LANGUAGE = "report.language";
    /** Wins over the settings file; also read before the command line is parsed, for the help. */
    public static final String LANGUAGE_ENV = "CMSYNC_LANGUAGE";
    /** The time zone of every time a person reads (console, logs, run ids, reports, flagged list). */
    public static final String TIMEZONE = "timezone";
    /** The older name of {@link #TIMEZONE}, still accepted. */
    public static final String REPORT_TIMEZONE = "report.timezone";
    public static final String DEFAULT_ZONE = "Europe/Paris";
    /** {@code mapping.file} when unset (a missing file means the default mapping: names only). */
    public static final String DEFAULT_MAPPING_FILE = "config/mapping.yaml";
    private static final Pattern DC_SUFFIX = Pattern.compile(".*-([a-z]{2}\\d{1,3})$");
    private static final Pattern DC = Pattern.compile("[a-z]{2}\\d{1,3}");
    private static final Set<String> MEMBER_STATUSES =
            Set.of("subscribed", "unsubscribed", "cleaned", "pending", "transactional", "archived");

    private final Path propertiesFile;
    private final Path envFile;
    private final Map<String, String> environment;
    /** The override (never a setting of the file) that marks a {@code --sandbox} call. */
    public static final String SANDBOX = "sandbox";

    private final Map<String, String> overrides;
    /** The sync pair whose settings are loaded ({@code pair.<name>.<key>} wins, {@code <NAME>_} secrets), or null. */
    private final String pair;
    private Properties properties;

    /**
     * @param overrides property values that win over the file (used by {@code --sandbox} for base URLs)
     */
    public SettingsLoader(Path propertiesFile, Path envFile, Map<String, String> environment,
                          Map<String, String> overrides) {
        this(propertiesFile, envFile, environment, overrides, null);
    }

    /**
     * The settings of one declared sync pair (see {@link Pairs}): each {@code pair.<name>.<key>} of the file wins over
     * {@code <key>}, each secret {@code <NAME>_<KEY>} over {@code <KEY>}, and the data, reports and archive folders
     * default to a folder of the pair's own.
     *
     * @param pair the pair's name, or null for today's single pair
     */
    public SettingsLoader(Path propertiesFile, Path envFile, Map<String, String> environment,
                          Map<String, String> overrides, String pair) {
        this.propertiesFile = propertiesFile;
        this.envFile = envFile;
        this.environment = environment;
        this.overrides = overrides;
        this.pair = pair == null || pair.isEmpty() ? null : pair;
    }

    public static Properties readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(null, file.toString(), "file-not-found");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(null, file.toString(), "file-unreadable", e.getMessage());
        }
        return p;
    }

    /**
     * The language to speak before the settings are loaded (help, usage and configuration errors): {@value
     * #LANGUAGE_ENV}, else {@code language} or {@code report.language} of {@code config} if it can be read, else
     * French. Never fails: a wrong value is reported by {@link #load()}.
     */
    public static Messages.Language languageOf(Path config, Map<String, String> environment) {
        for (String candidate : new String[] {environment.get(LANGUAGE_ENV), fileSetting(config, LANGUAGE),
                fileSetting(config, REPORT_LANGUAGE)}) {
            if (candidate != null && !candidate.isBlank()) {
                try {
                    return Messages.Language.parse(candidate);
                } catch (IllegalArgumentException e) {
                    return Messages.Language.FR;
                }
            }
        }
        return Messages.Language.FR;
    }

    /** The zone of {@code config} ({@code timezone}, then {@code report.timezone}), Europe/Paris if unreadable. */
    public static ZoneId zoneOf(Path config) {
        for (String candidate : new String[] {fileSetting(config, TIMEZONE), fileSetting(config, REPORT_TIMEZONE)}) {
            if (candidate != null && !candidate.isBlank()) {
                try {
                    return ZoneId.of(candidate.strip());
                } catch (DateTimeException e) {
                    break;
                }
            }
        }
        return ZoneId.of(DEFAULT_ZONE);
    }

    private static String fileSetting(Path config, String key) {
        try {
            return config == null || !Files.isRegularFile(config) ? null : readProperties(config).getProperty(key);
        } catch (ConfigException e) {
            return null;
        }
    }

    public Settings load() {
        properties = readProperties(propertiesFile);
        Secrets secrets = secrets();
        boolean production = switch (text("sync.mode").toUpperCase(Locale.ROOT)) {
            case "TEST" -> false;
            case "PRODUCTION" -> true;
            default -> throw bad("sync.mode", "mode");
        };
        String cron = text("sync.cron");
        if (!CronExpression.isValidExpression(cron)) {
            throw bad("sync.cron", "cron", "0 0/15 * * * ?");
        }
        String newStatus = text("sync.new-member-status");
        if (!Set.of("subscribed", "pending").contains(newStatus)) {
            throw bad("sync.new-member-status", "new-member-status");
        }
        Set<String> importStatuses = new LinkedHashSet<>(list("sync.import-statuses"));
        if (importStatuses.isEmpty() || !MEMBER_STATUSES.containsAll(importStatuses)) {
            throw bad("sync.import-statuses", "import-statuses", String.join(", ", new java.util.TreeSet<>(MEMBER_STATUSES)));
        }
        URI copperBase = url("copper.base-url",
                env(COPPER_BASE_URL_ENV) != null ? env(COPPER_BASE_URL_ENV) : optional("copper.base-url"));
        String mailchimpDefault = "https://" + secrets.mailchimpDc() + ".api.mailchimp.com/3.0";
        String mailchimpConfigured = optional("mailchimp.base-url");
        URI mailchimpBase = url("mailchimp.base-url", env(MAILCHIMP_BASE_URL_ENV) != null
                ? env(MAILCHIMP_BASE_URL_ENV)
                : (mailchimpConfigured.isEmpty() ? mailchimpDefault : mailchimpConfigured));
        String fullCron = text("sync.full-reconciliation-cron");
        if (!CronExpression.isValidExpression(fullCron)) {
            throw bad("sync.full-reconciliation-cron", "cron", "0 0 2 * * ?");
        }
        Path dataDir = pairFolder("paths.data-dir", Path.of("pairs"));
        return new Settings(propertiesFile, envFile, secrets, production, text("sync.test-marker"), cron,
                newStatus, Set.copyOf(importStatuses), bool("sync.create-copper-without-name"),
                bool("sync.mirror-statuses"), bool("sync.incremental"),
                integer("sync.incremental-overlap-seconds", 0, 86_400), fullCron,
                text("tags.deletion"), list("tags.deletion-aliases"), text("tags.inactive"),
                list("tags.inactive-aliases"), pairTag("tags.mailchimp-unsubscribed"), pairTag("tags.mailchimp-cleaned"),
                pairTag("tags.resubscribe-required"),
                copperBase, integer("copper.page-size", 1, 200), integer("copper.requests-per-minute", 1, 10_000),
                raw("copper.bulk-requests-per-second") == null ? 3
                        : integer("copper.bulk-requests-per-second", 1, 1_000),
                mailchimpBase, integer("mailchimp.page-size", 1, 1000), integer("mailchimp.batch-size", 1, 500),
                raw("mailchimp.batch-max-wait-seconds") == null ? 600
                        : integer("mailchimp.batch-max-wait-seconds", 1, 86_400),
                integer("http.connect-timeout-seconds", 1, 600), integer("http.response-timeout-seconds", 1, 600),
                integer("http.max-attempts", 1, 20),
                dataDir, pairFolder("paths.reports-dir", Path.of("")), pairFolder("paths.archive-dir", Path.of("")),
                stateDatabase(jdbcUrl(dataDir)), language(), zone(), integer("report.retention-days", 1, 36_500),
                flaggedMailchimpAction(),
                raw("sync.plan-chunk-size") == null ? 2_000 : integer("sync.plan-chunk-size", 1, 100_000),
                raw("report.max-detailed-entries") == null ? 10_000
                        : integer("report.max-detailed-entries", 1, 1_000_000),
                raw("mapping.file") == null ? Path.of(DEFAULT_MAPPING_FILE) : Path.of(text("mapping.file")),
                raw("mapping.create-missing-merge-fields") != null && bool("mapping.create-missing-merge-fields"),
                "true".equals(overrides.get(SANDBOX)), pair == null ? "" : pair, optional(Pairs.COPPER_TAG));
    }

    /**
     * A folder setting: for a declared pair, its own {@code pair.<name>.<key>} as written, else the common folder's
     * {@code <between>/<name>} (data/pairs/en, reports/en, archive/en).
     */
    private Path pairFolder(String key, Path between) {
        if (pair == null || pairValue(key) != null) {
            return Path.of(text(key));
        }
        return Path.of(text(key)).resolve(between).resolve(pair);
    }

    /**
     * A tag that says something of one audience (unsubscribed, cleaned, resubscription required): each declared pair
     * has its own, « Mailchimp: désabonné (en) », so that a contact of two audiences with two statuses carries both
     * and the pairs never undo each other's tag in Copper; {@code pair.<name>.<key>} sets it otherwise.
     */
    private String pairTag(String key) {
        String tag = text(key);
        return pair == null || pairValue(key) != null ? tag : tag + " (" + pair + ")";
    }

    /** {@code pair.<name>.<key>} of the file, or null. */
    private String pairValue(String key) {
        if (pair == null || overrides.containsKey(key)) {
            return null;
        }
        String v = properties.getProperty(Pairs.PREFIX + pair + "." + key);
        return v == null ? null : v.strip();
    }

    private String flaggedMailchimpAction() {
        String v = text("flagged.mailchimp-action").toLowerCase(Locale.ROOT);
        if (!Set.of(Settings.FLAGGED_ARCHIVE, Settings.FLAGGED_UNSUBSCRIBE).contains(v)) {
            throw bad("flagged.mailchimp-action", "flagged-action");
        }
        return v;
    }

    private Secrets secrets() {
        Map<String, String> dotenv = DotEnv.read(envFile);
        String envName = envFile.toString();
        String copperKey = secret(dotenv, Secrets.COPPER_API_KEY, envName);
        String copperEmail = secret(dotenv, Secrets.COPPER_API_EMAIL, envName);
        if (!copperEmail.contains("@")) {
            throw new ConfigException(Secrets.COPPER_API_EMAIL, envName, "copper-email");
        }
        String mailchimpKey = secret(dotenv, Secrets.MAILCHIMP_API_KEY, envName);
        String dc = firstNonBlank(environment.get(prefixed(Secrets.MAILCHIMP_DC)),
                dotenv.get(prefixed(Secrets.MAILCHIMP_DC)));
        if (dc == null) {
            dc = firstNonBlank(environment.get(Secrets.MAILCHIMP_DC), dotenv.get(Secrets.MAILCHIMP_DC));
        }
        if (dc == null) {
            var m = DC_SUFFIX.matcher(mailchimpKey);
            if (!m.matches()) {
                throw new ConfigException(Secrets.MAILCHIMP_DC, envName, "dc-missing");
            }
            dc = m.group(1);
        } else if (!DC.matcher(dc.strip()).matches()) {
            throw new ConfigException(Secrets.MAILCHIMP_DC, envName, "dc-format");
        }
        String listId = secret(dotenv, Secrets.MAILCHIMP_LIST_ID, envName);
        return new Secrets(copperKey, copperEmail, mailchimpKey, dc.strip(), listId);
    }

    /** {@code key} with the pair's prefix ({@code EN_COPPER_API_KEY}); {@code key} itself for today's single pair. */
    private String prefixed(String key) {
        return pair == null ? key : Pairs.envPrefix(pair) + key;
    }

    /** A secret: the pair's own (prefixed) first, then the common one (pairs sharing an account write it once). */
    private String secret(Map<String, String> dotenv, String key, String envName) {
        String value = firstNonBlank(environment.get(prefixed(key)), dotenv.get(prefixed(key)));
        if (value == null) {
            value = firstNonBlank(environment.get(key), dotenv.get(key));
        }
        if (value == null) {
            throw new ConfigException(prefixed(key), envName, "secret-missing", envName);
        }
        return value.strip();
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }

    private String env(String name) {
        String v = environment.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private String raw(String key) {
        String own = pairValue(key);
        if (own != null) {
            return own;
        }
        String v = overrides.containsKey(key) ? overrides.get(key) : properties.getProperty(key);
        return v == null ? null : v.strip();
    }

    private String optional(String key) {
        String v = raw(key);
        return v == null ? "" : v;
    }

    private String text(String key) {
        String v = raw(key);
        if (v == null || v.isEmpty()) {
            throw bad(key, v == null ? "missing" : "empty");
        }
        return v;
    }

    private boolean bool(String key) {
        return switch (text(key).toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, "true-false");
        };
    }

    private int integer(String key, int min, int max) {
        String v = text(key);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(key, "whole-number", v);
        }
        if (n < min || n > max) {
            throw bad(key, "between", min, max, n);
        }
        return n;
    }

    private List<String> list(String key) {
        String v = raw(key);
        if (v == null) {
            throw bad(key, "missing");
        }
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private URI url(String key, String value) {
        if (value == null || value.isBlank()) {
            throw bad(key, "missing");
        }
        try {
            URI uri = new URI(value.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw bad(key, "url", value);
            }
            String s = uri.toString();
            return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        } catch (URISyntaxException e) {
            throw bad(key, "url", value);
        }
    }

    /**
     * The state's URL with its credentials: for PostgreSQL {@code STATE_DB_USER} and {@code STATE_DB_PASSWORD} (.env or
     * environment); an H2 file is always opened as H2's default user, as it always was (a --sandbox run keeps its own
     * H2 state even when .env holds the PostgreSQL credentials).
     */
    private StateDatabase stateDatabase(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return StateDatabase.h2(url);
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw bad("state.jdbc-url", "state-database");
        }
        Map<String, String> dotenv = DotEnv.read(envFile);
        String user = firstNonBlank(environment.get(StateDatabase.USER_ENV), dotenv.get(StateDatabase.USER_ENV));
        String password = firstNonBlank(environment.get(StateDatabase.PASSWORD_ENV),
                dotenv.get(StateDatabase.PASSWORD_ENV));
        if (user == null && !url.contains("user=")) {
            throw new ConfigException(StateDatabase.USER_ENV, envFile.toString(), "state-user", envFile.toString());
        }
        StateDatabase db = new StateDatabase(url, user == null ? "" : user.strip(),
                password == null ? "" : password.strip());
        // pairs sharing one PostgreSQL database: each pair's state in a schema of its own (cmsync_en), unless the
        // pair names its own URL
        return pair == null || pairValue("state.jdbc-url") != null || db.schema() != null ? db
                : db.withSchema(Pairs.SCHEMA_PREFIX + pair);
    }

    private String jdbcUrl(Path dataDir) {
        String configured = optional("state.jdbc-url");
        if (!configured.isEmpty()) {
            if (!configured.startsWith("jdbc:")) {
                throw bad("state.jdbc-url", "jdbc-url");
            }
            return configured;
        }
        // H2 refuses relative file URLs without ./ (TOOLCHAIN.md)
        Path db = dataDir.resolve("sync-state");
        String path = db.isAbsolute() ? db.toString() : "./" + db;
        return "jdbc:h2:file:" + path;
    }

    /** {@code language} (or its older name {@code report.language}); {@value #LANGUAGE_ENV} wins over both. */
    private String language() {
        String fromEnv = env(LANGUAGE_ENV);
        if (fromEnv != null) {
            try {
                return Messages.Language.parse(fromEnv).name().toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(LANGUAGE_ENV, ConfigException.ENVIRONMENT, "language", fromEnv);
            }
        }
        String v = aliased(LANGUAGE, REPORT_LANGUAGE, s -> Messages.Language.parse(s).name(), "language");
        return v == null ? "fr" : Messages.Language.parse(v).name().toLowerCase(Locale.ROOT);
    }

    /** {@code timezone} (or its older name {@code report.timezone}), Europe/Paris by default. */
    private ZoneId zone() {
        String v = aliased(TIMEZONE, REPORT_TIMEZONE, s -> ZoneId.of(s).normalized().getId(), "timezone");
        return v == null ? ZoneId.of(DEFAULT_ZONE) : ZoneId.of(v);
    }

    /**
     * A setting that also has an older name: either may be set (its value, or null); both set to different meanings
     * is a mistake (which one would win is not obvious to the person who edits the file).
     */
    private String aliased(String key, String alias, java.util.function.UnaryOperator<String> meaning,
                            String problem) {
        String a = blankToNull(raw(key));
        String b = blankToNull(raw(alias));
        String ma = a == null ? null : meaningOf(key, a, meaning, problem);
        String mb = b == null ? null : meaningOf(alias, b, meaning, problem);
        if (ma != null && mb != null && !ma.equals(mb)) {
            throw bad(key, "alias-conflict", key, alias, a, b);
        }
        return a != null ? a : b;
    }

    private String meaningOf(String key, String value, java.util.function.UnaryOperator<String> meaning,
                             String problem) {
        try {
            return meaning.apply(value);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw bad(key, problem, value);
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private ConfigException bad(String key, String problem, Object... args) {
        // a value a pair sets itself is named by its own key (pair.en.sync.mode)
        String named = properties != null && pairValue(key) != null ? Pairs.PREFIX + pair + "." + key : key;
        return new ConfigException(named, propertiesFile.toString(), problem, args);
    }
}

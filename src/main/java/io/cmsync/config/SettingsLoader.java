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

import io.cmsync.state.StateDatabase;

/**
 * Loads {@link Settings} from {@code config/application.properties} (UTF-8), {@code .env} and the environment, and
 * validates every value before anything touches the network. Any problem is a {@link ConfigException} naming the
 * key and the file to fix.
 */
public final class SettingsLoader {

    public static final String COPPER_BASE_URL_ENV = "COPPER_BASE_URL";
    public static final String MAILCHIMP_BASE_URL_ENV = "MAILCHIMP_BASE_URL";
    private static final Pattern DC_SUFFIX = Pattern.compile(".*-([a-z]{2}\\d{1,3})$");
    private static final Pattern DC = Pattern.compile("[a-z]{2}\\d{1,3}");
    private static final Set<String> MEMBER_STATUSES =
            Set.of("subscribed", "unsubscribed", "cleaned", "pending", "transactional", "archived");

    private final Path propertiesFile;
    private final Path envFile;
    private final Map<String, String> environment;
    private final Map<String, String> overrides;
    private Properties properties;

    /**
     * @param overrides property values that win over the file (used by {@code --sandbox} for base URLs)
     */
    public SettingsLoader(Path propertiesFile, Path envFile, Map<String, String> environment,
                          Map<String, String> overrides) {
        this.propertiesFile = propertiesFile;
        this.envFile = envFile;
        this.environment = environment;
        this.overrides = overrides;
    }

    public static Properties readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("(file)", file.toString(), "not found");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("(file)", file.toString(), "cannot be read: " + e.getMessage());
        }
        return p;
    }

    public Settings load() {
        properties = readProperties(propertiesFile);
        Secrets secrets = secrets();
        boolean production = switch (text("sync.mode").toUpperCase(Locale.ROOT)) {
            case "TEST" -> false;
            case "PRODUCTION" -> true;
            default -> throw bad("sync.mode", "must be TEST or PRODUCTION");
        };
        String cron = text("sync.cron");
        if (!CronExpression.isValidExpression(cron)) {
            throw bad("sync.cron", "not a valid Quartz cron expression (e.g. 0 0/15 * * * ?)");
        }
        String newStatus = text("sync.new-member-status");
        if (!Set.of("subscribed", "pending").contains(newStatus)) {
            throw bad("sync.new-member-status", "must be subscribed or pending");
        }
        Set<String> importStatuses = new LinkedHashSet<>(list("sync.import-statuses"));
        if (importStatuses.isEmpty() || !MEMBER_STATUSES.containsAll(importStatuses)) {
            throw bad("sync.import-statuses", "must list Mailchimp statuses among " + MEMBER_STATUSES);
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
            throw bad("sync.full-reconciliation-cron", "not a valid Quartz cron expression (e.g. 0 0 2 * * ?)");
        }
        Path dataDir = Path.of(text("paths.data-dir"));
        return new Settings(propertiesFile, envFile, secrets, production, text("sync.test-marker"), cron,
                newStatus, Set.copyOf(importStatuses), bool("sync.create-copper-without-name"),
                bool("sync.mirror-statuses"), bool("sync.incremental"),
                integer("sync.incremental-overlap-seconds", 0, 86_400), fullCron,
                text("tags.deletion"), list("tags.deletion-aliases"), text("tags.inactive"),
                list("tags.inactive-aliases"), text("tags.mailchimp-unsubscribed"), text("tags.mailchimp-cleaned"),
                text("tags.resubscribe-required"),
                copperBase, integer("copper.page-size", 1, 200), integer("copper.requests-per-minute", 1, 10_000),
                raw("copper.bulk-requests-per-second") == null ? 3
                        : integer("copper.bulk-requests-per-second", 1, 1_000),
                mailchimpBase, integer("mailchimp.page-size", 1, 1000), integer("mailchimp.batch-size", 1, 500),
                raw("mailchimp.batch-max-wait-seconds") == null ? 600
                        : integer("mailchimp.batch-max-wait-seconds", 1, 86_400),
                integer("http.connect-timeout-seconds", 1, 600), integer("http.response-timeout-seconds", 1, 600),
                integer("http.max-attempts", 1, 20),
                dataDir, Path.of(text("paths.reports-dir")), Path.of(text("paths.archive-dir")),
                stateDatabase(jdbcUrl(dataDir)), language(), zone(), integer("report.retention-days", 1, 36_500),
                flaggedMailchimpAction(),
                raw("sync.plan-chunk-size") == null ? 2_000 : integer("sync.plan-chunk-size", 1, 100_000),
                raw("report.max-detailed-entries") == null ? 10_000
                        : integer("report.max-detailed-entries", 1, 1_000_000));
    }

    private String flaggedMailchimpAction() {
        String v = text("flagged.mailchimp-action").toLowerCase(Locale.ROOT);
        if (!Set.of(Settings.FLAGGED_ARCHIVE, Settings.FLAGGED_UNSUBSCRIBE).contains(v)) {
            throw bad("flagged.mailchimp-action", "must be archive or unsubscribe");
        }
        return v;
    }

    private Secrets secrets() {
        Map<String, String> dotenv = DotEnv.read(envFile);
        String envName = envFile.toString();
        String copperKey = secret(dotenv, Secrets.COPPER_API_KEY, envName);
        String copperEmail = secret(dotenv, Secrets.COPPER_API_EMAIL, envName);
        if (!copperEmail.contains("@")) {
            throw new ConfigException(Secrets.COPPER_API_EMAIL, envName, "must be the e-mail of the Copper user");
        }
        String mailchimpKey = secret(dotenv, Secrets.MAILCHIMP_API_KEY, envName);
        String dc = firstNonBlank(environment.get(Secrets.MAILCHIMP_DC), dotenv.get(Secrets.MAILCHIMP_DC));
        if (dc == null) {
            var m = DC_SUFFIX.matcher(mailchimpKey);
            if (!m.matches()) {
                throw new ConfigException(Secrets.MAILCHIMP_DC, envName,
                        "missing, and MAILCHIMP_API_KEY does not end with a data center such as -us6");
            }
            dc = m.group(1);
        } else if (!DC.matcher(dc.strip()).matches()) {
            throw new ConfigException(Secrets.MAILCHIMP_DC, envName, "must look like us6");
        }
        String listId = secret(dotenv, Secrets.MAILCHIMP_LIST_ID, envName);
        return new Secrets(copperKey, copperEmail, mailchimpKey, dc.strip(), listId);
    }

    private String secret(Map<String, String> dotenv, String key, String envName) {
        String value = firstNonBlank(environment.get(key), dotenv.get(key));
        if (value == null) {
            throw new ConfigException(key, envName, "missing (set it in " + envName + " or in the environment)");
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
            default -> throw bad(key, "must be true or false");
        };
    }

    private int integer(String key, int min, int max) {
        String v = text(key);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(key, "must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw bad(key, "must be between " + min + " and " + max + ", got " + n);
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
                throw bad(key, "must be an http(s) URL, got '" + value + "'");
            }
            String s = uri.toString();
            return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        } catch (URISyntaxException e) {
            throw bad(key, "must be an http(s) URL, got '" + value + "'");
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
            throw bad("state.jdbc-url", "must be an H2 (jdbc:h2:…) or PostgreSQL (jdbc:postgresql://host:5432/db) URL");
        }
        Map<String, String> dotenv = DotEnv.read(envFile);
        String user = firstNonBlank(environment.get(StateDatabase.USER_ENV), dotenv.get(StateDatabase.USER_ENV));
        String password = firstNonBlank(environment.get(StateDatabase.PASSWORD_ENV),
                dotenv.get(StateDatabase.PASSWORD_ENV));
        if (user == null && !url.contains("user=")) {
            throw new ConfigException(StateDatabase.USER_ENV, envFile.toString(),
                    "missing: the PostgreSQL state needs a user (set it in " + envFile + " or in the environment)");
        }
        return new StateDatabase(url, user == null ? "" : user.strip(), password == null ? "" : password.strip());
    }

    private String jdbcUrl(Path dataDir) {
        String configured = optional("state.jdbc-url");
        if (!configured.isEmpty()) {
            if (!configured.startsWith("jdbc:")) {
                throw bad("state.jdbc-url", "must be a JDBC URL such as jdbc:h2:file:./data/sync-state");
            }
            return configured;
        }
        // H2 refuses relative file URLs without ./ (TOOLCHAIN.md)
        Path db = dataDir.resolve("sync-state");
        String path = db.isAbsolute() ? db.toString() : "./" + db;
        return "jdbc:h2:file:" + path;
    }

    private String language() {
        String v = text("report.language").toLowerCase(Locale.ROOT);
        if (!Set.of("fr", "en").contains(v)) {
            throw bad("report.language", "must be fr or en");
        }
        return v;
    }

    private ZoneId zone() {
        String v = text("report.timezone");
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw bad("report.timezone", "unknown time zone '" + v + "' (e.g. Europe/Paris)");
        }
    }

    private ConfigException bad(String key, String problem) {
        return new ConfigException(key, propertiesFile.toString(), problem);
    }
}

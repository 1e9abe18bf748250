package io.cmsync.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the synced state lives: the embedded H2 file (default) or a PostgreSQL database shared by several processes.
 * The password comes from {@code .env} or the environment; {@link #toString()} never shows it.
 *
 * @param jdbcUrl  {@code jdbc:h2:…} or {@code jdbc:postgresql://host:5432/db}
 * @param user     the database user ({@code sa} for the embedded H2 file)
 * @param password its password (empty for the embedded H2 file)
 */
public record StateDatabase(String jdbcUrl, String user, String password) {
    public static final String USER_ENV = "STATE_DB_USER";
    public static final String PASSWORD_ENV = "STATE_DB_PASSWORD";

    public StateDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** An H2 database with H2's default user, as the product has always opened its state file. */
    public static StateDatabase h2(String jdbcUrl) {
        return new StateDatabase(jdbcUrl, "sa", "");
    }

    public boolean postgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The URL without its query (a password may be written there), for logs and messages. */
    public String displayUrl() {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
    }

    /**
     * The same PostgreSQL database with the state in schema {@code schema} (a sync pair's own tables, lock and
     * Flyway history), created on first use.
     */
    public StateDatabase withSchema(String schema) {
        if (!postgres() || !schema.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("a PostgreSQL schema name is expected: " + schema);
        }
        return new StateDatabase(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema, user,
                password);
    }

    /** The same database without the URL's {@code currentSchema=} (the deployment's schema, not a pair's). */
    public StateDatabase withoutSchema() {
        String url = jdbcUrl.replaceFirst("&currentSchema=[a-z][a-z0-9_]*(?=&|$)", "")
                .replaceFirst("\\?currentSchema=[a-z][a-z0-9_]*(&|$)", "?")
                .replaceFirst("\\?$", "");
        return new StateDatabase(url, user, password);
    }

    /** The schema named by the URL's {@code currentSchema=} (a sync pair's), or null. */
    public String schema() {
        var m = java.util.regex.Pattern.compile("[?&]currentSchema=([a-z][a-z0-9_]*)(&|$)").matcher(jdbcUrl);
        return postgres() && m.find() ? m.group(1) : null;
    }

    public Connection connect() throws SQLException {
        Properties p = new Properties();
        // empty: the URL's own user= / password= (if any) apply
        if (!user.isEmpty()) {
            p.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            p.setProperty("password", password);
            // no log line shows it, whatever a driver or a failure puts in one
            io.cmsync.logging.SecretMaskingFilter.install(java.util.List.of(password));
        }
        if (postgres() && !jdbcUrl.contains("reWriteBatchedInserts")) {
            // the staging tables take a million rows per side in JDBC batches: one multi-row INSERT per batch
            p.setProperty("reWriteBatchedInserts", "true");
        }
        Connection c = DriverManager.getConnection(jdbcUrl, p);
        String schema = schema();
        if (schema != null) {
            // a pair's schema: made on first use (the server keeps the search path on it once it exists)
            try (var s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return "StateDatabase[" + displayUrl() + ", user=" + user + ", password=****]";
    }
}

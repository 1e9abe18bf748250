package io.cmsync.state;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state's schema, by Flyway migrations in {@code db/migration/h2} or {@code db/migration/postgresql}. A state
 * file written before migrations existed (its tables, no Flyway history) is recognised and baselined at version 1, the schema
 * that code created by hand; later migrations then apply to it like to any other.
 */
final class SchemaMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);
    private static final String HISTORY = "flyway_schema_history";
    /** The version whose schema the product created by hand before migrations. */
    static final String HAND_MADE_VERSION = "1";
    /** The newest script's version in both folders (SchemaMigrationsTest checks it against the files). */
    static final String NEWEST_VERSION = "2";

    private SchemaMigrations() {
    }

    /** Brings the schema of {@code db} to the newest version ({@code connection}: an open connection to it). */
    static void apply(StateDatabase db, Connection connection) throws SQLException {
        if (hasTable(connection, HISTORY) && upToDate(connection)) {
            return; // the usual case: no Flyway start-up (a second per process) to learn that nothing is to do
        }
        // several processes opening a new PostgreSQL state at once (nodes of a cluster): one at a time
        try (Held held = migrationLock(db, connection)) {
            applyLocked(db, connection);
        }
    }

    private static void applyLocked(StateDatabase db, Connection connection) throws SQLException {
        boolean history = hasTable(connection, HISTORY);
        if (history && upToDate(connection)) {
            return; // another process migrated it while this one waited
        }
        boolean handMade = !history && hasTable(connection, "synced_contact");
        boolean firstCut = false;
        if (history && !db.postgres() && !anySuccess(connection) && hasTable(connection, "synced_contact")) {
            // a process killed while version 1 ran on a fresh H2 file (each statement there commits on its own): some
            // of its tables and an empty history. Finished like a hand-made state, whose schema version 1 is.
            try (Statement s = connection.createStatement()) {
                s.execute("DROP TABLE \"" + HISTORY + "\"");
            }
            handMade = true;
            firstCut = true;
        }
        if (handMade && !db.postgres()) {
            completeHandMade(connection);
        }
        var configuration = Flyway.configure();
        if (db.schema() != null) {
            configuration = configuration.schemas(db.schema()); // a sync pair's own schema (history included)
        }
        Flyway flyway = configuration
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("classpath:db/migration/" + (db.postgres() ? "postgresql" : "h2"))
                .table(HISTORY)
                .baselineVersion(HAND_MADE_VERSION)
                .baselineDescription("synced state created before migrations")
                .load();
        if (handMade) {
            flyway.baseline();
            if (firstCut) {
                LOG.info("Création de l'état synchronisé interrompue (processus arrêté): terminée, version de schéma {}",
                        HAND_MADE_VERSION);
            } else {
                LOG.info("État synchronisé existant reconnu (créé avant les migrations): version de schéma {}",
                        HAND_MADE_VERSION);
            }
        } else if (history && !db.postgres() && anyFailure(connection)) {
            // a script that failed on H2 (a full disk) is recorded as failed and Flyway refuses to go on until it is
            // repaired; H2's scripts are written to run again over their own partial work (db/migration/h2/README.md)
            flyway.repair();
            LOG.info("Migration de l'état synchronisé interrompue lors d'une ouverture précédente: reprise");
        }
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("Schéma de l'état synchronisé mis à jour: version {} ({} migration(s))",
                    result.targetSchemaVersion, result.migrationsExecuted);
        }
    }

    /** Flyway history of the Quartz job store's tables, apart from the state's (their versions never mix). */
    static final String QUARTZ_HISTORY = "flyway_quartz_history";
    /** The newest script's version in {@code db/quartz/postgresql}. */
    static final String QUARTZ_NEWEST_VERSION = "1";

    /**
     * Creates (or upgrades) the tables of Quartz's clustered JDBC job store in the PostgreSQL state database: the
     * scripts of {@code db/quartz/postgresql}, with their own history table, so that the state's versions and the
     * scheduler's never collide. Several nodes starting at once are safe: Flyway serialises migrations with a lock of
     * its own on PostgreSQL.
     */
    static void applyQuartz(StateDatabase db) throws SQLException {
        applyQuartz(db, true);
    }

    /**
     * Same; {@code stateHere} false: the schema holds no state of its own (declared pairs keep theirs in their
     * schemas), so the state's tables are not made there.
     */
    static void applyQuartz(StateDatabase db, boolean stateHere) throws SQLException {
        try (Connection c = db.connect()) {
            // nodes started together on a new database: one at a time, or the second one's Flyway finds the first's
            // history table made and still empty, and refuses to baseline it (seen in ClusterPairsFailoverIT)
            try (Held held = migrationLock(db, c)) {
                // the state's schema first: its own history must exist before other tables make the schema non-empty
                if (stateHere) {
                    apply(db, c);
                }
                if (hasTable(c, QUARTZ_HISTORY) && upToDate(c, QUARTZ_HISTORY, QUARTZ_NEWEST_VERSION)) {
                    return;
                }
                migrateQuartz(db);
            }
        }
    }

    /** The migration lock's key: one per database, whatever the schema (pairs' schemas included). */
    private static final long MIGRATION_LOCK = RunLock.advisoryKey("cluster", "copper-mailchimp-sync/schema-migrations");

    /** A lock held until closed. */
    private interface Held extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    /**
     * Serialises the schema migrations of the processes sharing a PostgreSQL database (a session advisory lock on
     * {@code c}, waited for); released when closed. Nothing to hold with H2 (one process per file).
     */
    private static Held migrationLock(StateDatabase db, Connection c) throws SQLException {
        if (!db.postgres()) {
            return () -> { };
        }
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
        }
        return () -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
            }
        };
    }

    private static void migrateQuartz(StateDatabase db) {
        MigrateResult result = Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("classpath:db/quartz/postgresql")
                .table(QUARTZ_HISTORY)
                // the state's tables are already there (a non-empty schema to Flyway): this history starts at an
                // empty version 0 beside them, then version 1 creates the Quartz tables
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("state schema present, no Quartz tables")
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("Tables du planificateur Quartz (cluster) créées ou mises à jour: version {} ({} migration(s))",
                    result.targetSchemaVersion, result.migrationsExecuted);
        }
    }

    /** True when the history's newest successful migration is {@link #NEWEST_VERSION} (or newer). */
    private static boolean upToDate(Connection c) throws SQLException {
        return upToDate(c, HISTORY, NEWEST_VERSION);
    }

    private static boolean upToDate(Connection c, String history, String newestVersion) throws SQLException {
        MigrationVersion newest = MigrationVersion.fromVersion(newestVersion);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT \"version\" FROM \"" + history + "\" WHERE \"success\" AND \"version\" IS NOT NULL")) {
            while (rs.next()) {
                if (MigrationVersion.fromVersion(rs.getString(1)).compareTo(newest) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anySuccess(Connection c) throws SQLException {
        return exists(c, "SELECT 1 FROM \"" + HISTORY + "\" WHERE \"success\"");
    }

    private static boolean anyFailure(Connection c) throws SQLException {
        return exists(c, "SELECT 1 FROM \"" + HISTORY + "\" WHERE NOT \"success\"");
    }

    private static boolean exists(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    private static boolean hasTable(Connection c, String name) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        // H2 keeps unquoted names in upper case, PostgreSQL in lower case; Flyway's own table is quoted lower case
        for (String spelling : new String[] {name, name.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(null, c.getSchema(), spelling, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Brings a hand-made H2 state to the schema of version 1, as that code did each time it opened the file: the
     * tables a still older version did not have yet, and text columns without their old length limits.
     */
    private static void completeHandMade(Connection c) throws SQLException {
        String script;
        try (var in = SchemaMigrations.class.getResourceAsStream("/db/migration/h2/V1__synced_state.sql")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new SQLException("the H2 schema script is missing from the product: " + e, e);
        }
        try (Statement s = c.createStatement()) {
            for (String sql : script.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!sql.isBlank()) {
                    s.execute(sql.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ")
                            .replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS "));
                }
            }
        }
        widenOldColumns(c);
    }

    /**
     * Versions before the hand-made schema's last form gave some text columns a length limit, which that code
     * dropped each time it opened the file; a file such a version wrote gets the same treatment before it is
     * baselined, so that version 1 describes it truly.
     */
    private static void widenOldColumns(Connection c) throws SQLException {
        String[][] columns = {
            {"synced_contact", "first_name", "last_name", "mailchimp_status"},
            {"pending_flagged", "matched_tag", "display_name"},
            {"run_copper", "k", "email", "raw_email", "first_name", "last_name", "status", "side_id"},
            {"run_mailchimp", "k", "email", "raw_email", "first_name", "last_name", "status", "side_id"},
            {"run_target", "first_name", "last_name", "mailchimp_status"},
        };
        try (Statement s = c.createStatement()) {
            for (String[] table : columns) {
                for (int i = 1; i < table.length; i++) {
                    widen(s, table[0], table[i]);
                }
            }
        }
    }

    private static void widen(Statement s, String table, String column) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT CHARACTER_MAXIMUM_LENGTH FROM INFORMATION_SCHEMA.COLUMNS WHERE "
                + "TABLE_NAME = '" + table.toUpperCase(Locale.ROOT) + "' AND COLUMN_NAME = '"
                + column.toUpperCase(Locale.ROOT) + "'")) {
            if (!rs.next() || rs.getLong(1) >= 1_000_000) {
                return;
            }
        }
        s.execute("ALTER TABLE " + table + " ALTER COLUMN " + column + " SET DATA TYPE VARCHAR");
    }
}

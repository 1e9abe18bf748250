package io.cmsync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.sync.SyncedRecord;

/**
 * H2 commits each DDL statement on its own, so a process killed while a migration runs (a first run, or the first
 * run after an upgrade) leaves that migration half done and unrecorded in Flyway's history. The next open must finish
 * it, not stop on "table already exists" or "duplicate column" (seen in CrashRecoveryIT: a kill while a fresh state
 * was being created left every later open failing).
 */
class InterruptedMigrationTest {
    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("sync-state");
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private List<String> appliedVersions() throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url(), "sa", ""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\""
                        + " AND \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    private static SyncedRecord record(String email) {
        return new SyncedRecord(email, 7L, "Ada", "Lovelace", Set.of("vip"), Set.of(), "subscribed",
                Instant.parse("2026-01-01T00:00:00Z"), Map.of("TITLE", "Countess"));
    }

    @Test
    void aKillDuringTheSecondMigrationIsFinishedByTheNextOpen() throws SQLException {
        try (StateStore store = StateStore.open(url())) {
            store.save(record("ada@example.com"));
        }
        // what a kill leaves after V2's first statement: its column there, its history row not written
        sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '2'",
                "ALTER TABLE run_target DROP COLUMN fields", "ALTER TABLE run_copper DROP COLUMN fields",
                "ALTER TABLE run_mailchimp DROP COLUMN fields");

        try (StateStore store = StateStore.open(url())) {
            assertThat(store.find("ada@example.com")).contains(record("ada@example.com"));
        }
        assertThat(appliedVersions()).endsWith(SchemaMigrations.NEWEST_VERSION);
    }

    @Test
    void aMigrationRecordedAsFailedIsRunAgainByTheNextOpen() throws SQLException {
        try (StateStore store = StateStore.open(url())) {
            store.save(record("ada@example.com"));
        }
        // what a script that failed halfway on H2 (a full disk) leaves: part of its work, its row marked failed,
        // on which Flyway alone refuses to go on ("Detected failed migration")
        sql("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '2'",
                "ALTER TABLE run_mailchimp DROP COLUMN fields");

        try (StateStore store = StateStore.open(url())) {
            assertThat(store.find("ada@example.com")).contains(record("ada@example.com"));
        }
        assertThat(appliedVersions()).endsWith(SchemaMigrations.NEWEST_VERSION);
    }

    @Test
    void aKillDuringTheFirstMigrationIsFinishedByTheNextOpen() throws SQLException {
        try (StateStore store = StateStore.open(url())) {
            assertThat(store.find("nobody@example.com")).isEmpty();
        }
        // what a kill leaves a few statements into V1 on a fresh file: Flyway's history table, empty, and the
        // first tables of the script
        sql("DELETE FROM \"flyway_schema_history\"", "DROP TABLE run_target", "DROP TABLE run_mailchimp",
                "DROP TABLE run_copper", "DROP TABLE sync_meta", "DROP TABLE plan_journal",
                "ALTER TABLE synced_contact DROP COLUMN fields");

        assertThatCode(() -> {
            try (StateStore store = StateStore.open(url())) {
                store.save(record("ada@example.com"));
                store.putMeta("k", "v");
                assertThat(store.find("ada@example.com")).contains(record("ada@example.com"));
            }
        }).doesNotThrowAnyException();
        assertThat(appliedVersions()).endsWith(SchemaMigrations.NEWEST_VERSION);
    }

    @Test
    void everyMigrationCanBeRunAgainOverItsOwnPartialWork() throws SQLException {
        // the rule behind the two cases above, for every script to come: on H2 each one must be idempotent
        try (StateStore store = StateStore.open(url())) {
            store.save(record("ada@example.com"));
        }
        for (String version : appliedVersions()) {
            if (version.equals(SchemaMigrations.HAND_MADE_VERSION)) {
                continue; // version 1 is the hand-made schema: the case above finishes it
            }
            sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '" + version + "'");
            try (StateStore store = StateStore.open(url())) {
                assertThat(store.find("ada@example.com")).as("after version %s ran again", version)
                        .contains(record("ada@example.com"));
            }
        }
    }
}

package io.cmsync.state;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cmsync.sync.SyncedRecord;

/**
 * The persistent synced state (JDBC; embedded H2 file database by default): per contact what was last synced and
 * which tags this product pushed, and the contacts waiting in the archive channel. Opened for one run or one command
 * and closed after, so a cron run and the daemon never hold the database at the same time (the run lock orders them).
 */
public final class StateStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final Connection connection;
    private final RunStaging staging;

    private StateStore(Connection connection) {
        this.connection = connection;
        this.staging = new RunStaging(connection);
    }

    /** The current run's staging area (contacts read, planned synced records), in the same database. */
    /** The e-mails whose writes a run started and did not see to the end (a killed run leaves them). */
    public PlanJournal journal() {
        return new PlanJournal(connection, this);
    }

    public RunStaging staging() {
        return staging;
    }

    public static StateStore open(String jdbcUrl) {
        try {
            Connection c = DriverManager.getConnection(jdbcUrl, "sa", "");
            StateStore store = new StateStore(c);
            store.migrate();
            return store;
        } catch (SQLException e) {
            throw new StateException("cannot open the synced state at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS synced_contact (
                      email VARCHAR(320) PRIMARY KEY,
                      copper_id BIGINT,
                      first_name VARCHAR,
                      last_name VARCHAR,
                      tags CLOB,
                      pushed_tags CLOB,
                      mailchimp_status VARCHAR,
                      synced_at TIMESTAMP WITH TIME ZONE)""");
            for (String column : new String[] {"first_name", "last_name", "mailchimp_status"}) {
                RunStaging.widen(s, "synced_contact", column); // made with limits by earlier versions
            }
            s.execute("""
                    CREATE TABLE IF NOT EXISTS pending_flagged (
                      email VARCHAR(320) PRIMARY KEY,
                      matched_tag VARCHAR,
                      display_name VARCHAR,
                      copper_json CLOB,
                      mailchimp_json CLOB,
                      first_seen TIMESTAMP WITH TIME ZONE,
                      last_seen TIMESTAMP WITH TIME ZONE)""");
            // the e-mails whose writes a run started; emptied when that run records its outcome (see PlanJournal)
            s.execute("CREATE TABLE IF NOT EXISTS plan_journal (email VARCHAR PRIMARY KEY)");
            RunStaging.widen(s, "pending_flagged", "matched_tag");
            RunStaging.widen(s, "pending_flagged", "display_name");
            s.execute("CREATE TABLE IF NOT EXISTS sync_meta (name VARCHAR(200) PRIMARY KEY, val CLOB)");
            RunStaging.migrate(s);
        }
    }

    public Optional<SyncedRecord> find(String email) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT email, copper_id, first_name, last_name, tags, pushed_tags, mailchimp_status, synced_at "
                        + "FROM synced_contact WHERE email = ?")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the synced state: " + e.getMessage(), e);
        }
    }

    /** The synced records with this Mailchimp status (for example the addresses awaiting resubscription). */
    public List<SyncedRecord> withMailchimpStatus(String status) {
        List<SyncedRecord> list = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT email, copper_id, first_name, last_name, tags, pushed_tags, mailchimp_status, synced_at "
                        + "FROM synced_contact WHERE mailchimp_status = ? ORDER BY email")) {
            ps.setString(1, status);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(record(rs));
                }
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the synced state: " + e.getMessage(), e);
        }
        return list;
    }

    /** A synced record from the 8 columns email, copper_id … synced_at of a result row. */
    static SyncedRecord record(ResultSet rs) throws SQLException {
        long copperId = rs.getLong(2);
        boolean noId = rs.wasNull();
        Timestamp at = rs.getTimestamp(8);
        return new SyncedRecord(rs.getString(1), noId ? null : copperId, rs.getString(3), rs.getString(4),
                strings(rs.getString(5)), strings(rs.getString(6)), rs.getString(7), at == null ? null : at.toInstant());
    }

    public void save(SyncedRecord r) {
        try (PreparedStatement ps = connection.prepareStatement(
                "MERGE INTO synced_contact (email, copper_id, first_name, last_name, tags, pushed_tags, "
                        + "mailchimp_status, synced_at) KEY (email) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(ps, r);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot write the synced state: " + e.getMessage(), e);
        }
    }

    /** Binds the 8 columns email, copper_id … synced_at. */
    static void bind(PreparedStatement ps, SyncedRecord r) throws SQLException {
        ps.setString(1, r.email());
            if (r.copperId() == null) {
                ps.setNull(2, java.sql.Types.BIGINT);
            } else {
                ps.setLong(2, r.copperId());
            }
            ps.setString(3, r.firstName());
            ps.setString(4, r.lastName());
            ps.setString(5, json(r.tags()));
            ps.setString(6, json(r.pushedTags()));
            ps.setString(7, r.mailchimpStatus());
            ps.setTimestamp(8, Timestamp.from(r.syncedAt() == null ? Instant.now() : r.syncedAt()));
    }

    /** Forgets every synced record (they described another account or audience); the meta stays. */
    public void clearRecords() {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("DELETE FROM synced_contact");
        } catch (SQLException e) {
            throw new StateException("cannot write the synced state: " + e.getMessage(), e);
        }
    }

    public long count() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM synced_contact")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StateException("cannot read the synced state: " + e.getMessage(), e);
        }
    }

    /** A small named value kept between runs (the audience's signup form, watermarks...). */
    public Optional<String> meta(String name) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT val FROM sync_meta WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the synced state: " + e.getMessage(), e);
        }
    }

    public void putMeta(String name, String value) {
        try (PreparedStatement ps = connection.prepareStatement("MERGE INTO sync_meta (name, val) KEY (name) VALUES (?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot write the synced state: " + e.getMessage(), e);
        }
    }

    public void removeMeta(String name) {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM sync_meta WHERE name = ?")) {
            ps.setString(1, name);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot write the synced state: " + e.getMessage(), e);
        }
    }

    /** A contact waiting in the archive channel: its full data on both sides, kept until someone acts on it. */
    public record PendingFlagged(String email, String matchedTag, String displayName, String copperJson,
                                 String mailchimpJson, Instant firstSeen, Instant lastSeen) {
    }

    /** Records (or refreshes, never duplicates) a flagged contact. */
    public void savePending(PendingFlagged p) {
        try (PreparedStatement ps = connection.prepareStatement("""
                MERGE INTO pending_flagged t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),
                  CAST(? AS CLOB), CAST(? AS CLOB), CAST(? AS TIMESTAMP WITH TIME ZONE)))
                  AS s(email, matched_tag, display_name, copper_json, mailchimp_json, seen)
                ON t.email = s.email
                WHEN MATCHED THEN UPDATE SET matched_tag = s.matched_tag, display_name = s.display_name,
                  copper_json = s.copper_json, mailchimp_json = s.mailchimp_json, last_seen = s.seen
                WHEN NOT MATCHED THEN INSERT (email, matched_tag, display_name, copper_json, mailchimp_json, first_seen,
                  last_seen) VALUES (s.email, s.matched_tag, s.display_name, s.copper_json, s.mailchimp_json, s.seen, s.seen)
                """)) {
            ps.setString(1, p.email());
            ps.setString(2, p.matchedTag());
            ps.setString(3, p.displayName());
            ps.setString(4, p.copperJson());
            ps.setString(5, p.mailchimpJson());
            ps.setTimestamp(6, Timestamp.from(p.lastSeen()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot record the flagged contact: " + e.getMessage(), e);
        }
    }

    public List<PendingFlagged> pending() {
        List<PendingFlagged> list = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT email, matched_tag, display_name, copper_json, mailchimp_json, first_seen, last_seen "
                        + "FROM pending_flagged ORDER BY email")) {
            while (rs.next()) {
                list.add(new PendingFlagged(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant()));
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the flagged contacts: " + e.getMessage(), e);
        }
        return list;
    }

    public void removePending(String email) {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM pending_flagged WHERE email = ?")) {
            ps.setString(1, email);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot update the flagged contacts: " + e.getMessage(), e);
        }
    }

    private static String json(Set<String> values) {
        try {
            return JSON.writeValueAsString(List.copyOf(values).stream().sorted().toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> strings(String json) {
        if (json == null || json.isBlank()) {
            return Set.of();
        }
        try {
            return new LinkedHashSet<>(JSON.readValue(json, STRINGS));
        } catch (JsonProcessingException e) {
            throw new StateException("corrupt tag list in the synced state: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StateException("cannot close the synced state: " + e.getMessage(), e);
        }
    }
}

package io.cmsync.state;

import java.sql.Connection;
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
 * The persistent synced state (JDBC: embedded H2 file database by default, or PostgreSQL): per contact what was
 * last synced and which tags this product pushed, and the contacts waiting in the archive channel. Opened for one
 * run or one command and closed after, so a cron run and the daemon never hold the database at the same time (the
 * run lock orders them).
 */
public final class StateStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<java.util.Map<String, String>> FIELDS = new TypeReference<>() { };

    private final Connection connection;
    private final boolean postgres;
    private final RunStaging staging;

    private StateStore(Connection connection, boolean postgres) {
        this.connection = connection;
        this.postgres = postgres;
        this.staging = new RunStaging(connection, postgres);
    }

    /** The e-mails whose writes a run started and did not see to the end (a killed run leaves them). */
    public PlanJournal journal() {
        return new PlanJournal(connection, this, postgres);
    }

    /** The current run's staging area (contacts read, planned synced records), in the same database. */
    public RunStaging staging() {
        return staging;
    }

    /** An embedded H2 state (H2's default user), as tests and older callers name it. */
    public static StateStore open(String jdbcUrl) {
        return open(StateDatabase.h2(jdbcUrl));
    }

    /** Opens the state, creating or migrating its schema first (see {@link SchemaMigrations}). */
    public static StateStore open(StateDatabase db) {
        Connection c = null;
        try {
            c = db.connect();
            SchemaMigrations.apply(db, c);
            return new StateStore(c, db.postgres());
        } catch (SQLException | RuntimeException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the opening failure is the one to report
                }
            }
            // the message names the URL without its query and never the credentials
            throw new StateException("cannot open the synced state at " + db.displayUrl() + ": " + e.getMessage(), e);
        }
    }

    public Optional<SyncedRecord> find(String email) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + RECORD_COLUMNS + " FROM synced_contact WHERE email = ?")) {
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
                "SELECT " + RECORD_COLUMNS + " FROM synced_contact WHERE mailchimp_status = ? ORDER BY email")) {
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

    /** The columns of a synced record, in the order {@link #record} and {@link #bind} use. */
    static final String RECORD_COLUMNS =
            "email, copper_id, first_name, last_name, tags, pushed_tags, mailchimp_status, synced_at, fields";

    /** A synced record from the 9 columns {@link #RECORD_COLUMNS} of a result row. */
    static SyncedRecord record(ResultSet rs) throws SQLException {
        long copperId = rs.getLong(2);
        boolean noId = rs.wasNull();
        Timestamp at = rs.getTimestamp(8);
        return new SyncedRecord(rs.getString(1), noId ? null : copperId, rs.getString(3), rs.getString(4),
                strings(rs.getString(5)), strings(rs.getString(6)), rs.getString(7), at == null ? null : at.toInstant(),
                fieldsOf(rs.getString(9)));
    }

    /** Mapped field values as stored: a JSON object, or NULL when there are none (the default mapping). */
    static String fieldsJson(java.util.Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(new java.util.TreeMap<>(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static java.util.Map<String, String> fieldsOf(String json) {
        if (json == null || json.isBlank()) {
            return java.util.Map.of();
        }
        try {
            return JSON.readValue(json, FIELDS);
        } catch (JsonProcessingException e) {
            throw new StateException("corrupt mapped fields in the synced state: " + e.getOriginalMessage(), e);
        }
    }

    public void save(SyncedRecord r) {
        try (PreparedStatement ps = connection.prepareStatement(recordUpsert(postgres, "synced_contact"))) {
            bind(ps, r);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot write the synced state: " + e.getMessage(), e);
        }
    }

    /** Writes one record of the 9 columns below into {@code table} (synced_contact, run_target). */
    static String recordUpsert(boolean postgres, String table) {
        return Upserts.upsert(postgres, table, "email", "copper_id", "first_name", "last_name", "tags", "pushed_tags",
                "mailchimp_status", "synced_at", "fields");
    }

    /** Binds the 9 columns {@link #RECORD_COLUMNS}. */
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
            ps.setString(9, fieldsJson(r.fields()));
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
        try (PreparedStatement ps = connection.prepareStatement(Upserts.upsert(postgres, "sync_meta", "name", "val"))) {
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
        // first_seen is kept when the contact is already waiting
        String sql = postgres ? """
                INSERT INTO pending_flagged (email, matched_tag, display_name, copper_json, mailchimp_json, last_seen,
                  first_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (email) DO UPDATE SET matched_tag = EXCLUDED.matched_tag,
                  display_name = EXCLUDED.display_name, copper_json = EXCLUDED.copper_json,
                  mailchimp_json = EXCLUDED.mailchimp_json, last_seen = EXCLUDED.last_seen
                """ : """
                MERGE INTO pending_flagged t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR),
                  CAST(? AS CLOB), CAST(? AS CLOB), CAST(? AS TIMESTAMP WITH TIME ZONE)))
                  AS s(email, matched_tag, display_name, copper_json, mailchimp_json, seen)
                ON t.email = s.email
                WHEN MATCHED THEN UPDATE SET matched_tag = s.matched_tag, display_name = s.display_name,
                  copper_json = s.copper_json, mailchimp_json = s.mailchimp_json, last_seen = s.seen
                WHEN NOT MATCHED THEN INSERT (email, matched_tag, display_name, copper_json, mailchimp_json, first_seen,
                  last_seen) VALUES (s.email, s.matched_tag, s.display_name, s.copper_json, s.mailchimp_json, s.seen, s.seen)
                """;
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, p.email());
            ps.setString(2, p.matchedTag());
            ps.setString(3, p.displayName());
            ps.setString(4, p.copperJson());
            ps.setString(5, p.mailchimpJson());
            ps.setTimestamp(6, Timestamp.from(p.lastSeen()));
            if (postgres) {
                ps.setTimestamp(7, Timestamp.from(p.lastSeen()));
            }
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

package io.cmsync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cmsync.sync.Contact;
import io.cmsync.sync.SyncedRecord;

/**
 * One run's staging area in the state database, so that a run never holds both contact lists in memory: the
 * contacts read on each side (inserted in JDBC batches as the pages arrive), then, while the plan is executed chunk
 * by chunk, the synced record each e-mail should get once its writes succeed. Emptied when a run starts and when it
 * ends. Contacts are keyed by the planner's key (normalised e-mail); Copper may hold several people with one key
 * (reported as duplicates by the planner), Mailchimp keeps the first member read per key.
 */
public final class RunStaging {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    /** Rows buffered before one JDBC batch insert. */
    static final int BATCH = 1_000;
    private static final String CONTACT_COLUMNS = "email, raw_email, first_name, last_name, tags, status, side_id, modified_at, fields";

    private final Connection connection;
    private final boolean postgres;
    private final List<Object[]> copperBuffer = new ArrayList<>();
    private final List<Object[]> mailchimpBuffer = new ArrayList<>();
    private long seq;

    RunStaging(Connection connection, boolean postgres) {
        this.connection = connection;
        this.postgres = postgres;
    }

    /** Empties the staging tables (start and end of a run). */
    public void clear() {
        copperBuffer.clear();
        mailchimpBuffer.clear();
        seq = 0;
        try (Statement s = connection.createStatement()) {
            s.execute("TRUNCATE TABLE run_copper");
            s.execute("TRUNCATE TABLE run_mailchimp");
            s.execute("TRUNCATE TABLE run_target");
        } catch (SQLException e) {
            throw new StateException("cannot empty the run's staging tables: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ contacts

    public void addCopper(String key, Contact c) {
        copperBuffer.add(row(key, c));
        if (copperBuffer.size() >= BATCH) {
            flush();
        }
    }

    public void addMailchimp(String key, Contact c) {
        mailchimpBuffer.add(row(key, c));
        if (mailchimpBuffer.size() >= BATCH) {
            flush();
        }
    }

    private Object[] row(String key, Contact c) {
        return new Object[] {++seq, key, c};
    }

    /** Writes the buffered contacts (every read below calls it first). */
    public void flush() {
        insert("run_copper", copperBuffer);
        insert("run_mailchimp", mailchimpBuffer);
    }

    private void insert(String table, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        batch("INSERT INTO " + table + " (seq, k, " + CONTACT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows, (ps, row) -> {
                    Contact c = (Contact) row[2];
                    ps.setLong(1, (Long) row[0]);
                    ps.setString(2, (String) row[1]);
                    ps.setString(3, c.email());
                    ps.setString(4, c.rawEmail());
                    ps.setString(5, c.firstName());
                    ps.setString(6, c.lastName());
                    ps.setString(7, json(c.tags()));
                    ps.setString(8, c.status());
                    ps.setString(9, c.sideId());
                    ps.setTimestamp(10, c.modifiedAt() == null ? null : Timestamp.from(c.modifiedAt()));
                    ps.setString(11, StateStore.fieldsJson(c.fields()));
                }, "cannot stage the contacts read: ");
        rows.clear();
    }

    /** Binds one item's parameters. */
    @FunctionalInterface
    private interface Binder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    /** {@code sql} once per item as one JDBC batch, committed as one transaction (rolled back whole on failure). */
    private <T> void batch(String sql, java.util.Collection<T> items, Binder<T> binder, String failure) {
        try {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (T item : items) {
                    binder.bind(ps, item);
                    ps.addBatch();
                }
                ps.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StateException(failure + e.getMessage(), e);
        }
    }

    /** Forgets the Mailchimp member(s) staged under this key. */
    public void removeMailchimp(String key) {
        flush();
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM run_mailchimp WHERE k = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot update the run's staging tables: " + e.getMessage(), e);
        }
    }

    /** Copper people staged (duplicates included). */
    public long copperCount() {
        flush();
        return count("SELECT COUNT(*) FROM run_copper");
    }

    /** Mailchimp members staged (one per key). */
    public long mailchimpCount() {
        flush();
        return count("SELECT COUNT(DISTINCT k) FROM run_mailchimp");
    }

    /**
     * The upper bounds of consecutive chunks of at most {@code size} distinct keys (both sides), in key order: chunk
     * i holds the keys in (bound i-1, bound i], the first one every key up to bound 0.
     */
    public List<String> chunkBounds(int size) {
        flush();
        List<String> bounds = new ArrayList<>();
        try {
            boolean auto = connection.getAutoCommit();
            // every key of the run passes here: PostgreSQL's driver streams a result in pages (fetch size) only
            // inside a transaction, instead of holding a million keys at once
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                s.setFetchSize(10_000);
                try (ResultSet rs = s.executeQuery("SELECT k FROM run_copper UNION SELECT k FROM run_mailchimp ORDER BY 1")) {
                    int n = 0;
                    String last = null;
                    while (rs.next()) {
                        last = rs.getString(1);
                        if (++n == size) {
                            bounds.add(last);
                            n = 0;
                        }
                    }
                    if (n > 0) {
                        bounds.add(last);
                    }
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the run's staging tables: " + e.getMessage(), e);
        }
        return bounds;
    }

    /** Copper people with a key in (after, upTo] ({@code after} null: from the first key), in reading order per key. */
    public List<Contact> copperBetween(String after, String upTo) {
        return between("run_copper", after, upTo, false);
    }

    /** Mailchimp members with a key in (after, upTo], the first one read per key. */
    public List<Contact> mailchimpBetween(String after, String upTo) {
        return between("run_mailchimp", after, upTo, true);
    }

    private List<Contact> between(String table, String after, String upTo, boolean firstPerKey) {
        flush();
        String sql = "SELECT k, " + CONTACT_COLUMNS + " FROM " + table + " WHERE "
                + (after == null ? "" : "k > ? AND ") + "k <= ? ORDER BY k, seq";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            if (after != null) {
                ps.setString(i++, after);
            }
            ps.setString(i, upTo);
            try (ResultSet rs = ps.executeQuery()) {
                return contacts(rs, firstPerKey);
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the run's staging tables: " + e.getMessage(), e);
        }
    }

    /** Every staged Copper person (for incremental runs, which read only what changed). */
    public List<Contact> copper() {
        return all("run_copper", false);
    }

    /** Every staged Mailchimp member, the first one read per key. */
    public List<Contact> mailchimp() {
        return all("run_mailchimp", true);
    }

    private List<Contact> all(String table, boolean firstPerKey) {
        flush();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT k, " + CONTACT_COLUMNS + " FROM " + table + " ORDER BY seq")) {
            return contacts(rs, firstPerKey);
        } catch (SQLException e) {
            throw new StateException("cannot read the run's staging tables: " + e.getMessage(), e);
        }
    }

    /** The rows' contacts, in row order; {@code firstPerKey}: only the first row of each key. */
    private static List<Contact> contacts(ResultSet rs, boolean firstPerKey) throws SQLException {
        Map<String, Contact> first = new LinkedHashMap<>();
        List<Contact> all = new ArrayList<>();
        while (rs.next()) {
            Contact c = contact(rs);
            if (firstPerKey) {
                first.putIfAbsent(rs.getString(1), c);
            } else {
                all.add(c);
            }
        }
        return firstPerKey ? new ArrayList<>(first.values()) : all;
    }

    /** The first Copper person read with this key (normalised e-mail), if any. */
    public Optional<Contact> copperPerson(String email) {
        flush();
        try (PreparedStatement ps = connection.prepareStatement("SELECT k, " + CONTACT_COLUMNS
                + " FROM run_copper WHERE k = ? ORDER BY seq LIMIT 1")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(contact(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the run's staging tables: " + e.getMessage(), e);
        }
    }

    private static Contact contact(ResultSet rs) throws SQLException {
        Timestamp at = rs.getTimestamp(9);
        return new Contact(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                list(rs.getString(6)), rs.getString(7), rs.getString(8),
                at == null ? null : at.toInstant(), StateStore.fieldsOf(rs.getString(10)));
    }

    // ------------------------------------------------------------------------------------------------ targets

    /** The synced records the planner wants for a chunk's e-mails (stored once the run's writes are done). */
    public void addTargets(java.util.Collection<SyncedRecord> targets) {
        if (targets.isEmpty()) {
            return;
        }
        batch(StateStore.recordUpsert(postgres, "run_target"), targets, StateStore::bind,
                "cannot stage the planned synced state: ");
    }

    /** A Copper person created by this run: its id goes into the e-mail's target record. */
    public void createdCopperId(String email, long id) {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE run_target SET copper_id = ? WHERE email = ?")) {
            ps.setLong(1, id);
            ps.setString(2, email);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot stage the planned synced state: " + e.getMessage(), e);
        }
    }

    /** Up to {@code limit} target records with an e-mail after {@code after} (null: from the first), in e-mail order. */
    public List<SyncedRecord> targetsAfter(String after, int limit) {
        String sql = "SELECT " + StateStore.RECORD_COLUMNS + " FROM run_target " + (after == null ? "" : "WHERE email > ? ") + "ORDER BY email LIMIT ?";
        List<SyncedRecord> page = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            int i = 1;
            if (after != null) {
                ps.setString(i++, after);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    page.add(StateStore.record(rs));
                }
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the planned synced state: " + e.getMessage(), e);
        }
        return page;
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> list(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new StateException("corrupt tag list in the staging tables: " + e.getOriginalMessage(), e);
        }
    }

    private long count(String sql) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StateException("cannot read the run's staging tables: " + e.getMessage(), e);
        }
    }
}

package io.cmsync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The product's own unfinished work. Before a chunk of the plan is written, its e-mails with a write are journaled;
 * a run that records its outcome empties the journal. A run killed on the way leaves it: the next run plans those
 * contacts again (the synced state was not committed for them), and the safety brake does not count those writes
 * as someone else's mass change: they are the rest of the product's own plan.
 */
public final class PlanJournal {
    /** Meta key: when the run that journaled the unfinished work started. */
    static final String STARTED = "journal.run-started";
    /** Meta key: {@code interrupted} (a run stopped on the way) or {@code failed} (its failed writes are left). */
    static final String KIND = "journal.kind";

    /** What the journal holds: the rest of an interrupted run, or the failed writes of a run that ended. */
    public record Unfinished(Instant runStart, boolean interrupted) {
    }

    private final Connection connection;
    private final StateStore store;
    private final boolean postgres;

    PlanJournal(Connection connection, StateStore store, boolean postgres) {
        this.connection = connection;
        this.store = store;
        this.postgres = postgres;
    }

    /** The run whose work is unfinished, if the journal holds anything. */
    public Optional<Unfinished> unfinished() {
        return store.meta(STARTED).map(Instant::parse)
                .map(at -> new Unfinished(at, !"failed".equals(store.meta(KIND).orElse(""))));
    }

    /** A run ended with failed writes: they are left for the next run to write again. */
    public void failed(Instant runStart, Collection<String> emails) {
        finished();
        if (!emails.isEmpty()) {
            merge(emails);
            store.putMeta(STARTED, runStart.toString());
            store.putMeta(KIND, "failed");
        }
    }

    /** Journals e-mails before their writes are sent (one transaction); {@code runStart} names the run. */
    public void started(Instant runStart, Collection<String> emails) {
        if (emails.isEmpty()) {
            return;
        }
        if (!runStart.toString().equals(store.meta(STARTED).orElse("")) || !"interrupted".equals(store.meta(KIND).orElse(""))) {
            store.putMeta(STARTED, runStart.toString());
            store.putMeta(KIND, "interrupted");
        }
        merge(emails);
        durable();
    }

    /**
     * The chunk's writes are sent right after this: a process killed then must leave the journal on disk. H2 hands a
     * commit to the OS up to 500 ms later (its WRITE_DELAY); a checkpoint writes it now. Once per chunk: setting the
     * delay to 0 for the whole state made a million-record commit crawl (a store per commit).
     */
    private void durable() {
        if (postgres) {
            return; // PostgreSQL's commit is durable
        }
        try (Statement s = connection.createStatement()) {
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new StateException("cannot write the plan journal: " + e.getMessage(), e);
        }
    }

    private void merge(Collection<String> emails) {
        try (PreparedStatement ps = connection.prepareStatement(Upserts.upsert(postgres, "plan_journal", "email"))) {
            for (String email : emails) {
                ps.setString(1, email);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StateException("cannot write the plan journal: " + e.getMessage(), e);
        }
    }

    /** The journaled e-mails in ({@code after}, {@code upTo}] (a chunk of the plan). */
    public Set<String> between(String after, String upTo) {
        Set<String> emails = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(after == null
                ? "SELECT email FROM plan_journal WHERE email <= ?"
                : "SELECT email FROM plan_journal WHERE email <= ? AND email > ?")) {
            ps.setString(1, upTo);
            if (after != null) {
                ps.setString(2, after);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    emails.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the plan journal: " + e.getMessage(), e);
        }
        return emails;
    }

    /** The run recorded its outcome: nothing of its plan is unfinished any more. */
    public void finished() {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("DELETE FROM plan_journal");
            s.executeUpdate("DELETE FROM sync_meta WHERE name IN ('" + STARTED + "', '" + KIND + "')");
        } catch (SQLException e) {
            throw new StateException("cannot empty the plan journal: " + e.getMessage(), e);
        }
    }
}

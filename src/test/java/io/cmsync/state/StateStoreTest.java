package io.cmsync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.sync.SyncedRecord;

/** The synced state's records, meta, journal, flagged contacts and run lock, on both databases (see the subclasses). */
abstract class StateStoreTest {
    private static final Instant T1 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-11-26T10:00:00Z");

    /** {@code h2} or {@code postgresql}: each runs these tests in a subclass (one report per database). */
    abstract String database();

    @TempDir
    Path dir;
    StateDatabase db;
    StateStore store;

    @BeforeEach
    void open() {
        db = TestDatabases.of(database(), dir);
        store = StateStore.open(db);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static SyncedRecord record(String email, Long copperId, String first, Set<String> tags, String status) {
        return new SyncedRecord(email, copperId, first, "Nom", tags, Set.of("vip"), status, T1);
    }

    @Test
    void recordsAreSavedReplacedAndFoundByStatus() {
        store.save(record("anna@exemple.fr", 12L, "Anna", Set.of("vip", "salon"), "subscribed"));
        store.save(record("bob@exemple.fr", null, "Bob", Set.of(), "unsubscribed"));
        store.save(record("anna@exemple.fr", 12L, "Anne", Set.of("vip"), "subscribed")); // the same key: replaced

        assertThat(store.count()).isEqualTo(2);
        SyncedRecord anna = store.find("anna@exemple.fr").orElseThrow();
        assertThat(anna.firstName()).isEqualTo("Anne");
        assertThat(anna.tags()).containsExactly("vip");
        assertThat(anna.syncedAt()).isEqualTo(T1);
        assertThat(store.find("bob@exemple.fr").orElseThrow().copperId()).isNull();
        assertThat(store.withMailchimpStatus("unsubscribed")).extracting(SyncedRecord::email).containsExactly("bob@exemple.fr");

        store.clearRecords();
        assertThat(store.count()).isZero();
    }

    @Test
    void aLongNameIsKeptWhole() {
        String name = "N".repeat(100_000);
        store.save(record("long@exemple.fr", 1L, name, Set.of(), "subscribed"));
        assertThat(store.find("long@exemple.fr").orElseThrow().firstName()).isEqualTo(name);
    }

    @Test
    void metaValuesAreReplacedNotDuplicated() {
        assertThat(store.meta("copper.watermark")).isEmpty();
        store.putMeta("copper.watermark", "1");
        store.putMeta("copper.watermark", "2");
        assertThat(store.meta("copper.watermark")).contains("2");
    }

    @Test
    void aFlaggedContactKeepsItsFirstSightingWhenSeenAgain() {
        store.savePending(new StateStore.PendingFlagged("gone@exemple.fr", "A SUPPRIMER", "Gone", "{}", "{}", T1, T1));
        store.savePending(new StateStore.PendingFlagged("gone@exemple.fr", "À SUPPRIMER", "Gone P.", "{\"a\":1}", null, T2, T2));

        assertThat(store.pending()).singleElement().satisfies(p -> {
            assertThat(p.matchedTag()).isEqualTo("À SUPPRIMER");
            assertThat(p.displayName()).isEqualTo("Gone P.");
            assertThat(p.copperJson()).isEqualTo("{\"a\":1}");
            assertThat(p.firstSeen()).isEqualTo(T1);
            assertThat(p.lastSeen()).isEqualTo(T2);
        });
        store.removePending("gone@exemple.fr");
        assertThat(store.pending()).isEmpty();
    }

    @Test
    void theJournalKeepsAnInterruptedRunsEmailsUntilItsOutcome() {
        PlanJournal journal = store.journal();
        journal.started(T1, List.of("a@exemple.fr", "b@exemple.fr"));
        journal.started(T1, List.of("b@exemple.fr", "c@exemple.fr")); // b again: once

        assertThat(journal.unfinished()).contains(new PlanJournal.Unfinished(T1, true));
        assertThat(journal.between(null, "b@exemple.fr")).containsExactlyInAnyOrder("a@exemple.fr", "b@exemple.fr");
        assertThat(journal.between("b@exemple.fr", "z")).containsExactly("c@exemple.fr");

        journal.failed(T2, List.of("c@exemple.fr"));
        assertThat(journal.unfinished()).contains(new PlanJournal.Unfinished(T2, false));
        assertThat(journal.between(null, "z")).containsExactly("c@exemple.fr");

        journal.finished();
        assertThat(journal.unfinished()).isEmpty();
        assertThat(journal.between(null, "z")).isEmpty();
    }

    @Test
    void theStateOpensAgainWithItsContent() {
        store.save(record("anna@exemple.fr", 12L, "Anna", Set.of(), "subscribed"));
        store.close();
        store = StateStore.open(db); // migrations already applied: nothing to do, nothing lost
        assertThat(store.find("anna@exemple.fr")).isPresent();
    }

    @Test
    void oneRunLockAtATime() {
        Path lockFile = dir.resolve("sync.lock");
        Optional<RunLock> first = RunLock.tryAcquire(db, lockFile);
        assertThat(first).as("the first run takes the lock").isPresent();
        assertThat(RunLock.tryAcquire(db, lockFile)).as("a second run, while the first holds it").isEmpty();
        first.get().close();
        Optional<RunLock> again = RunLock.tryAcquire(db, lockFile);
        assertThat(again).as("free again once released").isPresent();
        again.get().close();
        assertThat(RunLock.describe(db, lockFile)).isEqualTo(db.postgres() ? "pg_advisory_lock (" + db.jdbcUrl() + ")"
                : lockFile.toString());
    }
}

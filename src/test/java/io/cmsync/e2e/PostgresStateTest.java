package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.state.RunLock;
import io.cmsync.state.StateDatabase;
import io.cmsync.state.StateStore;
import io.cmsync.testsupport.PostgresServer;

/** The product with its synced state in PostgreSQL (a real server, see PostgresServer) against the sandbox. */
class PostgresStateTest {
    @TempDir
    Path dir;
    SyncHarness h;
    StateDatabase db;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private SyncHarness harness() throws Exception {
        db = PostgresServer.get().newDatabase("e2e");
        h = new SyncHarness(dir, new Seed()
                .person("anna@exemple.fr", "Anna", "Arnaud", "vip")
                .person("bruno@exemple.fr", "Bruno", "Bernard")
                .member("chloe@exemple.fr", "subscribed", "Chloé", "Chevalier").build());
        h.properties.put("state.jdbc-url", db.jdbcUrl());
        // the credentials as an operator gives them: .env
        Files.writeString(dir.resolve(".env"), StateDatabase.USER_ENV + "=" + db.user() + "\n"
                + StateDatabase.PASSWORD_ENV + "=" + db.password() + "\n");
        return h;
    }

    @Test
    void aFirstRunThenANoChangeRunWithTheStateInPostgres() throws Exception {
        harness();
        assertThat(h.settings().stateDatabase().postgres()).isTrue();

        assertThat(h.run()).isZero();
        assertThat(h.member("anna@exemple.fr")).as("synced to Mailchimp").isNotNull();
        assertThat(h.copperPerson("chloe@exemple.fr")).as("synced to Copper").isNotNull();
        try (StateStore store = StateStore.open(db)) {
            assertThat(store.find("anna@exemple.fr").orElseThrow().tags()).contains("vip");
            assertThat(store.count()).isEqualTo(3);
            assertThat(store.meta("sync.scope")).isPresent();
        }
        assertThat(dir.resolve("data/sync-state.mv.db")).as("no H2 file beside").doesNotExist();
        assertThat(dir.resolve("data/sync.lock")).as("the lock is in the database").doesNotExist();

        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.writeCalls()).as("writes of the second run").isZero();
        assertThat(h.latestReport()).contains("Aucune synchronisation nécessaire");
        String logs = Files.readString(h.latest("import_report_"));
        assertThat(logs).doesNotContain(PostgresServer.PASSWORD);
    }

    @Test
    void aRunIsSkippedWhileAnotherSessionHoldsTheDatabaseLock() throws Exception {
        harness();
        try (RunLock held = RunLock.tryAcquire(db, dir.resolve("unused.lock")).orElseThrow()) {
            assertThat(h.run()).as("skipped: its own exit code").isEqualTo(4);
        }
        assertThat(h.sandbox.totalCalls()).isZero();
        assertThat(h.run()).as("once the lock is released").isZero();
    }
}

package io.cmsync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.impl.StdSchedulerFactory;

import io.cmsync.testsupport.PostgresServer;

/**
 * The clustered job store's tables on a real PostgreSQL: created by their own Flyway migration next to the state's
 * (in either order of first use), idempotent, and usable by a clustered Quartz scheduler built from the product's
 * properties, which then lists itself among the cluster's nodes.
 */
class QuartzJobStoreTest {

    private static List<String> rows(StateDatabase db, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void onAnEmptyDatabaseTheStateSchemaComesFirstThenTheQuartzTables() throws Exception {
        StateDatabase db = PostgresServer.get().newDatabase("quartz_empty");
        QuartzJobStore.prepare(db);
        QuartzJobStore.prepare(db); // the second time: nothing to do

        assertThat(rows(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                .contains("synced_contact", "flyway_schema_history", "flyway_quartz_history", "qrtz_job_details",
                        "qrtz_triggers", "qrtz_cron_triggers", "qrtz_fired_triggers", "qrtz_scheduler_state",
                        "qrtz_locks");
        assertThat(rows(db, "SELECT \"version\" FROM flyway_quartz_history WHERE \"success\" ORDER BY installed_rank"))
                .containsExactly("0", "1");
        // the state's own history is untouched by the scheduler's
        assertThat(rows(db, "SELECT \"version\" FROM flyway_schema_history WHERE \"success\" ORDER BY installed_rank"))
                .doesNotContain("0").contains(SchemaMigrations.NEWEST_VERSION);
        try (StateStore store = StateStore.open(db)) {
            assertThat(store).isNotNull(); // the state opens as before
        }
    }

    /**
     * Two nodes started together on a new database (seen in ClusterPairsFailoverIT: one node stopped at start on
     * « Unable to baseline schema history table "public"."flyway_quartz_history" as it already exists, and is
     * empty »): the second node's Flyway found the first's history table made and not yet filled.
     */
    @Test
    void twoNodesPreparingANewDatabaseAtOnceBothSucceed() throws Exception {
        for (int round = 0; round < 6; round++) {
            StateDatabase db = PostgresServer.get().newDatabase("quartz_race" + round);
            var start = new java.util.concurrent.CyclicBarrier(2);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<?>> nodes = new ArrayList<>();
                for (int n = 0; n < 2; n++) {
                    nodes.add(pool.submit(() -> {
                        start.await();
                        QuartzJobStore.prepare(db, false);
                        return null;
                    }));
                }
                for (var node : nodes) {
                    node.get(60, java.util.concurrent.TimeUnit.SECONDS); // throws what a node's start threw
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(rows(db, "SELECT \"version\" FROM flyway_quartz_history WHERE \"success\" ORDER BY installed_rank"))
                    .as("round %d", round).endsWith("1");
            assertThat(rows(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                    .contains("qrtz_job_details", "qrtz_locks");
        }
    }

    @Test
    void anExistingStateGainsTheQuartzTables() throws Exception {
        StateDatabase db = PostgresServer.get().newDatabase("quartz_existing");
        try (StateStore store = StateStore.open(db)) {
            assertThat(store).isNotNull();
        }
        QuartzJobStore.prepare(db);
        assertThat(rows(db, "SELECT table_name FROM information_schema.tables WHERE table_name = 'qrtz_locks'"))
                .containsExactly("qrtz_locks");
    }

    @Test
    void aClusteredSchedulerRunsOnTheTablesAndListsItselfAsANode() throws Exception {
        StateDatabase db = PostgresServer.get().newDatabase("quartz_node");
        QuartzJobStore.prepare(db);
        Properties p = new Properties();
        p.putAll(QuartzJobStore.properties(db, "node-one", 1000));
        p.setProperty("org.quartz.scheduler.instanceName", QuartzJobStore.SCHEDULER_NAME);
        Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
        try {
            scheduler.start();
            assertThat(scheduler.getMetaData().isJobStoreClustered()).isTrue();
            assertThat(scheduler.getMetaData().getJobStoreClass().getSimpleName()).isEqualTo("JobStoreTX");
            assertThat(scheduler.getSchedulerInstanceId()).isEqualTo("node-one");
            long deadline = System.currentTimeMillis() + 10_000;
            while (QuartzJobStore.nodes(db).isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            var nodes = QuartzJobStore.nodes(db);
            assertThat(nodes).extracting(QuartzJobStore.Node::instanceId).containsExactly("node-one");
            assertThat(nodes.get(0).alive(System.currentTimeMillis())).isTrue();
            assertThat(nodes.get(0).alive(nodes.get(0).lastCheckinMillis() + 1000 + 7_501)).isFalse();
        } finally {
            scheduler.shutdown(true);
        }
    }

    @Test
    void thePasswordIsPassedToQuartzOnlyAsTheDataSourceSetting() {
        StateDatabase db = new StateDatabase("jdbc:postgresql://db:5432/x", "u", "secret");
        var p = QuartzJobStore.properties(db, "AUTO", 10_000);
        assertThat(p).containsEntry("org.quartz.jobStore.isClustered", "true")
                .containsEntry("org.quartz.scheduler.instanceId", "AUTO")
                .containsEntry("org.quartz.jobStore.clusterCheckinInterval", "10000")
                .containsEntry("org.quartz.jobStore.driverDelegateClass",
                        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        assertThat(p.entrySet()).filteredOn(e -> e.getValue().equals("secret")).extracting(java.util.Map.Entry::getKey)
                .containsExactly("org.quartz.dataSource.state.password");
    }
}

package io.cmsync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quartz's clustered JDBC job store in the PostgreSQL state database: the daemons that share one state share one
 * schedule. Each scheduled run fires on one node; a node that stops checking in is declared dead by the others after
 * its check-in interval (plus Quartz's 7.5 s grace), and one of them recovers the job it was running
 * ({@code recoverableJob}). See docs/deployment.md.
 * <p>
 * The tables are the official {@code tables_postgres.sql} of the Quartz jar, created by a Flyway migration of their own
 * ({@code db/quartz/postgresql}, history {@code flyway_quartz_history}). Connections come from
 * {@link StateDatabase#connect()} through {@link Connections}: the state's URL and credentials, no new pool library.
 */
public final class QuartzJobStore {
    /** The Quartz scheduler name shared by every node of one deployment (the job store's {@code SCHED_NAME}). */
    public static final String SCHEDULER_NAME = "copper-mailchimp-sync";
    /** The data source name in the Quartz properties. */
    static final String DATA_SOURCE = "state";

    private QuartzJobStore() {
    }

    /** Creates or upgrades the job store's tables (and the state's schema first). */
    public static void prepare(StateDatabase db) {
        prepare(db, true);
    }

    /** Same; {@code stateHere} false: the tables of Quartz only (declared pairs' state is in their own schemas). */
    public static void prepare(StateDatabase db, boolean stateHere) {
        try {
            SchemaMigrations.applyQuartz(db, stateHere);
        } catch (SQLException | RuntimeException e) {
            throw new StateException("cannot prepare the Quartz tables in " + db.displayUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The Quartz properties of a clustered node (for camel-quartz's {@code properties}).
     *
     * @param instanceId        {@code AUTO} (Quartz: host name + start time) or a name unique in the cluster
     * @param checkinIntervalMs how often the node checks in; a node silent for this long (+ 7.5 s) is declared dead
     */
    public static Map<String, String> properties(StateDatabase db, String instanceId, long checkinIntervalMs) {
        return properties(db, instanceId, checkinIntervalMs, 1);
    }

    /**
     * Same, for a deployment of {@code pairs} sync pairs: each pair's sync job gets a thread (different pairs run at
     * the same time, each never twice at once), plus the report retention's and one spare.
     */
    public static Map<String, String> properties(StateDatabase db, String instanceId, long checkinIntervalMs,
                                                 int pairs) {
        Map<String, String> p = new TreeMap<>();
        p.put("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.put("org.quartz.scheduler.instanceId", instanceId);
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        // each pair's sync and the report retention, each never twice at once (stateful); one spare
        p.put("org.quartz.threadPool.threadCount", String.valueOf(Math.max(1, pairs) + 2));
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.put("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(checkinIntervalMs));
        // a trigger blocked by a running (or dead node's) job fires late, once, up to a minute late (Quartz's
        // default); later than that it fires once at once (cron "smart policy"): never a burst of missed runs
        p.put("org.quartz.jobStore.misfireThreshold", "60000");
        p.put("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.put("org.quartz.jobStore.dataSource", DATA_SOURCE);
        String ds = "org.quartz.dataSource." + DATA_SOURCE + ".";
        p.put(ds + "connectionProvider.class", Connections.class.getName());
        p.put(ds + "url", db.jdbcUrl());
        p.put(ds + "user", db.user());
        p.put(ds + "password", db.password());
        return p;
    }

    /**
     * Holds the cluster's start lock (a PostgreSQL session advisory lock) until closed: the nodes start their Quartz
     * schedule one at a time. Camel's Quartz poll scheduler (the clustered report retention) looks its trigger up,
     * then stores it when absent, without expecting another node to store it in between: two nodes started together
     * on a job store without that trigger had one fail to start ({@code ObjectAlreadyExistsException}). Waits up to
     * {@code waitMs} for another starting node, then goes on without the lock (logged). Closing, or the process's end,
     * releases it.
     */
    public static AutoCloseable startLock(StateDatabase db, long waitMs) {
        long key = RunLock.advisoryKey("cluster", "copper-mailchimp-sync/quartz-start");
        Connection c = null;
        try {
            c = db.connect();
            long deadline = System.currentTimeMillis() + waitMs;
            while (true) {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    ps.setLong(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            break;
                        }
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    org.slf4j.LoggerFactory.getLogger(QuartzJobStore.class)
                            .warn("Another node has been starting for {} ms: this one starts without waiting", waitMs);
                    c.close();
                    return () -> { };
                }
                Thread.sleep(200);
            }
            Connection session = c;
            return session::close; // the session's end releases its advisory lock
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StateException("cannot take the cluster's start lock in " + db.displayUrl() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            closeQuietly(c);
            Thread.currentThread().interrupt();
            return () -> { };
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the first failure is the one to report
            }
        }
    }

    /** A node of the cluster as the job store knows it. */
    public record Node(String instanceId, long lastCheckinMillis, long checkinIntervalMillis) {
        /** Quartz's own rule: a node silent for its interval plus 7.5 s is dead (and its jobs are recovered). */
        public boolean alive(long nowMillis) {
            return nowMillis - lastCheckinMillis <= checkinIntervalMillis + 7_500;
        }
    }

    /** The nodes that checked in (the dead ones stay listed until another node has recovered their work). */
    public static List<Node> nodes(StateDatabase db) throws SQLException {
        List<Node> nodes = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state"
                        + " WHERE sched_name = ? ORDER BY instance_name")) {
            ps.setString(1, SCHEDULER_NAME);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(new Node(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return nodes;
    }

    /**
     * Quartz's connection provider ({@code org.quartz.dataSource.state.connectionProvider.class}): one new connection
     * per Quartz transaction, with the state's credentials. Quartz opens a few per schedule period (check-in, trigger
     * acquisition, firing, completion); a pool would save little and is one more library to configure.
     */
    public static final class Connections implements org.quartz.utils.ConnectionProvider {
        private String url;
        private String user;
        private String password;
        private volatile StateDatabase db;

        public void setUrl(String url) {
            this.url = url;
        }

        public void setUser(String user) {
            this.user = user;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        @Override
        public void initialize() {
            db = new StateDatabase(url, user, password);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return db.connect();
        }

        @Override
        public void shutdown() {
            // nothing pooled
        }
    }
}

package io.cmsync.app;

import java.time.Clock;
import java.util.HashMap;
import java.util.Properties;

import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;

import io.cmsync.config.ConfigException;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.health.ClusterNode;
import io.cmsync.run.SyncRuns;
import io.cmsync.state.QuartzJobStore;
import io.cmsync.state.StateDatabase;
import io.cmsync.state.StateException;

/**
 * The daemon's Quartz scheduler. With the state in H2: Quartz's in-memory store, as always (one node). With the state
 * in PostgreSQL: Quartz's clustered JDBC job store in that database, so that the daemons sharing the state share one
 * schedule: each run fires on one node, a dead node's run is recovered by another after the check-in interval, and
 * the report retention (route {@code report-retention-cluster}) fires on one node per period. See docs/deployment.md.
 */
final class SchedulerCluster {
    /** How often a node checks in; a node silent for this long plus 7.5 s is declared dead and its run recovered. */
    static final String CHECKIN_INTERVAL = "cluster.checkin-interval-seconds";
    /** The node's Quartz instance id: AUTO (host name + start time) or a name unique in the cluster. */
    static final String INSTANCE_ID = "cluster.instance-id";
    static final int DEFAULT_CHECKIN_SECONDS = 10;

    private SchedulerCluster() {
    }

    /** Sets the schedule up for a daemon: binds the clustered Quartz component when the state is in PostgreSQL. */
    static ClusterNode install(Main main, Settings settings, SyncRuns runs, Clock clock) {
        return install(main, settings, runs, clock, 1);
    }

    /** Same, for a deployment of {@code pairs} sync pairs (one Quartz thread per pair's sync job). */
    static ClusterNode install(Main main, Settings settings, SyncRuns runs, Clock clock, int pairs) {
        Properties file = SettingsLoader.readProperties(settings.propertiesFile());
        StateDatabase db = clusterDatabase(settings);
        // declared pairs sharing one database keep their state in their schemas (cmsync_<pair>): the schedule is the
        // deployment's, in the schema of state.jdbc-url, whatever the order of pairs= on each node
        boolean stateHere = db.equals(settings.stateDatabase());
        int checkin = checkinSeconds(file, settings);
        String instanceId = setting(file, INSTANCE_ID, "AUTO");
        if (instanceId.isEmpty()) {
            instanceId = "AUTO";
        }
        ClusterNode node = new ClusterNode(db.postgres() ? db : null, checkin * 1000L, clock);
        if (db.postgres()) {
            try {
                QuartzJobStore.prepare(db, stateHere);
            } catch (StateException e) {
                throw new ConfigException("state.jdbc-url", settings.propertiesFile().toString(), "cluster-database",
                        db.displayUrl(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            }
            QuartzComponent quartz = new QuartzComponent();
            quartz.setProperties(new HashMap<>(QuartzJobStore.properties(db, instanceId, checkin * 1000L, pairs)));
            // every node must name the scheduler alike: the job store's rows are keyed by that name
            quartz.setPrefixInstanceName(false);
            main.bind("quartz", quartz);
            // the nodes start their schedule one at a time (see QuartzJobStore.startLock): the start lock is held
            // from before Camel starts its routes until they are started (or the process ends)
            main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
                private AutoCloseable held;

                @Override
                public void beforeStart(org.apache.camel.main.BaseMainSupport started) {
                    held = QuartzJobStore.startLock(db, 120_000);
                }

                @Override
                public void afterStart(org.apache.camel.main.BaseMainSupport started) {
                    release();
                }

                @Override
                public void beforeStop(org.apache.camel.main.BaseMainSupport stopping) {
                    release();
                }

                private void release() {
                    AutoCloseable h = held;
                    held = null;
                    if (h != null) {
                        try {
                            h.close();
                        } catch (Exception e) {
                            // the session is gone: so is its lock
                        }
                    }
                }
            });
            // daemon-wide tasks: the clustered retention route instead of the node's own file consumer
            main.addOverrideProperty("camel.main.route-filter-exclude-pattern", "report-retention");
            // its consumer polls only when the cluster fires it on this node (once a day, maybe elsewhere): Camel's
            // "has not yet polled" consumer check would hold every node DOWN, so that one check is left out
            String excluded = setting(file, "camel.health.exclude-pattern", "");
            main.addOverrideProperty("camel.health.exclude-pattern",
                    (excluded.isEmpty() ? "" : excluded + ",") + "consumer:report-retention-cluster");
        } else {
            main.addOverrideProperty("camel.main.route-filter-exclude-pattern", "report-retention-cluster");
        }
        node.scheduler(() -> {
            var camel = main.getCamelContext();
            if (camel == null || camel.getComponentNames().stream().noneMatch("quartz"::equals)) {
                return null;
            }
            return camel.getComponent("quartz", QuartzComponent.class).getScheduler();
        });
        runs.onBegin(node::begun);
        runs.onSkip(node::skipped);
        runs.onEnd(node::ended);
        return node;
    }

    /**
     * The database of the cluster's job store: the state's, but with declared pairs in one database not the first
     * pair's schema ({@code cmsync_<pair>}, added by the settings) — the schema of {@code state.jdbc-url} itself.
     */
    static StateDatabase clusterDatabase(Settings settings) {
        StateDatabase db = settings.stateDatabase();
        if (db.postgres() && !settings.implicitPair()
                && (io.cmsync.config.Pairs.SCHEMA_PREFIX + settings.pair()).equals(db.schema())) {
            return db.withoutSchema();
        }
        return db;
    }

    private static int checkinSeconds(Properties file, Settings settings) {
        String value = setting(file, CHECKIN_INTERVAL, String.valueOf(DEFAULT_CHECKIN_SECONDS));
        int seconds;
        try {
            seconds = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(CHECKIN_INTERVAL, settings.propertiesFile().toString(), "whole-number", value);
        }
        if (seconds < 1 || seconds > 600) {
            throw new ConfigException(CHECKIN_INTERVAL, settings.propertiesFile().toString(), "between", 1, 600,
                    seconds);
        }
        return seconds;
    }

    /** A setting as Camel Main resolves it: system property, then environment, then the properties file. */
    private static String setting(Properties file, String key, String fallback) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        if (value == null) {
            value = file.getProperty(key, fallback);
        }
        return value.strip();
    }
}

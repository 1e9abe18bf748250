package io.cmsync.health;

import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code node}: which node this daemon is (its Quartz instance id, the job store) and what it runs now; in a cluster,
 * the nodes the shared job store lists and whether each still checks in. DOWN only when this node's scheduler is not
 * running (it would take no scheduled run). Readiness only.
 * <p>
 * Its meters (Prometheus names): {@code cmsync_node_info{instance_id, job_store, clustered}} = 1,
 * {@code cmsync_node_running} (the syncs this node runs now), {@code cmsync_node_runs_started_total},
 * {@code cmsync_node_runs_recovered_total} (runs this node took over from a dead node),
 * {@code cmsync_node_triggers_skipped_total} (triggers that started no run: the run lock held elsewhere, or a recovered fire time whose run had already ended), and in a cluster
 * {@code cmsync_cluster_nodes_alive}. With declared pairs, per pair (label {@code pair}):
 * {@code cmsync_node_pair_running}, {@code cmsync_node_pair_runs_started_total},
 * {@code cmsync_node_pair_runs_recovered_total}, {@code cmsync_node_pair_triggers_skipped_total}; and the health
 * details {@code node.running.pairs} and {@code node.pair.<name>.*}.
 */
public final class NodeHealthCheck extends AbstractHealthCheck {
    public static final String ID = "node";

    private final ClusterNode node;
    private final Clock clock;

    public NodeHealthCheck(ClusterNode node, Clock clock) {
        super(ObservabilitySetup.GROUP, ID);
        this.node = node;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String id = node.instanceId();
        builder.detail("node.instance.id", id);
        builder.detail("node.job.store", node.jobStore());
        builder.detail("node.clustered", node.clustered());
        builder.detail("node.runs.started", node.runsStarted());
        builder.detail("node.runs.recovered", node.runsRecovered());
        builder.detail("node.triggers.skipped", node.triggersSkipped());
        var running = node.running();
        builder.detail("node.running", running.isEmpty() ? "none"
                : running.stream().map(ClusterNode.Running::runId).collect(Collectors.joining(", ")));
        if (running.size() == 1 && node.pairCounts().isEmpty()) {
            // today's single pair: the run's details as before pairs
            ClusterNode.Running r = running.get(0);
            builder.detail("node.running.since", r.startedAt().toString());
            builder.detail("node.running.trigger", r.trigger());
            builder.detail("node.running.recovering", r.recovering());
            if (r.scheduledFire() != null) {
                builder.detail("node.running.scheduled", r.scheduledFire().toString());
            }
        }
        if (!node.pairCounts().isEmpty()) {
            // declared pairs: which pairs this node runs now, and per pair what it did (node.pair.<name>.*)
            builder.detail("node.running.pairs", running.isEmpty() ? "none"
                    : running.stream().map(ClusterNode.Running::pair).collect(Collectors.joining(", ")));
            node.pairCounts().forEach((pair, counts) -> {
                String k = "node.pair." + pair + ".";
                var r = node.runningPair(pair);
                builder.detail(k + "running", r.map(ClusterNode.Running::runId).orElse("none"));
                r.ifPresent(run -> {
                    builder.detail(k + "running.since", run.startedAt().toString());
                    builder.detail(k + "running.trigger", run.trigger());
                    builder.detail(k + "running.recovering", run.recovering());
                    if (run.scheduledFire() != null) {
                        builder.detail(k + "running.scheduled", run.scheduledFire().toString());
                    }
                });
                builder.detail(k + "runs.started", counts.started());
                builder.detail(k + "runs.recovered", counts.recovered());
                builder.detail(k + "triggers.skipped", counts.skipped());
            });
        }
        if (node.clustered()) {
            long now = clock.millis();
            var nodes = node.nodes();
            builder.detail("cluster.checkin.interval.ms", node.checkinIntervalMs());
            builder.detail("cluster.nodes", nodes.stream()
                    .map(n -> n.instanceId() + (n.alive(now) ? "" : " (silent)")
                            + (n.instanceId().equals(id) ? " (this node)" : ""))
                    .collect(Collectors.joining(", ")));
            builder.detail("cluster.nodes.alive", nodes.stream().filter(n -> n.alive(now)).count());
        }
        if (!node.schedulerStarted()) {
            builder.message("Node " + id + ": the scheduler is not running");
            builder.down();
            return;
        }
        boolean pairs = !node.pairCounts().isEmpty();
        builder.message("Node " + id + (node.clustered() ? " (cluster)" : "") + ": " + (running.isEmpty() ? "idle"
                : "running " + running.stream().map(r -> (pairs ? "pair " + r.pair() + " " : "") + r.runId()
                + (r.recovering() ? " (recovered from a dead node)" : "")).collect(Collectors.joining(", "))));
        builder.up();
    }

    /** The node's meters (see the class comment). */
    public static void registerMeters(MeterRegistry registry, ClusterNode node) {
        // the instance id is known once the scheduler exists: the info gauge reads it at each scrape through a
        // meter registered per id (a restarted scheduler gets a new id: the old series simply ends)
        Gauge.builder("cmsync.node.running", node, n -> n.running().size())
                .description("Syncs this node runs now (1 while it runs one; with pairs, one per pair at most)")
                .register(registry);
        // declared pairs: the same per pair (label pair), so that a dashboard shows which node runs which pair
        node.pairCounts().forEach((pair, counts) -> {
            Gauge.builder("cmsync.node.pair.running", node, n -> n.runningPair(pair).isPresent() ? 1 : 0)
                    .description("1 while this node runs this pair's sync").tag("pair", pair).register(registry);
            FunctionCounter.builder("cmsync.node.pair.runs.started", counts, ClusterNode.PairCounts::started)
                    .description("Sync runs of this pair this node started").tag("pair", pair).register(registry);
            FunctionCounter.builder("cmsync.node.pair.runs.recovered", counts, ClusterNode.PairCounts::recovered)
                    .description("Sync runs of this pair this node recovered from a dead node of the cluster")
                    .tag("pair", pair).register(registry);
            FunctionCounter.builder("cmsync.node.pair.triggers.skipped", counts, ClusterNode.PairCounts::skipped)
                    .description("This pair's triggers that started no run (its lock held, or its fire time already synced)")
                    .tag("pair", pair).register(registry);
        });
        FunctionCounter.builder("cmsync.node.runs.started", node, ClusterNode::runsStarted)
                .description("Sync runs this node started").register(registry);
        FunctionCounter.builder("cmsync.node.runs.recovered", node, ClusterNode::runsRecovered)
                .description("Sync runs this node recovered from a dead node of the cluster (Quartz recovery)")
                .register(registry);
        FunctionCounter.builder("cmsync.node.triggers.skipped", node, ClusterNode::triggersSkipped)
                .description("Triggers that started no run (the lock held, or a recovered fire time already synced)").register(registry);
        if (node.clustered()) {
            Gauge.builder("cmsync.cluster.nodes.alive", node, ClusterNode::nodesAlive)
                    .description("Nodes of the Quartz cluster whose last check-in is recent").register(registry);
        }
    }

    /** The info meter, once the instance id is known (after the scheduler started). */
    public static void registerInfo(MeterRegistry registry, ClusterNode node) {
        Gauge.builder("cmsync.node.info", () -> 1.0)
                .description("This node: its Quartz scheduler instance id and job store")
                .tag("instance_id", node.instanceId())
                .tag("job_store", node.jobStore())
                .tag("clustered", String.valueOf(node.clustered()))
                .register(registry);
    }
}

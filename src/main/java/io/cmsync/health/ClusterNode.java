package io.cmsync.health;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.quartz.JobDataMap;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.run.SyncRun;
import io.cmsync.run.SyncRuns;
import io.cmsync.state.QuartzJobStore;
import io.cmsync.state.StateDatabase;

/**
 * Which node this daemon is and what it runs: its Quartz scheduler's instance id ({@code NON_CLUSTERED} with the
 * in-memory schedule of H2; {@code AUTO}, i.e. host name + start time, in a PostgreSQL cluster), the run it is doing
 * now and the trigger that started it (a recovery of a dead node's run included), and the cluster's nodes as the
 * job store lists them. Fed by {@code SyncRuns}' begin, skip and end; read by the {@code node} health check and the
 * {@code cmsync_node_*} metrics (docs/operations-health.md).
 */
public final class ClusterNode {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** The trigger group Quartz gives the one-shot trigger that recovers a dead node's job. */
    public static final String RECOVERY_GROUP = Scheduler.DEFAULT_RECOVERY_GROUP;

    /**
     * A run this node is doing: its id, its pair's label ({@code default} for today's single pair), when it began, the
     * trigger and fire time it was scheduled for, and whether it recovers a dead node's run.
     */
    public record Running(String runId, String pair, Instant startedAt, String trigger, Instant scheduledFire,
                          boolean recovering) {
    }

    /** What this node did for one pair (declared pairs: the {@code cmsync_node_pair_*} meters). */
    public static final class PairCounts {
        private final AtomicLong started = new AtomicLong();
        private final AtomicLong recovered = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();

        public long started() {
            return started.get();
        }

        public long recovered() {
            return recovered.get();
        }

        public long skipped() {
            return skipped.get();
        }
    }

    private final StateDatabase clusterDatabase;
    private final long checkinIntervalMs;
    private final Clock clock;
    private volatile Supplier<Scheduler> scheduler = () -> null;
    /** The runs going on this node now, by run id: several pairs may run at once, each at most once. */
    private final java.util.Map<String, Running> running = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, PairCounts> perPair = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicLong runsStarted = new AtomicLong();
    private final AtomicLong runsRecovered = new AtomicLong();
    private final AtomicLong triggersSkipped = new AtomicLong();

    /**
     * @param clusterDatabase the PostgreSQL state whose job store the nodes share, null with the in-memory schedule
     */
    public ClusterNode(StateDatabase clusterDatabase, long checkinIntervalMs, Clock clock) {
        this.clusterDatabase = clusterDatabase;
        this.checkinIntervalMs = checkinIntervalMs;
        this.clock = clock;
    }

    /** Where the Quartz scheduler is found once Camel has started it. */
    public void scheduler(Supplier<Scheduler> scheduler) {
        this.scheduler = scheduler == null ? () -> null : scheduler;
    }

    public boolean clustered() {
        return clusterDatabase != null;
    }

    public long checkinIntervalMs() {
        return checkinIntervalMs;
    }

    private Optional<Scheduler> quartz() {
        try {
            return Optional.ofNullable(scheduler.get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The Quartz instance id: unique per node in a cluster; "?" before the scheduler exists. */
    public String instanceId() {
        return quartz().map(s -> {
            try {
                return s.getSchedulerInstanceId();
            } catch (SchedulerException e) {
                return "?";
            }
        }).orElse("?");
    }

    /** RAMJobStore (one node) or JobStoreTX (the cluster); "?" before the scheduler exists. */
    public String jobStore() {
        return quartz().map(s -> {
            try {
                return s.getMetaData().getJobStoreClass().getSimpleName();
            } catch (SchedulerException e) {
                return "?";
            }
        }).orElse("?");
    }

    /** True once the scheduler runs (not in standby, not shut down). */
    public boolean schedulerStarted() {
        return quartz().map(s -> {
            try {
                return s.isStarted() && !s.isInStandbyMode() && !s.isShutdown();
            } catch (SchedulerException e) {
                return false;
            }
        }).orElse(false);
    }

    /** The runs this node is doing now (one per pair at most), by pair. */
    public List<Running> running() {
        return running.values().stream().sorted(java.util.Comparator.comparing(Running::pair)
                .thenComparing(Running::startedAt)).toList();
    }

    /** The run {@code runId} if this node is doing it now. */
    public Optional<Running> running(String runId) {
        return runId == null ? Optional.empty() : Optional.ofNullable(running.get(runId));
    }

    /** The run of pair {@code label} this node is doing now, if any. */
    public Optional<Running> runningPair(String label) {
        return running.values().stream().filter(r -> r.pair().equals(label)).findFirst();
    }

    /**
     * The deployment's declared pairs (labels): each gets its {@code cmsync_node_pair_*} meters and its
     * {@code node.pair.<name>.*} health details from the start. Not called for today's single pair.
     */
    public void pairs(java.util.Collection<String> labels) {
        labels.forEach(l -> perPair.computeIfAbsent(l, k -> new PairCounts()));
    }

    /** The declared pairs' counts, by label (empty for today's single pair). */
    public java.util.Map<String, PairCounts> pairCounts() {
        return java.util.Collections.unmodifiableMap(perPair);
    }

    private PairCounts countsOf(String label) {
        return perPair.get(label);
    }

    /** The label of the pair an exchange or a run is for ({@code default}: today's single pair). */
    private static String label(io.cmsync.run.Pair pair, String fallbackName) {
        if (pair != null) {
            return pair.label();
        }
        return fallbackName == null || fallbackName.isEmpty() ? "default" : fallbackName;
    }

    public long runsStarted() {
        return runsStarted.get();
    }

    public long runsRecovered() {
        return runsRecovered.get();
    }

    public long triggersSkipped() {
        return triggersSkipped.get();
    }

    /** The cluster's nodes from the job store (empty with the in-memory schedule, or when the database is out of reach). */
    public List<QuartzJobStore.Node> nodes() {
        if (clusterDatabase == null) {
            return List.of();
        }
        try {
            return QuartzJobStore.nodes(clusterDatabase);
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.debug("Cluster nodes not read: {}", e.toString());
            return List.of();
        }
    }

    /** Nodes whose last check-in is recent enough for Quartz to count them alive. */
    public long nodesAlive() {
        long now = clock.millis();
        return nodes().stream().filter(n -> n.alive(now)).count();
    }

    /** A run began (SyncRuns' begin): what triggered it, logged with this node's id. */
    public void begun(SyncRun run, Exchange exchange) {
        String group = exchange.getMessage().getHeader("triggerGroup", String.class);
        String name = exchange.getMessage().getHeader("triggerName", String.class);
        boolean recovering = RECOVERY_GROUP.equals(group);
        // the fire time the run is for: a recovered run's is the one the dead node did not finish
        Instant scheduled = io.cmsync.run.SyncRuns.fireTimeOf(exchange);
        if (recovering) {
            // the recovery trigger names the trigger whose run the dead node did not finish
            Object data = exchange.getMessage().getHeader("mergedJobDataMap");
            if (data instanceof JobDataMap map) {
                String originalName = map.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_NAME);
                String originalGroup = map.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_GROUP);
                if (originalName != null) {
                    name = originalGroup + "." + originalName;
                }
            }
        } else if (name != null) {
            name = (group == null ? "" : group + ".") + name;
        }
        String trigger = name == null ? "(direct)" : name;
        String pair = label(run.pair(), exchange.getProperty(io.cmsync.run.Pair.PROPERTY, String.class));
        running.put(run.runId(), new Running(run.runId(), pair, run.startedAt(), trigger, scheduled, recovering));
        runsStarted.incrementAndGet();
        PairCounts counts = countsOf(pair);
        if (counts != null) {
            counts.started.incrementAndGet();
        }
        if (recovering) {
            runsRecovered.incrementAndGet();
            if (counts != null) {
                counts.recovered.incrementAndGet();
            }
        }
        // one technical line per run start: the failover IT and an engineer read which node ran which pair's fire time
        LOG.info("Run {} started on node {}: pair {}, trigger {}, scheduled {}, recovering {}, started {}",
                run.runId(), instanceId(), pair, trigger, scheduled == null ? "-" : scheduled, recovering,
                run.startedAt());
    }

    /**
     * A trigger started no run: it found the run lock held (another node, or a --once run, is syncing), or it recovered
     * a fire time whose run had already ended.
     */
    public void skipped(Exchange exchange, SyncRuns.Skip why) {
        triggersSkipped.incrementAndGet();
        String pair = label(null, exchange.getProperty(io.cmsync.run.Pair.PROPERTY, String.class));
        PairCounts counts = countsOf(pair);
        if (counts != null) {
            counts.skipped.incrementAndGet();
        }
        Instant scheduled = SyncRuns.fireTimeOf(exchange);
        LOG.info("Trigger skipped on node {}: pair {}, scheduled {}, {}", instanceId(), pair,
                scheduled == null ? "-" : scheduled, why == SyncRuns.Skip.LOCK_HELD ? "the run lock is held elsewhere"
                        : "recovered from a dead node, but a run of that fire time already ended");
    }

    /** A run ended (SyncRuns' end). */
    public void ended(SyncRun run) {
        Running was = running.remove(run.runId());
        String pair = was != null ? was.pair() : label(run.pair(), null);
        LOG.info("Run {} ended on node {}: pair {}, exit code {}, finished {}", run.runId(), instanceId(), pair,
                run.exitCode(), run.finishedAt() == null ? clock.instant() : run.finishedAt());
    }

    /**
     * When the cluster's schedule last fired a sync (on any node): the latest previous fire time of the sync triggers
     * ({@code quartz://copper-mailchimp-sync/sync…}) in the shared job store; empty with the in-memory schedule.
     */
    public Optional<Instant> clusterLastFire() {
        return clusterLastFires().values().stream().max(java.util.Comparator.naturalOrder());
    }

    /**
     * When the cluster's schedule last fired each pair's sync (on any node), by pair label: trigger {@code sync} is
     * today's single pair ({@code default}), {@code sync-NAME} pair NAME. Empty with the in-memory schedule; a pair
     * whose trigger never fired is absent.
     */
    public java.util.Map<String, Instant> clusterLastFires() {
        if (!clustered()) {
            return java.util.Map.of();
        }
        return quartz().map(s -> {
            java.util.Map<String, Instant> fires = new java.util.TreeMap<>();
            try {
                for (TriggerKey key : s.getTriggerKeys(org.quartz.impl.matchers.GroupMatcher
                        .triggerGroupEquals(QuartzJobStore.SCHEDULER_NAME))) {
                    String pair = key.getName().equals("sync") ? "default"
                            : key.getName().startsWith("sync-") ? key.getName().substring("sync-".length()) : null;
                    var t = pair == null ? null : s.getTrigger(key);
                    if (t != null && t.getPreviousFireTime() != null) {
                        fires.put(pair, t.getPreviousFireTime().toInstant());
                    }
                }
            } catch (SchedulerException e) {
                LOG.debug("Cluster triggers not read: {}", e.toString());
            }
            return (java.util.Map<String, Instant>) fires;
        }).orElse(java.util.Map.of());
    }

    private static Instant toInstant(Object value) {
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        return null;
    }
}

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

    /** The run this node is doing: its id, when it began, the fire time it was scheduled for, and whether it recovers one. */
    public record Running(String runId, Instant startedAt, String trigger, Instant scheduledFire, boolean recovering) {
    }

    private final StateDatabase clusterDatabase;
    private final long checkinIntervalMs;
    private final Clock clock;
    private volatile Supplier<Scheduler> scheduler = () -> null;
    private volatile Running running;
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

    public Optional<Running> running() {
        return Optional.ofNullable(running);
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
        Instant scheduled = toInstant(exchange.getMessage().getHeader("scheduledFireTime"));
        if (recovering) {
            // the recovery trigger carries the fire time the dead node's run was scheduled for
            Object data = exchange.getMessage().getHeader("mergedJobDataMap");
            if (data instanceof JobDataMap map) {
                String original = map.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
                if (original != null) {
                    scheduled = Instant.ofEpochMilli(Long.parseLong(original));
                }
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
        running = new Running(run.runId(), run.startedAt(), trigger, scheduled, recovering);
        runsStarted.incrementAndGet();
        if (recovering) {
            runsRecovered.incrementAndGet();
        }
        // one technical line per run start: the failover IT and an engineer read which node ran which fire time
        LOG.info("Run {} started on node {}: trigger {}, scheduled {}, recovering {}, started {}", run.runId(),
                instanceId(), trigger, scheduled == null ? "-" : scheduled, recovering, run.startedAt());
    }

    /** A trigger found the run lock held (another node, or a --once run, is syncing). */
    public void skipped(Exchange exchange) {
        triggersSkipped.incrementAndGet();
        Instant scheduled = toInstant(exchange.getMessage().getHeader("scheduledFireTime"));
        LOG.info("Trigger skipped on node {}: scheduled {}, the run lock is held elsewhere", instanceId(),
                scheduled == null ? "-" : scheduled);
    }

    /** A run ended (SyncRuns' end). */
    public void ended(SyncRun run) {
        Running now = running;
        if (now != null && now.runId().equals(run.runId())) {
            running = null;
        }
        LOG.info("Run {} ended on node {}: exit code {}, finished {}", run.runId(), instanceId(), run.exitCode(),
                run.finishedAt() == null ? clock.instant() : run.finishedAt());
    }

    /**
     * When the cluster's schedule last fired a sync (on any node): the latest previous fire time of the sync triggers
     * ({@code quartz://copper-mailchimp-sync/sync…}) in the shared job store; empty with the in-memory schedule.
     */
    public Optional<Instant> clusterLastFire() {
        if (!clustered()) {
            return Optional.empty();
        }
        return quartz().flatMap(s -> {
            try {
                Instant latest = null;
                for (TriggerKey key : s.getTriggerKeys(org.quartz.impl.matchers.GroupMatcher
                        .triggerGroupEquals(QuartzJobStore.SCHEDULER_NAME))) {
                    var t = key.getName().startsWith("sync") ? s.getTrigger(key) : null;
                    if (t != null && t.getPreviousFireTime() != null
                            && (latest == null || t.getPreviousFireTime().toInstant().isAfter(latest))) {
                        latest = t.getPreviousFireTime().toInstant();
                    }
                }
                return Optional.ofNullable(latest);
            } catch (SchedulerException e) {
                return Optional.empty();
            }
        });
    }

    private static Instant toInstant(Object value) {
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        return null;
    }
}

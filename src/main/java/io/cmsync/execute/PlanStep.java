package io.cmsync.execute;

import io.cmsync.report.Commands;
import io.cmsync.run.StepIterator;
import io.cmsync.run.SyncRun;
import io.cmsync.run.SyncRuns;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.cmsync.report.OperationOutcome;
import io.cmsync.sync.Direction;

import io.cmsync.state.PlanJournal;
import io.cmsync.state.RunStaging;
import io.cmsync.sync.Action;
import io.cmsync.sync.PlanTotals;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SyncPlan;

/**
 * The plan step: three-way comparison of both sides and the synced state, by the plain-Java {@link Planner}, over the
 * staged contacts chunk by chunk. {@link #plan} counts the whole plan for the safety brake before anything is written;
 * {@link #chunks} then gives the chunks' actions one at a time, for the execute route to split (streaming). Stateless:
 * the run and its chunk positions travel on the exchange.
 */
public final class PlanStep {
    /** E-mails planned (and executed) together; a run holds one chunk's contacts and actions at a time. */
    public static final int DEFAULT_CHUNK_SIZE = 2_000;

    private final Planner planner;
    private final Clock clock;
    private final io.cmsync.sync.SafetyBrake brake;
    private final boolean confirmed;
    private final int chunkSize;
    private final java.time.ZoneId zone;
    private final Commands commands;
    private static final java.time.format.DateTimeFormatter STARTED =
            java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");

    /**
     * @param brake     the safety brake checked before execution (null: none)
     * @param confirmed {@code --confirm-plan}: the brake lets any plan through
     */
    public PlanStep(Planner planner, Clock clock, io.cmsync.sync.SafetyBrake brake, boolean confirmed, int chunkSize) {
        this(planner, clock, brake, confirmed, chunkSize, java.time.ZoneId.systemDefault());
    }

    /** @param zone the report time zone (dates in the run's lines) */
    public PlanStep(Planner planner, Clock clock, io.cmsync.sync.SafetyBrake brake, boolean confirmed, int chunkSize,
                    java.time.ZoneId zone) {
        this(planner, clock, brake, confirmed, chunkSize, zone, Commands.REAL);
    }

    /** @param commands how the run's lines write the command that confirms a blocked plan */
    public PlanStep(Planner planner, Clock clock, io.cmsync.sync.SafetyBrake brake, boolean confirmed, int chunkSize,
                    java.time.ZoneId zone, Commands commands) {
        this.zone = zone;
        this.commands = commands;
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1: " + chunkSize);
        }
        this.planner = planner;
        this.clock = clock;
        this.brake = brake;
        this.confirmed = confirmed;
        this.chunkSize = chunkSize;
    }

    /** The run's pair's chunk size (this step's own for a run without a pair). */
    private int chunkSizeOf(SyncRun run) {
        return run.pair() == null ? chunkSize : run.pair().settings().planChunkSize();
    }

    /**
     * First planning pass, before anything is written: plans every chunk of e-mails only to count (the safety brake
     * needs the whole plan's figures), then checks the brake. The plan is deterministic, so {@link #chunks} (the
     * second pass, which executes) agrees with it; planning is CPU work over the staged contacts, far cheaper than
     * keeping a million actions between the two passes.
     */
    public void plan(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        RunStaging staging = run.staging();
        Instant now = clock.instant();
        int chunkSize = chunkSizeOf(run);
        List<String> bounds = staging.chunkBounds(chunkSize);
        PlanTotals totals = new PlanTotals();
        // writes that finish a killed run's plan are the product's own: the brake judges the others
        PlanJournal journal = run.otherBase() ? null : run.store().journal();
        Optional<PlanJournal.Unfinished> unfinished = journal == null ? Optional.empty() : journal.unfinished();
        PlanTotals judged = new PlanTotals();
        int resumed = 0;
        for (int i = 0; i < bounds.size(); i++) {
            SyncPlan plan = planChunk(run, bounds, i, now);
            totals.add(plan);
            if (unfinished.isEmpty()) {
                judged.add(plan);
                continue;
            }
            Set<String> journaled = journal.between(i == 0 ? null : bounds.get(i - 1), bounds.get(i));
            List<Action> others = new ArrayList<>();
            for (Action a : plan.actions()) {
                if (isWrite(a) && journaled.contains(a.email())) {
                    resumed++;
                } else {
                    others.add(a);
                }
            }
            judged.add(new SyncPlan(others, plan.targets(), plan.outsideTestMarker()));
        }
        run.planned(totals, bounds, now);
        if (unfinished.isPresent() && resumed > 0) {
            String when = STARTED.format(unfinished.get().runStart().atZone(zone));
            String line = run.log().text(unfinished.get().interrupted() ? "report.log.resumed-interrupted"
                    : "report.log.resumed-retry", when, resumed);
            run.resumed(line);
            run.log().info(line);
        }
        long copperRead = staging.copperCount();
        long mailchimpRead = staging.mailchimpCount();
        checkBrake(run, judged, copperRead, mailchimpRead);
        run.log().info(run.log().text("report.log.plan", copperRead, mailchimpRead, totals.stats().identical(),
                run.log().text("report.log.plan-writes", totals.mailchimpCreates(), totals.mailchimpUpdates(),
                        totals.copperCreates(), totals.copperUpdates()))
                + (bounds.size() > 1 ? run.log().text("report.log.plan-chunks", bounds.size(), chunkSize) : ""));
    }

    /**
     * Second pass, for the execute route: each chunk planned again when the route asks for it, its target synced
     * records staged (stored at the end for the e-mails whose writes all succeeded) and its conflicts kept for the
     * report; the chunk's actions are the element.
     */
    public Iterator<List<Action>> chunks(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        List<String> bounds = run.chunkBounds();
        if (run.planTotals() == null || bounds.isEmpty()) {
            return java.util.Collections.emptyIterator();
        }
        return new StepIterator<>() {
            private int next;

            @Override
            protected List<Action> produce() {
                SyncPlan plan = planChunk(run, bounds, next++, run.plannedAt());
                if (next == bounds.size()) {
                    last();
                }
                if (!run.dryRun()) {
                    run.staging().addTargets(plan.targets().values());
                }
                plan.conflicts().stream().distinct().forEach(run.conflicts()::add);
                if (!run.dryRun() && !run.otherBase()) {
                    // before anything of this chunk is sent: a run killed on the way leaves them to the next one
                    run.store().journal().started(run.startedAt(), plan.actions().stream().filter(PlanStep::isWrite)
                            .map(Action::email).toList());
                }
                return plan.actions();
            }
        };
    }

    private SyncPlan planChunk(SyncRun run, List<String> bounds, int index, Instant now) {
        String after = index == 0 ? null : bounds.get(index - 1);
        String upTo = bounds.get(index);
        RunStaging staging = run.staging();
        // records made for another account or audience describe none of these contacts: planned as a first sync
        java.util.function.Function<String, java.util.Optional<io.cmsync.sync.SyncedRecord>> synced =
                run.otherBase() ? email -> java.util.Optional.empty() : run.store()::find;
        return (run.pair() == null ? planner : run.pair().planner()).withFieldRules(run.fieldRules())
                .plan(staging.copperBetween(after, upTo), staging.mailchimpBetween(after, upTo), synced, now);
    }

    private void checkBrake(SyncRun run, PlanTotals plan, long copperRead, long mailchimpRead) {
        io.cmsync.sync.SafetyBrake brake = run.pair() == null ? this.brake : run.pair().brake();
        if (brake == null || run.dryRun()) {
            return;
        }
        boolean firstProduction = run.productionMode()
                && run.store().meta(SyncRuns.PRODUCTION_CONFIRMED).isEmpty();
        // an incremental run reads only what changed: the size of the base is the synced state's, when larger
        long synced = run.store().count();
        var verdict = brake.check(plan, (int) Math.max(copperRead, synced),
                (int) Math.max(mailchimpRead, synced), run.productionMode(),
                firstProduction, run.scopeChange(), confirmed);
        if (verdict.blocked()) {
            run.brake(verdict.summary());
            run.log().say(io.cmsync.report.RunLog.Level.WARN, "report.log.brake", verdict.summary(),
                    commands.confirmPlan(), "config/application.properties");
        } else if (confirmed && run.productionMode()) {
            run.log().say(io.cmsync.report.RunLog.Level.INFO, "report.log.confirmed");
        }
    }

    /** An action that writes to either side. */
    static boolean isWrite(Action a) {
        return a instanceof Action.CreateMailchimpMember || a instanceof Action.ReactivateMailchimpMember
                || a instanceof Action.UpdateMailchimpMember || a instanceof Action.CreateCopperPerson
                || a instanceof Action.UpdateCopperPerson;
    }

    /** Marks a planned operation in the JSON report (the text report says « PRÉVU » instead). */
    private static final String SIMULATED = " (simulation)";

    /** Dry run: what would be written, reported as planned, nothing sent. */
    public void recordPlanned(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body Action action) {
        OperationOutcome planned = null;
        if (action instanceof Action.CreateMailchimpMember a) {
            planned = planned(a.email(), Direction.COPPER_TO_MAILCHIMP, "création", a.copper().displayName(),
                    List.copyOf(a.tags()));
        } else if (action instanceof Action.ReactivateMailchimpMember a) {
            planned = planned(a.email(), Direction.COPPER_TO_MAILCHIMP, "réactivation", a.copper().displayName(),
                    List.copyOf(a.tags()));
        } else if (action instanceof Action.UpdateMailchimpMember a) {
            planned = planned(a.email(), Direction.COPPER_TO_MAILCHIMP, "mise à jour",
                    (a.firstName() + " " + a.lastName()).strip(), movedTags(a));
        } else if (action instanceof Action.CreateCopperPerson a) {
            planned = planned(a.email(), Direction.MAILCHIMP_TO_COPPER, "création",
                    (a.firstName() + " " + a.lastName()).strip(), List.of());
        } else if (action instanceof Action.UpdateCopperPerson a) {
            planned = planned(a.email(), Direction.MAILCHIMP_TO_COPPER, "mise à jour",
                    (a.firstName() + " " + a.lastName()).strip(), List.of());
        }
        if (planned != null) {
            if (!fieldsOf(action).isEmpty()) {
                planned = new OperationOutcome(planned.email(), planned.direction(), planned.operation(), true,
                        planned.name(), planned.tagsSynced(), null, null, fieldsOf(action));
            }
            run.outcome(planned);
            run.log().say(io.cmsync.report.RunLog.Level.INFO, "report.log.simulated", planned.direction().label(),
                    planned.operation().substring(0, planned.operation().length() - SIMULATED.length()), planned.email());
        }
    }

    private static OperationOutcome planned(String email, Direction direction, String operation, String name,
                                            List<String> tags) {
        return new OperationOutcome(email, direction, operation + SIMULATED, true, name, tags, null, null);
    }

    /** The mapped fields a write action changes (entry names), for the planned outcome. */
    private static List<String> fieldsOf(Action action) {
        java.util.Map<String, String> fields = action instanceof Action.CreateMailchimpMember a ? a.fields()
                : action instanceof Action.ReactivateMailchimpMember a ? a.fields()
                : action instanceof Action.UpdateMailchimpMember a ? a.fields()
                : action instanceof Action.CreateCopperPerson a ? a.fields()
                : action instanceof Action.UpdateCopperPerson a ? a.fields() : java.util.Map.of();
        return List.copyOf(fields.keySet());
    }

    static List<String> movedTags(Action.UpdateMailchimpMember a) {
        List<String> moved = new ArrayList<>(a.tagsToAdd());
        a.tagsToRemove().forEach(t -> moved.add("-" + t));
        return moved;
    }
}

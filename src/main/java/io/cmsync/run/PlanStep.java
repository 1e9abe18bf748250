package io.cmsync.run;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.cmsync.report.OperationOutcome;
import io.cmsync.sync.Direction;

import io.cmsync.state.RunStaging;
import io.cmsync.sync.Action;
import io.cmsync.sync.PlanTotals;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SyncPlan;

/** The plan step: three-way comparison of both sides and the synced state, by the plain-Java {@link Planner}. */
public final class PlanStep {
    private final Planner planner;
    private final SyncRuns runs;
    private final Clock clock;

    public PlanStep(Planner planner, SyncRuns runs, Clock clock) {
        this.planner = planner;
        this.runs = runs;
        this.clock = clock;
    }

    private io.cmsync.sync.SafetyBrake brake;
    private boolean confirmed;

    /** The safety brake checked before execution; {@code confirmed} (--confirm-plan) lets any plan through. */
    public PlanStep safetyBrake(io.cmsync.sync.SafetyBrake brake, boolean confirmed) {
        this.brake = brake;
        this.confirmed = confirmed;
        return this;
    }

    /** E-mails planned (and executed) together; a run holds one chunk's contacts and actions at a time. */
    public static final int DEFAULT_CHUNK_SIZE = 2_000;
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    public PlanStep chunkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1: " + size);
        }
        this.chunkSize = size;
        return this;
    }

    /**
     * First planning pass, before anything is written: plans every chunk of e-mails only to count (the safety brake
     * needs the whole plan's figures), then checks the brake. The execute route then plans each chunk again and
     * executes it ({@link #nextChunk()}); the plan is deterministic, so both passes agree.
     */
    public void plan() {
        SyncRun run = runs.current();
        RunStaging staging = run.staging();
        Instant now = clock.instant();
        List<String> bounds = staging.chunkBounds(chunkSize);
        PlanTotals totals = new PlanTotals();
        for (int i = 0; i < bounds.size(); i++) {
            totals.add(planChunk(run, bounds, i, now));
        }
        run.planned(totals, bounds, now);
        long copperRead = staging.copperCount();
        long mailchimpRead = staging.mailchimpCount();
        checkBrake(run, totals, copperRead, mailchimpRead);
        run.log().info("Plan: " + copperRead + " personne(s) Copper, " + mailchimpRead
                + " membre(s) Mailchimp lus; " + totals.mailchimpCreates()
                + " création(s) Mailchimp, " + totals.mailchimpUpdates()
                + " mise(s) à jour Mailchimp, " + totals.copperCreates()
                + " création(s) Copper, " + totals.copperUpdates()
                + " mise(s) à jour Copper, " + totals.stats().identical() + " identique(s)"
                + (bounds.size() > 1 ? " (" + bounds.size() + " tranches de " + chunkSize + " e-mails au plus)" : ""));
    }

    private java.util.function.Consumer<List<Action>> chunkExecutor;

    /**
     * How a chunk's actions are executed: the application sends them to the execute-chunk route, each chunk in an
     * exchange of its own (Camel keeps the split's exchanges until the exchange that started the split ends).
     */
    public PlanStep executeChunksWith(java.util.function.Consumer<List<Action>> executor) {
        this.chunkExecutor = executor;
        return this;
    }

    /** Plans the next chunk again ({@link #nextChunk()}) and executes its actions. */
    public void executeNextChunk() {
        List<Action> actions = nextChunk();
        if (!actions.isEmpty()) {
            java.util.Objects.requireNonNull(chunkExecutor, "no chunk executor").accept(actions);
        }
    }

    /** True while the plan has chunks left to execute. */
    public boolean hasNextChunk() {
        return runs.current().hasNextChunk();
    }

    /**
     * Second pass: plans the next chunk again, stages its target synced records (stored at the end for the e-mails
     * whose writes all succeeded), keeps its conflicts for the report, and returns its actions for the execute route.
     */
    public List<Action> nextChunk() {
        SyncRun run = runs.current();
        SyncPlan plan = planChunk(run, run.chunkBounds(), run.takeChunk(), run.plannedAt());
        if (!run.dryRun()) {
            run.staging().addTargets(plan.targets().values());
        }
        plan.conflicts().stream().distinct().forEach(run.conflicts()::add);
        return plan.actions();
    }

    private SyncPlan planChunk(SyncRun run, List<String> bounds, int index, Instant now) {
        String after = index == 0 ? null : bounds.get(index - 1);
        String upTo = bounds.get(index);
        RunStaging staging = run.staging();
        return planner.plan(staging.copperBetween(after, upTo), staging.mailchimpBetween(after, upTo),
                run.store()::find, now);
    }

    private void checkBrake(SyncRun run, PlanTotals plan, long copperRead, long mailchimpRead) {
        if (brake == null || run.dryRun()) {
            return;
        }
        boolean firstProduction = run.productionMode()
                && run.store().meta(SyncRuns.PRODUCTION_CONFIRMED).isEmpty();
        // an incremental run reads only what changed: the size of the base is the synced state's, when larger
        long synced = run.store().count();
        var verdict = brake.check(plan, (int) Math.max(copperRead, synced),
                (int) Math.max(mailchimpRead, synced), run.productionMode(),
                firstProduction, confirmed);
        if (verdict.blocked()) {
            run.brake(verdict.summary());
            run.log().warn("PLAN BLOQUÉ PAR LE FREIN DE SÉCURITÉ: " + verdict.summary()
                    + ". Rien n'est écrit; le plan est dans le rapport. Relancez avec --confirm-plan pour l'exécuter, "
                    + "ou relevez le réglage dans config/application.properties.");
        } else if (confirmed && run.productionMode()) {
            run.log().info("Plan confirmé (--confirm-plan): exécuté sans frein de sécurité");
        }
    }

    /** Dry run: what would be written, reported as planned, nothing sent. */
    public void recordPlanned(Action action) {
        SyncRun run = runs.current();
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
            run.outcome(planned);
            run.log().info("Simulation — serait écrit: " + planned.direction().label() + " (" + planned.operation()
                    + "): " + planned.email());
        }
    }

    private static OperationOutcome planned(String email, Direction direction, String operation, String name,
                                            List<String> tags) {
        return new OperationOutcome(email, direction, operation + " (simulation)", true, name, tags, null, null);
    }

    static List<String> movedTags(Action.UpdateMailchimpMember a) {
        List<String> moved = new ArrayList<>(a.tagsToAdd());
        a.tagsToRemove().forEach(t -> moved.add("-" + t));
        return moved;
    }
}

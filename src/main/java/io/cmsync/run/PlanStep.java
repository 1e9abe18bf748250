package io.cmsync.run;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.cmsync.report.OperationOutcome;
import io.cmsync.sync.Direction;

import io.cmsync.sync.Action;
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

    public List<Action> plan() {
        SyncRun run = runs.current();
        SyncPlan plan = planner.plan(run.copper(), run.mailchimp(), run.store()::find, clock.instant());
        run.plan(plan);
        checkBrake(run, plan);
        run.log().info("Plan: " + run.copper().size() + " personne(s) Copper, " + run.mailchimp().size()
                + " membre(s) Mailchimp lus; " + plan.actionsOf(Action.CreateMailchimpMember.class).size()
                + " création(s) Mailchimp, " + plan.actionsOf(Action.UpdateMailchimpMember.class).size()
                + " mise(s) à jour Mailchimp, " + plan.actionsOf(Action.CreateCopperPerson.class).size()
                + " création(s) Copper, " + plan.actionsOf(Action.UpdateCopperPerson.class).size()
                + " mise(s) à jour Copper, " + plan.actionsOf(Action.SkipIdentical.class).size() + " identique(s)");
        return plan.actions();
    }

    private void checkBrake(SyncRun run, SyncPlan plan) {
        if (brake == null || run.dryRun()) {
            return;
        }
        boolean firstProduction = run.productionMode()
                && run.store().meta(SyncRuns.PRODUCTION_CONFIRMED).isEmpty();
        // an incremental run reads only what changed: the size of the base is the synced state's, when larger
        long synced = run.store().count();
        var verdict = brake.check(plan, (int) Math.max(run.copper().size(), synced),
                (int) Math.max(run.mailchimp().size(), synced), run.productionMode(),
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

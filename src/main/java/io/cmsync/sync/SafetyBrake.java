package io.cmsync.sync;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The safety brake: before anything is written, the plan is checked against thresholds. A plan over them is not
 * executed (the run behaves as a dry run and reports the plan and the reasons) until someone confirms it
 * ({@code --confirm-plan}) or raises the setting. A first production run always shows its plan first.
 *
 * <p>Plain Java: no Camel, no I/O; the plan step asks it once per run.
 */
public final class SafetyBrake {

    /**
     * @param maxUpdateRatio          more than this share of a side's contacts updated is suspicious (0.05 = 5%)
     * @param updateGrace             up to this many updates per side are always allowed, whatever the ratio
     * @param maxRemovals             most removals allowed in one run: tags removed (per contact and tag) and names
     *                                emptied, on either side
     * @param firstProductionRunNeedsConfirmation a first PRODUCTION run shows its plan and writes nothing
     */
    public record Limits(double maxUpdateRatio, int updateGrace, int maxRemovals,
                         boolean firstProductionRunNeedsConfirmation) {
        public static Limits defaults() {
            return new Limits(0.05, 25, 50, true);
        }

        public static Limits off() {
            return new Limits(1.0, Integer.MAX_VALUE, Integer.MAX_VALUE, false);
        }
    }

    /** What the brake decided; {@code reasons} are one line each, in the report's language. */
    public record Verdict(List<String> reasons, int mailchimpUpdates, int copperUpdates, int removals) {
        public boolean blocked() {
            return !reasons.isEmpty();
        }

        public String summary() {
            return String.join(" ; ", reasons);
        }
    }

    private final Limits limits;
    private final io.cmsync.i18n.Messages messages;

    /** A brake whose reasons are in French (the default language). */
    public SafetyBrake(Limits limits) {
        this(limits, io.cmsync.i18n.Messages.of(io.cmsync.i18n.Messages.Language.FR));
    }

    /** @param messages the catalogue the reasons are worded from (the report's language) */
    public SafetyBrake(Limits limits, io.cmsync.i18n.Messages messages) {
        this.limits = limits;
        this.messages = messages;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * @param copperRead         Copper people read this run (the base of the Copper update ratio)
     * @param mailchimpRead      Mailchimp members read this run (the audience)
     * @param firstProductionRun no production run has been executed yet with this synced state
     * @param confirmed          the operator confirmed this plan ({@code --confirm-plan}): nothing blocks
     */
    public Verdict check(SyncPlan plan, int copperRead, int mailchimpRead, boolean productionMode,
                         boolean firstProductionRun, boolean confirmed) {
        return check(new PlanTotals().add(plan), copperRead, mailchimpRead, productionMode, firstProductionRun,
                confirmed);
    }

    /** As {@link #check(SyncPlan, int, int, boolean, boolean, boolean)}, on the counts of a plan made in chunks. */
    public Verdict check(PlanTotals plan, int copperRead, int mailchimpRead, boolean productionMode,
                         boolean firstProductionRun, boolean confirmed) {
        return check(plan, copperRead, mailchimpRead, productionMode, firstProductionRun, null, confirmed);
    }

    /**
     * As above, for a run whose synced state was made for another scope ({@code scopeChange}: what changed, e.g.
     * "mode TEST → PRODUCTION"; null when nothing did): like a first production run, its whole plan is shown first.
     */
    public Verdict check(PlanTotals plan, int copperRead, int mailchimpRead, boolean productionMode,
                         boolean firstProductionRun, String scopeChange, boolean confirmed) {
        int mcUpdates = plan.mailchimpUpdates();
        int cpUpdates = plan.copperUpdates();
        int removals = plan.removals();
        List<String> reasons = new ArrayList<>();
        if (confirmed) {
            return new Verdict(List.of(), mcUpdates, cpUpdates, removals);
        }
        if (scopeChange != null && limits.firstProductionRunNeedsConfirmation()) {
            reasons.add(messages.get("report.brake.scope-changed", scopeChange));
        } else if (productionMode && firstProductionRun && limits.firstProductionRunNeedsConfirmation()) {
            reasons.add(messages.get("report.brake.first-production"));
        }
        ratio(reasons, "report.brake.ratio-mailchimp", mcUpdates, mailchimpRead);
        ratio(reasons, "report.brake.ratio-copper", cpUpdates, copperRead);
        // per mapped field: a mapping edit or a bad import that rewrites one field everywhere stops here, named
        int contacts = Math.max(copperRead, mailchimpRead);
        plan.fieldUpdates().forEach((field, updates) -> {
            if (updates > limits.updateGrace()) {
                double ratio = contacts == 0 ? 1.0 : (double) updates / contacts;
                if (ratio > limits.maxUpdateRatio()) {
                    reasons.add(messages.get("report.brake.ratio-field", field, updates, contacts,
                            String.format(Locale.ROOT, "%.1f", ratio * 100),
                            String.format(Locale.ROOT, "%.1f", limits.maxUpdateRatio() * 100)));
                }
            }
        });
        if (removals > limits.maxRemovals()) {
            reasons.add(messages.get("report.brake.removals", removals, limits.maxRemovals()));
        }
        return new Verdict(List.copyOf(reasons), mcUpdates, cpUpdates, removals);
    }

    private void ratio(List<String> reasons, String key, int updates, int base) {
        if (updates <= limits.updateGrace()) {
            return;
        }
        double ratio = base == 0 ? 1.0 : (double) updates / base;
        if (ratio > limits.maxUpdateRatio()) {
            // percentages with one decimal and a dot, as the report's success rate
            reasons.add(messages.get(key, updates, base, String.format(Locale.ROOT, "%.1f", ratio * 100),
                    String.format(Locale.ROOT, "%.1f", limits.maxUpdateRatio() * 100)));
        }
    }

    /** Tags taken off a contact (either side) and names that a write would empty. */
    static int removals(SyncPlan plan) {
        int n = 0;
        for (Action a : plan.actions()) {
            if (a instanceof Action.UpdateMailchimpMember u) {
                n += u.tagsToRemove().size();
                if (u.namesChanged() && u.mailchimp() != null) {
                    n += emptied(u.mailchimp().firstName(), u.firstName()) + emptied(u.mailchimp().lastName(), u.lastName());
                }
            } else if (a instanceof Action.UpdateCopperPerson u) {
                if (u.tagsChanged() && u.copper() != null) {
                    Set<String> kept = new HashSet<>(u.tags());
                    n += (int) u.copper().tags().stream().filter(t -> !kept.contains(t)).count();
                }
                if (u.namesChanged() && u.copper() != null) {
                    n += emptied(u.copper().firstName(), u.firstName()) + emptied(u.copper().lastName(), u.lastName());
                }
            }
        }
        return n;
    }

    private static int emptied(String before, String after) {
        return before != null && !before.isBlank() && (after == null || after.isBlank()) ? 1 : 0;
    }
}

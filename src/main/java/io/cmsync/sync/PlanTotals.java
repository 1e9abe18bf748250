package io.cmsync.sync;

/**
 * The counts of a plan made chunk by chunk (a run plans its e-mails a few thousand at a time so that it never holds
 * every contact): what the safety brake and the plan's log line need, added up over the chunks' {@link SyncPlan}s.
 * Not thread-safe (one planning pass at a time).
 */
public final class PlanTotals {
    private int copperToMailchimp;
    private int mailchimpToCopper;
    private int identical;
    private int excluded;
    private int flagged;
    private int notSynced;
    private int outsideTestMarker;
    private int conflicts;
    private int mailchimpCreates;
    private int mailchimpUpdates;
    private int copperCreates;
    private int copperUpdates;
    private int removals;
    /** Per mapped field, the contacts whose value it changes (either side). */
    private final java.util.Map<String, Integer> fieldUpdates = new java.util.TreeMap<>();

    /** Adds one chunk's plan; returns this. */
    public PlanTotals add(SyncPlan plan) {
        PlanStats s = plan.stats();
        copperToMailchimp += s.copperToMailchimp();
        mailchimpToCopper += s.mailchimpToCopper();
        identical += s.identical();
        excluded += s.excluded();
        flagged += s.flagged();
        notSynced += s.notSynced();
        outsideTestMarker += s.outsideTestMarker();
        conflicts += s.conflicts();
        for (Action a : plan.actions()) {
            if (a instanceof Action.CreateMailchimpMember) {
                mailchimpCreates++;
            } else if (a instanceof Action.UpdateMailchimpMember u) {
                mailchimpUpdates++;
                u.fields().keySet().forEach(f -> fieldUpdates.merge(f, 1, Integer::sum));
            } else if (a instanceof Action.CreateCopperPerson) {
                copperCreates++;
            } else if (a instanceof Action.UpdateCopperPerson u) {
                copperUpdates++;
                u.fields().keySet().forEach(f -> fieldUpdates.merge(f, 1, Integer::sum));
            }
        }
        removals += SafetyBrake.removals(plan);
        return this;
    }

    /** Per mapped field (entry name), how many updates change its value, on either side. */
    public java.util.Map<String, Integer> fieldUpdates() {
        return java.util.Collections.unmodifiableMap(fieldUpdates);
    }

    /** The counts as the report shows them. */
    public PlanStats stats() {
        return new PlanStats(copperToMailchimp, mailchimpToCopper, identical, excluded, flagged, notSynced,
                outsideTestMarker, conflicts);
    }

    public int mailchimpCreates() {
        return mailchimpCreates;
    }

    public int mailchimpUpdates() {
        return mailchimpUpdates;
    }

    public int copperCreates() {
        return copperCreates;
    }

    public int copperUpdates() {
        return copperUpdates;
    }

    /** Tags taken off and names emptied, on either side (see {@link SafetyBrake}). */
    public int removals() {
        return removals;
    }
}

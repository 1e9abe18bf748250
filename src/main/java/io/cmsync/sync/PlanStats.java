package io.cmsync.sync;

import java.util.List;

/**
 * Counts of one plan, as the report's "STATISTIQUES DÉTAILLÉES" shows them.
 *
 * @param copperToMailchimp  members to create or update in Mailchimp
 * @param mailchimpToCopper  people to create or update in Copper
 * @param identical          contacts identical on both sides (nothing written)
 * @param excluded           excluded contacts (inactive tag, Mailchimp status not imported, forgotten address)
 * @param flagged            Copper people carrying the deletion tag
 * @param notSynced          contacts that cannot be synced because of their data
 * @param outsideTestMarker  contacts (both sides) ignored because TEST mode is on and their e-mail lacks the marker
 * @param conflicts          fields both sides changed since the last sync
 */
public record PlanStats(int copperToMailchimp, int mailchimpToCopper, int identical, int excluded, int flagged,
                        int notSynced, int outsideTestMarker, int conflicts) {

    /** Write actions planned (both sides). */
    public int writes() {
        return copperToMailchimp + mailchimpToCopper;
    }

    public static PlanStats of(List<Action> actions, int outsideTestMarker) {
        int c2m = 0;
        int m2c = 0;
        int identical = 0;
        int excluded = 0;
        int flagged = 0;
        int notSynced = 0;
        int conflicts = 0;
        for (Action action : actions) {
            if (action instanceof Action.CreateMailchimpMember || action instanceof Action.ReactivateMailchimpMember) {
                c2m++;
            } else if (action instanceof Action.UpdateMailchimpMember u) {
                c2m++;
                conflicts += u.conflicts().size();
            } else if (action instanceof Action.CreateCopperPerson) {
                m2c++;
            } else if (action instanceof Action.UpdateCopperPerson u) {
                m2c++;
                conflicts += u.conflicts().size();
            } else if (action instanceof Action.SkipIdentical) {
                identical++;
            } else if (action instanceof Action.Excluded) {
                excluded++;
            } else if (action instanceof Action.Flagged) {
                flagged++;
            } else if (action instanceof Action.NotSynced) {
                notSynced++;
            }
        }
        return new PlanStats(c2m, m2c, identical, excluded, flagged, notSynced, outsideTestMarker, conflicts);
    }
}

package io.cmsync.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The planner's answer for one run.
 *
 * @param actions           every decision, one or more per contact (write actions, skips, exclusions, flagged, not
 *                          synced), sorted by e-mail
 * @param targets           per normalised e-mail, the synced record to store once every write action for that e-mail
 *                          has succeeded (also present for identical contacts, so the state is filled on a first
 *                          run); iterated in e-mail order
 * @param outsideTestMarker contacts (Copper and Mailchimp) left out because TEST mode is on and their e-mail lacks
 *                          the marker; they have no action
 */
public record SyncPlan(List<Action> actions, Map<String, SyncedRecord> targets, int outsideTestMarker) {
    public SyncPlan {
        actions = List.copyOf(actions);
        TreeMap<String, SyncedRecord> sorted = new TreeMap<>();
        targets.forEach((k, v) -> sorted.put(Objects.requireNonNull(k, "target key"),
                Objects.requireNonNull(v, "target")));
        targets = Collections.unmodifiableMap(sorted);
    }

    public SyncPlan(List<Action> actions, Map<String, SyncedRecord> targets) {
        this(actions, targets, 0);
    }

    public <T extends Action> List<T> actionsOf(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Counts for the report. */
    public PlanStats stats() {
        return PlanStats.of(actions, outsideTestMarker);
    }

    /** Every conflict of the plan, in e-mail order (each conflict is carried by the action that overwrites the losing side). */
    public List<Conflict> conflicts() {
        List<Conflict> all = new ArrayList<>();
        for (Action action : actions) {
            if (action instanceof Action.UpdateMailchimpMember u) {
                all.addAll(u.conflicts());
            } else if (action instanceof Action.UpdateCopperPerson u) {
                all.addAll(u.conflicts());
            }
        }
        return List.copyOf(all);
    }

    /** The actions about one e-mail. */
    public List<Action> actionsFor(String email) {
        return actions.stream().filter(a -> a.email().equals(email)).toList();
    }

    /** Whether the plan writes nothing to either side. */
    public boolean writesNothing() {
        return stats().writes() == 0;
    }
}

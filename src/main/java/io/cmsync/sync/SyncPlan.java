package io.cmsync.sync;

import java.util.List;
import java.util.Map;

/**
 * The planner's answer for one run.
 *
 * @param actions every decision, one or more per contact (write actions, skips, exclusions, flagged, not synced)
 * @param targets per normalised e-mail, the synced record to store once every write action for that e-mail has
 *                succeeded (also present for identical contacts, so the state is filled on a first run)
 */
public record SyncPlan(List<Action> actions, Map<String, SyncedRecord> targets) {
    public SyncPlan {
        actions = List.copyOf(actions);
        targets = Map.copyOf(targets);
    }

    public <T extends Action> List<T> actionsOf(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }
}

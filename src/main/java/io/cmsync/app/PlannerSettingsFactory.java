package io.cmsync.app;

import io.cmsync.config.Settings;
import io.cmsync.sync.PlannerSettings;
import io.cmsync.sync.TagRules;

/** Settings → the planner's own settings (the sync package knows nothing of the configuration files). */
final class PlannerSettingsFactory {
    private PlannerSettingsFactory() {
    }

    static PlannerSettings from(Settings s) {
        TagRules tags = new TagRules(s.deletionTag(), s.deletionAliases(), s.inactiveTag(), s.inactiveAliases(),
                s.unsubscribedTag(), s.cleanedTag(), s.resubscribeTag());
        return new PlannerSettings(!s.productionMode(), s.testMarker(), s.importStatuses(), s.newMemberStatus(),
                s.createCopperWithoutName(), s.mirrorStatuses(), tags, s.copperScopeTag());
    }
}

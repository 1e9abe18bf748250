package io.cmsync.run;

import io.cmsync.config.Settings;
import io.cmsync.sync.Contact;

/** The TEST-mode filter of the read routes: in TEST mode only addresses containing the marker go further. */
public final class SyncScope {
    private final Settings settings;
    private final SyncRuns runs;

    public SyncScope(Settings settings, SyncRuns runs) {
        this.settings = settings;
        this.runs = runs;
    }

    public boolean inScope(Contact contact) {
        if (settings.productionMode() || contact.email().contains(settings.testMarker().toLowerCase(java.util.Locale.ROOT))) {
            return true;
        }
        runs.current().countOutsideTestMarker();
        return false;
    }
}

package io.cmsync.read;

import io.cmsync.run.SyncRun;
import java.util.Locale;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.cmsync.config.Settings;
import io.cmsync.sync.Contact;

/** The TEST-mode filter of the read routes: in TEST mode only addresses containing the marker go further. */
public final class SyncScope {
    private final boolean productionMode;
    private final String testMarker;

    public SyncScope(Settings settings) {
        this.productionMode = settings.productionMode();
        this.testMarker = settings.testMarker().toLowerCase(Locale.ROOT);
    }

    /** True when the contact is in scope; a contact left out is counted on the run. */
    public boolean inScope(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body Contact contact) {
        boolean production = productionMode;
        String marker = testMarker;
        if (run.pair() != null) {
            // the run's pair's mode and marker
            production = run.pair().settings().productionMode();
            marker = run.pair().settings().testMarker().toLowerCase(Locale.ROOT);
        }
        if (production || contact.email().contains(marker)) {
            return true;
        }
        run.countOutsideTestMarker();
        return false;
    }
}

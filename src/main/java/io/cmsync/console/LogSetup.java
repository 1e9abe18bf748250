package io.cmsync.console;

import java.time.ZoneId;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Logging starts before the settings are read (the first logger is created with the first class that logs), so
 * log4j2.xml takes the zone and the verbose switch from system properties with defaults (Europe/Paris, quiet); once
 * the settings are known, {@link #apply} sets them and reconfigures Log4j if they differ. Call it before anything
 * adds to the live configuration (the secret-masking filter is added by the API clients, after).
 */
public final class LogSetup {
    public static final String ZONE_PROPERTY = "cmsync.timezone";
    public static final String RUN_LINES_PROPERTY = "cmsync.console.run-lines";
    static final String DEFAULT_ZONE = "Europe/Paris";

    private LogSetup() {
    }

    /**
     * @param zone    the settings' zone, for log-file timestamps
     * @param verbose the run's per-contact lines on the console too
     */
    public static synchronized void apply(ZoneId zone, boolean verbose) {
        String runLines = verbose ? "INFO" : "OFF";
        boolean changed = !zone.getId().equals(System.getProperty(ZONE_PROPERTY, DEFAULT_ZONE))
                || !runLines.equals(System.getProperty(RUN_LINES_PROPERTY, "OFF"));
        System.setProperty(ZONE_PROPERTY, zone.getId());
        System.setProperty(RUN_LINES_PROPERTY, runLines);
        if (changed && LogManager.getContext(false) instanceof LoggerContext context) {
            context.reconfigure();
        }
    }
}

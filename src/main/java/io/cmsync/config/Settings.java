package io.cmsync.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * Every setting of the product, validated. Built by {@link SettingsLoader}; the keys are documented line by line in
 * {@code config/application.properties}.
 */
public record Settings(
        Path propertiesFile,
        Path envFile,
        Secrets secrets,
        // sync
        boolean productionMode,
        String testMarker,
        String cron,
        String newMemberStatus,
        Set<String> importStatuses,
        boolean createCopperWithoutName,
        boolean mirrorStatuses,
        boolean incremental,
        int incrementalOverlapSeconds,
        String fullReconciliationCron,
        // tags
        String deletionTag,
        List<String> deletionAliases,
        String inactiveTag,
        List<String> inactiveAliases,
        String unsubscribedTag,
        String cleanedTag,
        String resubscribeTag,
        // APIs
        URI copperBaseUrl,
        int copperPageSize,
        int copperRequestsPerMinute,
        int copperBulkRequestsPerSecond,
        URI mailchimpBaseUrl,
        int mailchimpPageSize,
        int mailchimpBatchSize,
        int mailchimpBatchMaxWaitSeconds,
        int httpConnectTimeoutSeconds,
        int httpResponseTimeoutSeconds,
        int httpMaxAttempts,
        // files
        Path dataDir,
        Path reportsDir,
        Path archiveDir,
        String stateJdbcUrl,
        String reportLanguage,
        ZoneId reportZone,
        int reportRetentionDays,
        // flagged contacts
        String flaggedMailchimpAction,
        // scale
        int planChunkSize,
        int reportMaxDetailedEntries,
        // --sandbox: the commands a run recommends must say it too
        boolean sandbox) {

    /** {@code flagged.mailchimp-action}: what {@code flagged archive} does to the Mailchimp member. */
    public static final String FLAGGED_ARCHIVE = "archive";
    public static final String FLAGGED_UNSUBSCRIBE = "unsubscribe";

    public String modeLabel() {
        return productionMode ? "PRODUCTION" : "TEST";
    }

    public Path lockFile() {
        return dataDir.resolve("sync.lock");
    }
}

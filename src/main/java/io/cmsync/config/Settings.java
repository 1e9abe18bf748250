package io.cmsync.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import io.cmsync.i18n.Messages;

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
        io.cmsync.state.StateDatabase stateDatabase,
        // language and zone of everything a person reads (see language() and zone())
        String reportLanguage,
        ZoneId reportZone,
        int reportRetentionDays,
        // flagged contacts
        String flaggedMailchimpAction,
        // scale
        int planChunkSize,
        int reportMaxDetailedEntries,
        // field mapping (docs/field-mapping.md): the mapping file (absent = names only) and whether missing merge
        // fields are created
        Path mappingFile,
        boolean createMissingMergeFields,
        // --sandbox: the commands a run recommends must say it too
        boolean sandbox,
        // the sync pair these settings belong to ("" = today's single pair, no pairs declared) and its Copper tag
        // filter (scope.copper-tag, "" = none)
        String pair,
        String copperScopeTag) {

    /** {@code flagged.mailchimp-action}: what {@code flagged archive} does to the Mailchimp member. */
    public static final String FLAGGED_ARCHIVE = "archive";
    public static final String FLAGGED_UNSUBSCRIBE = "unsubscribe";

    /**
     * The language of everything a person reads (help, errors, prompts, console, reports): the {@code language}
     * setting ({@code report.language} is its older name), or {@code CMSYNC_LANGUAGE}. {@link #reportLanguage()} is
     * the same as text ({@code fr}/{@code en}).
     */
    public Messages.Language language() {
        return Messages.Language.parse(reportLanguage);
    }

    /**
     * The zone of every time a person reads (console, log files, run ids, reports, {@code flagged list}): the
     * {@code timezone} setting ({@code report.timezone} is its older name), Europe/Paris by default. Same as
     * {@link #reportZone()}.
     */
    public ZoneId zone() {
        return reportZone;
    }

    /** Today's single pair (no {@code pairs} declared): every file and path as before pairs existed. */
    public boolean implicitPair() {
        return pair == null || pair.isEmpty();
    }

    /** The pair's name for labels (metrics, health, console): {@code default} for the implicit pair. */
    public String pairLabel() {
        return implicitPair() ? "default" : pair;
    }

    public String modeLabel() {
        return productionMode ? "PRODUCTION" : "TEST";
    }

    /** The lock file of runs on an H2 state (a PostgreSQL state is locked in the database, see RunLock). */
    public Path lockFile() {
        return dataDir.resolve("sync.lock");
    }

    /** {@code state.jdbc-url}, or the embedded H2 file's URL under the data folder. */
    public String stateJdbcUrl() {
        return stateDatabase.jdbcUrl();
    }
}

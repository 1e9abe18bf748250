package io.cmsync.app;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import org.apache.camel.Message;
import org.apache.camel.main.Main;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;
import org.apache.camel.util.concurrent.SynchronousExecutorService;

import io.cmsync.archive.ArchiveChannel;
import io.cmsync.config.SafetySettings;
import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.http.CamelApiTransport;
import io.cmsync.http.RateLimiter;
import io.cmsync.http.RetryingCaller;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.run.CopperReader;
import io.cmsync.run.CopperWriter;
import io.cmsync.run.MailchimpReader;
import io.cmsync.run.MailchimpWriter;
import io.cmsync.run.PlanStep;
import io.cmsync.run.ReportStep;
import io.cmsync.run.SyncRun;
import io.cmsync.run.SyncRuns;
import io.cmsync.run.SyncScope;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SafetyBrake;

/**
 * Wires the product: validated settings → beans → Camel Main with the YAML routes of {@code routes/}. The only class
 * that knows every package.
 */
public final class SyncApplication {
    private final Settings settings;
    private final Main main;
    private final SyncRuns runs;

    /**
     * @param daemon true: Quartz schedule and live route reload on; false: one run on demand ({@link #runOnce()})
     */
    public SyncApplication(Settings settings, boolean daemon, boolean dryRun) {
        this(settings, daemon, dryRun, false);
    }

    /**
     * @param confirmPlan {@code --confirm-plan}: execute the plan even over the safety brake's limits
     */
    public SyncApplication(Settings settings, boolean daemon, boolean dryRun, boolean confirmPlan) {
        this.settings = settings;
        Clock clock = Clock.systemUTC();
        this.main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + settings.propertiesFile().toAbsolutePath());
        // resolved values win over the file: base URLs may come from the environment or the sandbox
        main.addOverrideProperty("copper.base-url", settings.copperBaseUrl().toString());
        main.addOverrideProperty("mailchimp.base-url", settings.mailchimpBaseUrl().toString());
        main.addOverrideProperty("paths.reports-dir", settings.reportsDir().toString());
        main.addOverrideProperty("sync.schedule-enabled", String.valueOf(daemon));
        main.addOverrideProperty("sync.cron", settings.cron());
        main.addOverrideProperty("mailchimp.batch-size", String.valueOf(settings.mailchimpBatchSize()));
        main.addOverrideProperty("camel.component.http.connect-timeout",
                String.valueOf(Duration.ofSeconds(settings.httpConnectTimeoutSeconds()).toMillis()));
        main.addOverrideProperty("camel.component.http.response-timeout",
                String.valueOf(Duration.ofSeconds(settings.httpResponseTimeoutSeconds()).toMillis()));
        main.addOverrideProperty("camel.component.http.so-timeout",
                String.valueOf(Duration.ofSeconds(settings.httpResponseTimeoutSeconds()).toMillis()));
        if (!daemon) {
            main.addOverrideProperty("camel.main.routes-reload-enabled", "false");
        }

        runs = new SyncRuns(settings, clock, dryRun);
        var secrets = settings.secrets();
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                ("cmsync:" + secrets.mailchimpApiKey()).getBytes(StandardCharsets.UTF_8));
        // no key nor Authorization value in any log line, whatever the level (HTTP client header logs included)
        io.cmsync.logging.SecretMaskingFilter.install(java.util.List.of(secrets.copperApiKey(),
                secrets.mailchimpApiKey(), basic.substring("Basic ".length())));
        CamelApiTransport copperTransport = new CamelApiTransport(this::template, "direct:copper-api",
                (Message m) -> {
                    m.setHeader("X-PW-AccessToken", secrets.copperApiKey());
                    m.setHeader("X-PW-Application", "developer_api");
                    m.setHeader("X-PW-UserEmail", secrets.copperApiEmail());
                });
        CamelApiTransport mailchimpTransport = new CamelApiTransport(this::template, "direct:mailchimp-api",
                (Message m) -> m.setHeader("Authorization", basic));
        RetryingCaller copperCaller = new RetryingCaller(CopperClient.SIDE, copperTransport, settings.httpMaxAttempts(),
                Duration.ofMillis(500), Duration.ofSeconds(30), RateLimiter.perMinute(settings.copperRequestsPerMinute()),
                RetryingCaller.threadSleep());
        RetryingCaller mailchimpCaller = new RetryingCaller(MailchimpClient.SIDE, mailchimpTransport,
                settings.httpMaxAttempts(), Duration.ofMillis(500), Duration.ofSeconds(30), RateLimiter.unlimited(),
                RetryingCaller.threadSleep());
        // Copper's bulk endpoints add a limit of 3 requests per second
        RateLimiter bulk = new RateLimiter(3, 1000, System::currentTimeMillis, RetryingCaller.threadSleep());
        CopperClient copper = new CopperClient(copperCaller, bulk);
        MailchimpClient mailchimp = new MailchimpClient(mailchimpCaller, settings.secrets().mailchimpListId());

        main.bind("syncRuns", runs);
        main.bind("syncScope", new SyncScope(settings, runs));
        main.bind("copperReader", new CopperReader(copper, runs, settings.copperPageSize()));
        main.bind("mailchimpReader", new MailchimpReader(mailchimp, runs, settings.mailchimpPageSize()));
        var plannerSettings = PlannerSettingsFactory.from(settings);
        main.bind("planStep", new PlanStep(new Planner(plannerSettings), runs, clock)
                .safetyBrake(new SafetyBrake(SafetySettings.load(settings.propertiesFile())), confirmPlan));
        main.bind("mailchimpWriter", new MailchimpWriter(mailchimp, runs, settings.newMemberStatus()));
        main.bind("copperWriter", new CopperWriter(copper, runs, plannerSettings.tagRules()));
        main.bind("archiveChannel", new ArchiveChannel(runs, clock));
        main.bind("reports", new ReportStep(settings, runs));
        main.bind("groupedBody", new GroupedBodyAggregationStrategy());
        // Camel 4's aggregator completes batches on its own thread by default; the run must know every outcome
        // before it commits state and writes the report, so batches run in the thread that completes them.
        main.bind("inCallerThread", new SynchronousExecutorService());
    }

    private org.apache.camel.ProducerTemplate template() {
        try {
            return main.getCamelTemplate();
        } catch (Exception e) {
            throw new IllegalStateException("Camel is not started", e);
        }
    }

    public Main main() {
        return main;
    }

    public SyncRuns runs() {
        return runs;
    }

    public Settings settings() {
        return settings;
    }

    public void start() throws Exception {
        main.start();
    }

    /** One sync through the routes; returns the exit code of SPEC §5 (0, 1, or 2). */
    public int runOnce() {
        org.apache.camel.Exchange done = template().send("direct:sync-run", e -> { });
        if (!Boolean.TRUE.equals(done.getProperty("runStarted", Boolean.class))) {
            // another run holds the lock (the daemon, or a cron run): it is doing the work
            return 0;
        }
        return runs.last().map(SyncRun::exitCode).orElse(2);
    }

    /** {@code --once}: start Camel, run one sync, stop; returns the exit code. */
    public int runOnceStandalone() throws Exception {
        start();
        try {
            return runOnce();
        } finally {
            stop();
        }
    }

    public void stop() throws Exception {
        main.stop();
    }

    /** Daemon: blocks until the process is asked to stop (SIGTERM / Ctrl+C). */
    public void runDaemon() throws Exception {
        main.run();
    }
}

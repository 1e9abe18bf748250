package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.component.direct.DirectComponent;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.util.concurrent.SynchronousExecutorService;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.archive.ArchiveChannel;
import io.cmsync.config.SafetySettings;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.copper.CopperClient;
import io.cmsync.execute.CopperWriter;
import io.cmsync.execute.MailchimpWriter;
import io.cmsync.execute.NotWritten;
import io.cmsync.execute.PlanStep;
import io.cmsync.http.ApiTransport;
import io.cmsync.http.RateLimiter;
import io.cmsync.http.RetryingCaller;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.read.CopperReader;
import io.cmsync.read.Hydrator;
import io.cmsync.read.MailchimpReader;
import io.cmsync.read.SyncScope;
import io.cmsync.record.ReportStep;
import io.cmsync.record.SyncedState;
import io.cmsync.record.Watermarks;
import io.cmsync.run.SyncRun;
import io.cmsync.run.SyncRuns;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Planner;
import io.cmsync.sync.PlannerSettings;
import io.cmsync.sync.SafetyBrake;
import io.cmsync.sync.TagRules;
import io.cmsync.testsupport.JdkTransport;

/**
 * Route-level tests of the YAML routes of {@code routes/}: a Camel context with {@code routes/errors.yaml} and the
 * route files under test loaded as the product loads them, the real step beans bound under the YAML's names (as
 * {@code SyncApplication} binds them), the placeholders the routes use, and a sandbox (the local emulator of both
 * APIs) behind the API clients.
 * <p>
 * Advice-with mode: the context is not started by the support class; a test advises the routes it needs to observe
 * (mocks, replaced steps) and then calls {@link #startCamel()}.
 */
abstract class RouteTestSupport extends CamelTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The project's route files, as Camel Main reads them ({@code camel.main.routes-include-pattern}). */
    static final Path ROUTES = Path.of("routes");

    @TempDir
    Path dir;

    SandboxServer sandbox;
    Settings settings;
    /** The run lifecycle bean bound as {@code syncRuns} (not a dry run). */
    SyncRuns runs;
    CopperClient copper;
    MailchimpClient mailchimp;
    private final List<SyncRun> detached = new ArrayList<>();

    /** The route files under test (names in {@code routes/}), loaded after {@code errors.yaml}. */
    abstract List<String> routeFiles();

    /** The sandbox's data when the test starts (empty accounts by default). */
    ObjectNode sandboxData() {
        return null;
    }

    /** Settings of config/application.properties this class changes (page sizes, batch sizes...). */
    Map<String, String> settingsOverrides() {
        return Map.of();
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected void doPreSetup() throws Exception {
        sandbox = SandboxServer.start(new SandboxOptions(0, null, null, false));
        ObjectNode data = sandboxData();
        if (data != null) {
            sandbox.load(data);
        }
        sandbox.resetCalls();
        settings = loadSettings();
        runs = new SyncRuns(settings, Clock.systemUTC(), false);
        copper = new CopperClient(caller(CopperClient.SIDE, JdkTransport.copper(sandbox)), RateLimiter.unlimited());
        mailchimp = new MailchimpClient(caller(MailchimpClient.SIDE, JdkTransport.mailchimp(sandbox)),
                SandboxServer.LIST_ID);
    }

    private Settings loadSettings() {
        Map<String, String> env = new HashMap<>();
        env.put("COPPER_API_KEY", SandboxServer.COPPER_API_KEY);
        env.put("COPPER_API_EMAIL", SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", SandboxServer.MAILCHIMP_API_KEY);
        env.put("MAILCHIMP_LIST_ID", SandboxServer.LIST_ID);
        env.put(SettingsLoader.COPPER_BASE_URL_ENV, sandbox.copperBaseUrl());
        env.put(SettingsLoader.MAILCHIMP_BASE_URL_ENV, sandbox.mailchimpBaseUrl());
        Map<String, String> overrides = new HashMap<>();
        overrides.put("paths.data-dir", dir.resolve("data").toString());
        overrides.put("paths.reports-dir", dir.resolve("reports").toString());
        overrides.put("paths.archive-dir", dir.resolve("archive").toString());
        overrides.putAll(settingsOverrides());
        return new SettingsLoader(Path.of("config/application.properties"), dir.resolve(".env"), env, overrides).load();
    }

    private static RetryingCaller caller(String side, ApiTransport transport) {
        return new RetryingCaller(side, transport, 2, Duration.ofMillis(1), Duration.ofMillis(1),
                RateLimiter.unlimited(), ms -> { });
    }

    /** The planner's settings from this test's settings, as the application makes them. */
    PlannerSettings plannerSettings() {
        TagRules tags = new TagRules(settings.deletionTag(), settings.deletionAliases(), settings.inactiveTag(),
                settings.inactiveAliases(), settings.unsubscribedTag(), settings.cleanedTag(), settings.resubscribeTag());
        return new PlannerSettings(!settings.productionMode(), settings.testMarker(), settings.importStatuses(),
                settings.newMemberStatus(), settings.createCopperWithoutName(), settings.mirrorStatuses(), tags);
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        // as io.cmsync.app.SyncApplication binds them (PlannerSettingsFactory is package-private there: same mapping)
        PlannerSettings planner = plannerSettings();
        TagRules tags = planner.tagRules();
        Clock clock = Clock.systemUTC();
        SyncScope scope = new SyncScope(settings);
        registry.bind("syncRuns", runs);
        registry.bind("fieldMapping", new io.cmsync.read.FieldMappingStep(
                io.cmsync.mapping.MappingLoader.load(settings.mappingFile()), settings.mappingFile(),
                settings.createMissingMergeFields(), copper, mailchimp));
        registry.bind("copperReader", new CopperReader(copper, settings.copperPageSize()));
        registry.bind("mailchimpReader", new MailchimpReader(mailchimp, settings.mailchimpPageSize()));
        registry.bind("syncScope", scope);
        registry.bind("hydrator", new Hydrator(copper, scope));
        registry.bind("planStep", new PlanStep(new Planner(planner), clock,
                new SafetyBrake(SafetySettings.load(settings.propertiesFile())), false, settings.planChunkSize()));
        registry.bind("notWritten", new NotWritten());
        registry.bind("mailchimpWriter", new MailchimpWriter(mailchimp, settings.newMemberStatus()));
        registry.bind("copperWriter", new CopperWriter(copper, tags));
        registry.bind("archiveChannel", new ArchiveChannel(clock));
        registry.bind("syncedState", new SyncedState());
        registry.bind("watermarks", new Watermarks(settings, copper, mailchimp));
        registry.bind("reports", new ReportStep(settings));
        registry.bind("groupedBody", new GroupedBodyAggregationStrategy());
        registry.bind("inCallerThread", new SynchronousExecutorService());
    }

    @Override
    protected void doPostSetup() throws Exception {
        Properties p = new Properties();
        p.setProperty("paths.reports-dir", settings.reportsDir().toString());
        p.setProperty("mailchimp.batch-size", String.valueOf(settings.mailchimpBatchSize()));
        p.setProperty("sync.schedule-enabled", "false");
        p.setProperty("sync.cron", settings.cron());
        context.getPropertiesComponent().setOverrideProperties(p);
        // config/application.properties: camel.component.direct.block=false (a missing route fails at once)
        context.getComponent("direct", DirectComponent.class).setBlock(false);
        List<String> files = new ArrayList<>();
        files.add("errors.yaml");
        files.addAll(routeFiles());
        List<Resource> resources = new ArrayList<>();
        for (String file : files) {
            resources.add(ResourceHelper.resolveResource(context, "file:" + ROUTES.resolve(file)));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(resources.toArray(Resource[]::new));
    }

    /** Starts Camel once the test has advised the routes. */
    void startCamel() {
        context.start();
    }

    @Override
    protected void doPostTearDown() throws Exception {
        for (SyncRun run : detached) {
            runs.end(run);
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** A run begun outside any route (as a step receives it from sync-run); ended after the test. */
    SyncRun beginRun() {
        SyncRun run = runs.beginDetached().orElseThrow(() -> new AssertionError("lock held"));
        detached.add(run);
        return run;
    }

    /** A run of {@code --dry-run}: writes nothing. */
    SyncRun beginDryRun() {
        SyncRuns dry = new SyncRuns(settings, Clock.systemUTC(), true);
        SyncRun run = dry.beginDetached().orElseThrow(() -> new AssertionError("lock held"));
        detached.add(run);
        return run;
    }

    /** Sends {@code body} to {@code uri} with the run on the exchange, as sync-run's steps receive it. */
    Exchange send(String uri, SyncRun run, Object body) {
        return template.send(uri, e -> {
            e.setProperty(SyncRun.PROPERTY, run);
            e.getIn().setBody(body);
        });
    }

    /** Same, and the exchange must come back without an exception. */
    Exchange sendOk(String uri, SyncRun run, Object body) {
        Exchange done = send(uri, run, body);
        assertThat(done.getException()).as("exception of " + uri).isNull();
        return done;
    }

    static Contact copperPerson(String email, String first, String last, String... tags) {
        return new Contact(email, email, first, last, List.of(tags), null, "4242", null);
    }

    static Contact member(String email, String status, String first, String last, String... tags) {
        return new Contact(email, email, first, last, List.of(tags), status, MailchimpMapping.subscriberHash(email), null);
    }

    /** Sandbox data (the JSON of docs/sandbox.md) for the read tests. */
    static final class SandboxData {
        /** A fixed past time: people and members one second apart, as real data is. */
        private static final long T0 = 1_735_689_600L;
        private final ArrayNode people = JSON.createArrayNode();
        private final ArrayNode members = JSON.createArrayNode();
        private long nextId = 5000;

        SandboxData person(String email, String first, String last) {
            ObjectNode p = people.addObject();
            p.put("id", nextId++);
            p.put("name", (first + " " + last).strip());
            p.put("first_name", first);
            p.put("last_name", last);
            p.putArray("emails").addObject().put("email", email).put("category", "work");
            p.putArray("tags");
            p.put("date_created", T0 + (nextId - 5000));
            p.put("date_modified", T0 + (nextId - 5000));
            return this;
        }

        SandboxData member(String email, String status, String first, String last) {
            ObjectNode m = members.addObject();
            m.put("id", MailchimpMapping.subscriberHash(email));
            m.put("email_address", email);
            m.put("status", status);
            m.putObject("merge_fields").put("FNAME", first).put("LNAME", last);
            m.putArray("tags");
            m.put("last_changed", java.time.Instant.ofEpochSecond(T0 + members.size()).toString().replace("Z", "+00:00"));
            return this;
        }

        ObjectNode build() {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode c = root.putObject("copper");
            c.put("next_id", nextId);
            c.set("people", people);
            ObjectNode mc = root.putObject("mailchimp");
            ObjectNode list = mc.putArray("lists").addObject();
            list.put("id", SandboxServer.LIST_ID);
            list.put("name", "Audience de test");
            list.put("subscribe_url_long", "https://sandbox.us1.list-manage.com/subscribe?u=0123456789abcdef01234567&id="
                    + SandboxServer.LIST_ID);
            list.set("members", members);
            mc.putArray("forgotten");
            return root;
        }
    }
}

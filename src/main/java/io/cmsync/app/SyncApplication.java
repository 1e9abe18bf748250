package io.cmsync.app;

import io.cmsync.api.ApiClients;
import java.nio.file.Path;
import java.time.Clock;

import org.apache.camel.main.Main;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;
import org.apache.camel.util.concurrent.SynchronousExecutorService;

import io.cmsync.archive.ArchiveChannel;
import io.cmsync.config.SafetySettings;
import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.read.CopperReader;
import io.cmsync.read.Hydrator;
import io.cmsync.record.Watermarks;
import io.cmsync.execute.CopperWriter;
import io.cmsync.read.MailchimpReader;
import io.cmsync.execute.MailchimpWriter;
import io.cmsync.execute.NotWritten;
import io.cmsync.record.SyncedState;
import io.cmsync.execute.PlanStep;
import io.cmsync.record.ReportStep;
import io.cmsync.run.SyncRun;
import io.cmsync.run.SyncRuns;
import io.cmsync.read.SyncScope;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SafetyBrake;

/**
 * Wires the product: validated settings → beans → Camel Main with the YAML routes of {@code routes/}. The only class
 * that knows every package.
 */
public final class SyncApplication {
    private final Settings settings;
    /** Every pair's settings, in the declared order (one: today's single pair, or one declared pair). */
    private final java.util.List<Settings> pairSettings;
    private final Main main;
    private final SyncRuns runs;
    private final io.cmsync.health.ObservabilitySetup observability;
    private final io.cmsync.routes.SafeRouteReloadStrategy routeReload;
    private final io.cmsync.console.ConsoleLines console;
    /** The daemon's node (Quartz instance, what it runs); null for a one-shot run. */
    private final io.cmsync.health.ClusterNode node;

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
        this(java.util.List.of(settings), daemon, dryRun, confirmPlan);
    }

    /**
     * Several sync pairs in one deployment ({@link io.cmsync.config.Pairs}): one set of beans and routes serves them
     * all, each run carrying its pair; the deployment-wide settings (language, zone, Camel) are the first pair's.
     */
    public SyncApplication(java.util.List<Settings> pairs, boolean daemon, boolean dryRun, boolean confirmPlan) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no sync pair");
        }
        this.pairSettings = java.util.List.copyOf(pairs);
        Settings settings = pairs.get(0);
        this.settings = settings;
        Clock clock = Clock.systemUTC();
        this.main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + settings.propertiesFile().toAbsolutePath());
        // resolved values win over the file: base URLs may come from the environment or the sandbox
        main.addOverrideProperty("copper.base-url", settings.copperBaseUrl().toString());
        main.addOverrideProperty("mailchimp.base-url", settings.mailchimpBaseUrl().toString());
        Path reportsRoot = reportsRoot(pairSettings);
        main.addOverrideProperty("paths.reports-dir", reportsRoot.toString());
        main.addOverrideProperty("sync.schedule-enabled", String.valueOf(daemon));
        main.addOverrideProperty("sync.cron", settings.cron());
        main.addOverrideProperty("mailchimp.batch-size", String.valueOf(settings.mailchimpBatchSize()));
        for (String scheme : ApiClients.HTTP_SCHEMES) {
            main.bind(scheme, ApiClients.httpComponent(settings)); // Camel takes a component from the registry first
        }
        if (!daemon) {
            // a one-shot run starts only what it uses: no route watcher, no JMX, and neither the Quartz schedule nor
            // the report-retention consumer (their routes are not even created, so Quartz never starts)
            main.addOverrideProperty("camel.main.routes-reload-enabled", "false");
            main.addOverrideProperty("camel.main.jmx-enabled", "false");
            main.addOverrideProperty("camel.main.route-filter-exclude-pattern",
                    "sync-schedule,report-retention,report-retention-cluster");
        } else {
            // each pair's schedule: the sync-schedule template of routes/sync.yaml, once the route files are read
            main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
                @Override
                public void afterConfigure(org.apache.camel.main.BaseMainSupport configured) {
                    for (Settings pair : pairSettings) {
                        addSchedule(configured.getCamelContext(), pair);
                    }
                }
            });
        }
        // live reload checks an edited route file before it replaces anything (docs/integration-guide.md)
        routeReload = io.cmsync.routes.SafeRouteReloadStrategy.install(main);

        runs = new SyncRuns(settings, clock, dryRun);
        console = io.cmsync.console.ConsoleLines.forProcess(io.cmsync.i18n.Messages.of(settings.language()),
                settings.zone(), settings.reportsDir(), settings.testMarker(), daemon,
                io.cmsync.report.Commands.of(settings.sandbox()));
        runs.console(console);
        // health checks and metrics (docs/operations-health.md); the HTTP server is the daemon's only
        observability = io.cmsync.health.ObservabilitySetup.install(main, pairSettings, runs, this::template, daemon,
                clock);
        // the daemon's schedule: Quartz in memory (H2 state), or Quartz's clustered job store (PostgreSQL state)
        node = daemon ? SchedulerCluster.install(main, settings, runs, clock, pairSettings.size()) : null;
        if (node != null) {
            if (!(pairSettings.size() == 1 && settings.implicitPair())) {
                node.pairs(pairSettings.stream().map(Settings::pairLabel).toList());
            }
            observability.node(main, node, clock);
            // a recovered run says so on the console, naming its pair when pairs are declared
            runs.onBegin((run, exchange) -> node.running(run.runId()).filter(io.cmsync.health.ClusterNode.Running::recovering)
                    .ifPresent(r -> {
                        String at = r.scheduledFire() == null ? "?" : java.time.format.DateTimeFormatter
                                .ofPattern("HH:mm:ss").format(r.scheduledFire().atZone(settings.zone()));
                        if (run.pair() == null || run.pair().implicit()) {
                            console.say("console.cluster.recovered", at);
                        } else {
                            console.say("console.cluster.recovered-pair", at, run.pair().name());
                        }
                    }));
        }
        // each pair's collaborators; pairs on the same accounts share their limits (Copper's rolling minute and bulk
        // budget per Copper user, Mailchimp's 10 connections per API key)
        ApiClients.SharedLimits limits = new ApiClients.SharedLimits();
        java.util.List<io.cmsync.run.Pair> pairList = new java.util.ArrayList<>();
        // every pair's audience tags (« Mailchimp: désabonné (en) »…): product tags for all pairs, never pushed
        java.util.Set<String> audienceTags = new java.util.LinkedHashSet<>();
        for (Settings pair : pairSettings) {
            audienceTags.addAll(java.util.List.of(pair.unsubscribedTag(), pair.cleanedTag(), pair.resubscribeTag()));
        }
        for (Settings pair : pairSettings) {
            ApiClients pairClients = ApiClients.create(pair, this::template,
                    io.cmsync.http.CallListener.both(observability.calls(), console.retries()), pair.httpMaxAttempts(),
                    limits);
            // the mapping file is read here, before any API call: a mistake in it stops the process (exit 2)
            var plannerSettings = PlannerSettingsFactory.from(pair);
            if (pairSettings.size() > 1) {
                plannerSettings = plannerSettings.withTagRules(plannerSettings.tagRules().withProductTags(audienceTags));
            }
            String copperUser = ApiClients.SharedLimits.copperUser(pair.secrets().copperApiEmail());
            boolean copperShared = pairSettings.stream().filter(other -> other != pair).anyMatch(other ->
                    ApiClients.SharedLimits.copperUser(other.secrets().copperApiEmail()).equals(copperUser));
            pairList.add(new io.cmsync.run.Pair(pair, pairClients, new Planner(plannerSettings),
                    new SafetyBrake(SafetySettings.load(pair.propertiesFile(), pair.pair()),
                            io.cmsync.report.ReportLanguage.parse(pair.reportLanguage()).messages()),
                    io.cmsync.mapping.MappingLoader.load(pair.mappingFile()), copperShared));
        }
        runs.pairs(pairList);
        ApiClients clients = pairList.get(0).clients();
        CopperClient copper = clients.copper();
        MailchimpClient mailchimp = clients.mailchimp();

        // the beans' own collaborators are the first pair's; a run takes its pair's from the run (SyncRun.pair())
        main.bind("syncRuns", runs);
        var fieldMapping = pairList.get(0).mapping();
        main.bind("fieldMapping", new io.cmsync.read.FieldMappingStep(fieldMapping, settings.mappingFile(),
                settings.createMissingMergeFields(), copper, mailchimp));
        main.bind("copperReader", new CopperReader(copper, settings.copperPageSize()));
        main.bind("mailchimpReader", new MailchimpReader(mailchimp, settings.mailchimpPageSize()));
        var plannerSettings = PlannerSettingsFactory.from(settings);
        SyncScope scope = new SyncScope(settings);
        main.bind("syncScope", scope);
        main.bind("hydrator", new Hydrator(copper, scope));
        main.bind("planStep", new PlanStep(pairList.get(0).planner(), clock, pairList.get(0).brake(),
                confirmPlan, settings.planChunkSize(), settings.reportZone(),
                io.cmsync.report.Commands.of(settings.sandbox())));
        main.bind("notWritten", new NotWritten());
        main.bind("mailchimpWriter", new MailchimpWriter(mailchimp, settings.newMemberStatus()));
        main.bind("copperWriter", new CopperWriter(copper, plannerSettings.tagRules()));
        main.bind("archiveChannel", new ArchiveChannel(clock));
        main.bind("syncedState", new SyncedState());
        main.bind("watermarks", new Watermarks(settings, copper, mailchimp));
        main.bind("reports", new ReportStep(settings, reportsRoot));
        // one retention per pair (its reports folder, its retention days); the report-retention route's file consumer
        // walks down from the pairs' common folder to each pair's, and deletes exactly the files this filter accepts
        java.util.Map<Path, io.cmsync.report.ReportRetention> retentions = new java.util.LinkedHashMap<>();
        for (Settings pair : pairSettings) {
            Path dir = pair.reportsDir().toAbsolutePath().normalize();
            retentions.putIfAbsent(dir, new io.cmsync.report.ReportRetention(pair.reportsDir(),
                    pair.reportRetentionDays(), pair.reportZone(), clock));
        }
        main.bind("expiredReports", (org.apache.camel.component.file.GenericFileFilter<java.io.File>) f -> {
            Path path = f.getFile().toPath().toAbsolutePath().normalize();
            if (f.isDirectory()) {
                return retentions.keySet().stream().anyMatch(dir -> dir.startsWith(path));
            }
            var retention = retentions.get(path.getParent());
            try {
                return retention != null && retention.expired(f.getFile().toPath());
            } catch (java.io.IOException e) {
                return false;
            }
        });
        main.bind("groupedBody", new GroupedBodyAggregationStrategy());
        // Camel 4's aggregator completes batches on its own thread by default; the run must know every outcome
        // before it commits state and writes the report, so batches run in the thread that completes them.
        main.bind("inCallerThread", new SynchronousExecutorService());
    }

    /**
     * The folder the write-reports route writes into: the single pair's reports folder, or the one folder that holds
     * every declared pair's (reports/ for reports/fr and reports/en); each run names its files relative to it.
     */
    static Path reportsRoot(java.util.List<Settings> pairs) {
        if (pairs.size() == 1 && pairs.get(0).implicitPair()) {
            return pairs.get(0).reportsDir();
        }
        Path common = null;
        for (Settings pair : pairs) {
            Path parent = pair.reportsDir().toAbsolutePath().normalize().getParent();
            common = common == null ? parent : commonAncestor(common, parent);
        }
        return common == null ? pairs.get(0).reportsDir() : common;
    }

    private static Path commonAncestor(Path a, Path b) {
        Path p = a;
        while (p != null && !b.startsWith(p)) {
            p = p.getParent();
        }
        return p == null ? a.getRoot() : p;
    }

    /** The route id of a pair's schedule: sync-schedule for today's single pair, sync-schedule-NAME otherwise. */
    public static String scheduleRouteId(Settings pair) {
        return pair.implicitPair() ? "sync-schedule" : "sync-schedule-" + pair.pair();
    }

    /** A pair's schedule from the sync-schedule route template (quartz://copper-mailchimp-sync/sync-NAME). */
    static void addSchedule(org.apache.camel.CamelContext context, Settings pair) {
        try {
            org.apache.camel.builder.TemplatedRouteBuilder.builder(context, "sync-schedule")
                    .routeId(scheduleRouteId(pair))
                    .parameter("pair", pair.pair())
                    .parameter("trigger", pair.implicitPair() ? "sync" : "sync-" + pair.pair())
                    .parameter("cron", pair.cron())
                    .add();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot add the schedule of pair " + pair.pairLabel() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every pair's settings, in the declared order. */
    public java.util.List<Settings> pairSettings() {
        return pairSettings;
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

    /** Live reload of routes/ (daemon): how many edits it refused. */
    public io.cmsync.routes.SafeRouteReloadStrategy routeReload() {
        return routeReload;
    }

    /** The product's meters (API calls, 429 answers, runs), as the metrics page shows them. */
    public io.cmsync.health.SyncMetrics metrics() {
        return observability.metrics();
    }

    /** The runs that ended, as health and metrics know them. */
    public io.cmsync.health.LastRuns lastRuns() {
        return observability.lastRuns();
    }

    public Settings settings() {
        return settings;
    }

    /** What a person reads on the console. */
    public io.cmsync.console.ConsoleLines console() {
        return console;
    }

    public void start() throws Exception {
        main.start();
    }

    /** One sync through the routes; returns the exit code of SPEC §5 (0, 1, or 2). */
    public int runOnce() {
        return runPair(null);
    }

    /** One sync of the pair named {@code pair} (null: the single pair); returns its exit code. */
    public int runPair(String pair) {
        org.apache.camel.Exchange done = template().send("direct:sync-run", e -> {
            if (pair != null) {
                e.setProperty(io.cmsync.run.Pair.PROPERTY, pair);
            }
        });
        SyncRun run = done.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run == null) {
            // another run holds the lock (the daemon, or a cron run): it is doing the work
            return SyncRun.SKIPPED;
        }
        return run.exitCode();
    }

    /** {@code --once}: start Camel, run one sync, stop; returns the exit code. */
    public int runOnceStandalone() throws Exception {
        return runOnceStandalone(null);
    }

    /**
     * {@code --once} with pairs: every pair in turn (or only {@code onlyPair}), a console block per pair and a final
     * line per pair; the exit code is the highest of the pairs' codes.
     */
    public int runOnceStandalone(String onlyPair) throws Exception {
        start();
        try {
            if (pairSettings.size() == 1 && pairSettings.get(0).implicitPair()) {
                return runOnce();
            }
            java.util.Map<String, Integer> codes = new java.util.LinkedHashMap<>();
            for (Settings pair : pairSettings) {
                if (onlyPair != null && !onlyPair.equals(pair.pair())) {
                    continue;
                }
                console.say("console.pair.start", pair.pair(), pair.secrets().mailchimpListId(), pair.modeLabel());
                codes.put(pair.pair(), runPair(pair.pair()));
            }
            int worst = 0;
            for (var e : codes.entrySet()) {
                console.say("console.pair.end", e.getKey(), e.getValue(),
                        pairSettingsOf(e.getKey()).reportsDir().toString());
                worst = Math.max(worst, e.getValue());
            }
            return worst;
        } finally {
            stop();
        }
    }

    private Settings pairSettingsOf(String name) {
        return pairSettings.stream().filter(s -> s.pair().equals(name)).findFirst().orElse(settings);
    }

    public void stop() throws Exception {
        main.stop();
    }

    /** Daemon: blocks until the process is asked to stop (SIGTERM / Ctrl+C). */
    public void runDaemon() throws Exception {
        String pages = checkHealthPortFree();
        main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
            @Override
            public void afterStart(org.apache.camel.main.BaseMainSupport started) {
                // one line once the schedule and the health page are really up; Camel's own summary says
                // http://0.0.0.0 whatever the host (silenced in log4j2.xml): this line gives the true address
                for (String line : daemonStartLines(pages)) {
                    console.line(line);
                }
                if (node != null) {
                    io.cmsync.health.NodeHealthCheck.registerInfo(observability.metrics().registry(), node);
                    if (node.clustered()) {
                        console.say("console.daemon.cluster", node.instanceId(), settings.stateDatabase().displayUrl(),
                                node.nodes().stream().filter(n -> n.alive(System.currentTimeMillis()))
                                        .map(io.cmsync.state.QuartzJobStore.Node::instanceId)
                                        .collect(java.util.stream.Collectors.joining(", ")),
                                2 * node.checkinIntervalMs() / 1000 + 8);
                    }
                }
            }
        });
        main.run();
    }

    /** What the daemon's console says once it has started ({@code pages}: where health is, or null). */
    public java.util.List<String> daemonStartLines(String pages) {
        String health = pages == null ? "" : pages;
        if (pairSettings.size() == 1 && pairSettings.get(0).implicitPair()) {
            return java.util.List.of(console.text("console.daemon.start", settings.modeLabel(), settings.cron(),
                    health));
        }
        // several pairs: each its own mode and schedule, one line each under the start line
        java.util.List<String> lines = new java.util.ArrayList<>();
        lines.add(console.text("console.daemon.start.pairs", pairSettings.size(), health));
        for (Settings pair : pairSettings) {
            lines.add(console.text("console.daemon.start.pair", pair.pair(), pair.modeLabel(), pair.cron()));
        }
        return lines;
    }

    /**
     * The daemon serves health and metrics on camel.management.host:port; Camel only logs a WARN when that port is
     * taken (another daemon, another service) and would run on without them: stop before starting instead.
     *
     * @return the line that gives the pages' addresses, null when there are none or their port is picked at start
     */
    String checkHealthPortFree() {
        java.util.Properties file = io.cmsync.config.SettingsLoader.readProperties(settings.propertiesFile());
        String host = setting(file, "camel.management.host", "0.0.0.0");
        String port = setting(file, "camel.management.port", "8080");
        if (!Boolean.parseBoolean(setting(file, "camel.management.enabled", "false"))) {
            return null;
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new io.cmsync.config.ConfigException("camel.management.port", settings.propertiesFile().toString(),
                    "port-number", port);
        }
        if (number == 0) {
            return null;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, number));
        } catch (java.io.IOException e) {
            throw new io.cmsync.config.ConfigException("camel.management.port", settings.propertiesFile().toString(),
                    "port-busy", host + ":" + number);
        }
        return healthPages(io.cmsync.i18n.Messages.of(settings.language()), host, number,
                setting(file, "camel.management.health-path", "/observe/health"),
                setting(file, "camel.metrics.path", "/observe/metrics"));
    }

    /** Where a person reaches the health and metrics pages, for the address the server really listens on. */
    static String healthPages(io.cmsync.i18n.Messages messages, String host, int port, String healthPath,
                              String metricsPath) {
        boolean everywhere = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        String base = "http://" + (everywhere ? "localhost" : host.contains(":") && !host.startsWith("[")
                ? "[" + host + "]" : host) + ":" + port;
        return messages.get("console.daemon.health", base + healthPath, base + metricsPath)
                + (everywhere ? messages.get("console.daemon.health-everywhere") : "");
    }

    /** A setting as Camel Main resolves it: system property, then environment, then the properties file. */
    private static String setting(java.util.Properties file, String key, String fallback) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        if (value == null) {
            value = file.getProperty(key, fallback);
        }
        return value.strip();
    }
}

package io.cmsync.health;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.cmsync.api.ApiClients;
import io.cmsync.config.Secrets;
import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.http.CallListener;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.run.SyncRuns;

/**
 * Health checks and metrics, wired into a Camel Main before it starts (see docs/operations-health.md):
 * <ul>
 * <li>a Prometheus meter registry bound as {@code metricsRegistry}, which camel-micrometer-prometheus adopts (Camel's
 * own route and exchange meters land in it next to ours) and scrapes at {@code camel.metrics.path};</li>
 * <li>{@link SyncMetrics} fed by every API call ({@link #calls()}) and every run end;</li>
 * <li>daemon only: the {@code copper-api}, {@code mailchimp-api} and {@code last-sync} checks, bound in the registry
 * where Camel's health check registry finds them, next to its context, routes and consumers checks.</li>
 * </ul>
 * {@code --once} turns the embedded HTTP server ({@code camel.management.enabled}) and Camel's metrics off: a one-shot
 * run serves no page and must not take the daemon's port.
 */
public final class ObservabilitySetup {
    /** Health check group of the product's checks. */
    public static final String GROUP = "cmsync";
    /** Keys of config/application.properties read here (Camel's own keys configure the server). */
    public static final String API_CACHE_SECONDS = "health.api-cache-seconds";
    public static final String API_TIMEOUT_SECONDS = "health.api-timeout-seconds";
    public static final String LAST_SYNC_MAX_PERIODS = "health.last-sync-max-periods";

    private final LastRuns lastRuns;
    private final SyncMetrics metrics;
    private final LastSyncHealthCheck lastSync;

    private ObservabilitySetup(LastRuns lastRuns, SyncMetrics metrics, LastSyncHealthCheck lastSync) {
        this.lastRuns = lastRuns;
        this.metrics = metrics;
        this.lastSync = lastSync;
    }

    /**
     * @param template the Camel template the health probes send through (the same routes as the sync)
     * @param daemon   false ({@code --once}): no HTTP server, no health checks
     */
    public static ObservabilitySetup install(Main main, Settings settings, SyncRuns runs,
                                             Supplier<ProducerTemplate> template, boolean daemon, Clock clock) {
        return install(main, java.util.List.of(settings), runs, template, daemon, clock);
    }

    /**
     * Same, for every sync pair of the deployment: the API checks probe each distinct Copper account and each pair's
     * Mailchimp audience once, naming the pairs (today's single pair: the checks as before pairs).
     */
    public static ObservabilitySetup install(Main main, java.util.List<Settings> pairs, SyncRuns runs,
                                             Supplier<ProducerTemplate> template, boolean daemon, Clock clock) {
        Settings settings = pairs.get(0);
        Secrets secrets = settings.secrets();
        LastRuns lastRuns = new LastRuns(clock, secrets);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SyncMetrics metrics = new SyncMetrics(registry, lastRuns, clock);
        runs.onEnd(lastRuns::ended);
        runs.onEnd(metrics::runEnded);
        main.bind("metricsRegistry", registry);
        if (!daemon) {
            main.addOverrideProperty("camel.management.enabled", "false");
            main.addOverrideProperty("camel.metrics.enabled", "false");
            return new ObservabilitySetup(lastRuns, metrics, null);
        }

        Supplier<CamelContext> camel = main::getCamelContext;
        // read when first needed: the properties (file and overrides) are Camel's once it has started
        Supplier<Duration> cache = () -> Duration.ofSeconds(intProperty(camel, API_CACHE_SECONDS, 60));
        Supplier<Duration> timeout = () -> Duration.ofSeconds(intProperty(camel, API_TIMEOUT_SECONDS, 10));
        if (pairs.size() == 1 && settings.implicitPair()) {
            // the probes make one attempt each: a health check reports, it does not retry
            ApiClients probes = ApiClients.create(settings, template, metrics, 1);
            main.bind("copperApiHealthCheck", new ApiHealthCheck("copper-api", CopperClient.SIDE,
                    Secrets.COPPER_API_KEY + " / " + Secrets.COPPER_API_EMAIL, () -> probes.copper().account(),
                    cache, timeout, clock, secrets));
            main.bind("mailchimpApiHealthCheck", new ApiHealthCheck("mailchimp-api", MailchimpClient.SIDE,
                    Secrets.MAILCHIMP_API_KEY + " / " + Secrets.MAILCHIMP_DC, () -> probes.mailchimp().ping(),
                    cache, timeout, clock, secrets));
        } else {
            main.bind("copperApiHealthCheck", new ApiHealthCheck("copper-api", CopperClient.SIDE,
                    targets(pairs, true, template, metrics), cache, timeout, clock));
            main.bind("mailchimpApiHealthCheck", new ApiHealthCheck("mailchimp-api", MailchimpClient.SIDE,
                    targets(pairs, false, template, metrics), cache, timeout, clock));
        }
        LastSyncHealthCheck lastSync = new LastSyncHealthCheck(lastRuns, settings.cron(), clock,
                () -> intProperty(camel, LAST_SYNC_MAX_PERIODS, 3));
        main.bind("lastSyncHealthCheck", lastSync);
        return new ObservabilitySetup(lastRuns, metrics, lastSync);
    }

    /**
     * The declared pairs grouped by what a probe checks: each distinct Copper account (base URL, key, e-mail), or
     * each pair's Mailchimp audience (base URL, key, data center, audience id, probed by reading the audience).
     */
    private static java.util.List<ApiHealthCheck.Target> targets(java.util.List<Settings> pairs, boolean copper,
                                                                 Supplier<ProducerTemplate> template,
                                                                 CallListener metrics) {
        java.util.Map<String, java.util.List<Settings>> groups = new java.util.LinkedHashMap<>();
        for (Settings pair : pairs) {
            Secrets s = pair.secrets();
            String account = copper ? pair.copperBaseUrl() + " " + s.copperApiKey() + " " + s.copperApiEmail()
                    : pair.mailchimpBaseUrl() + " " + s.mailchimpApiKey() + " " + s.mailchimpDc() + " "
                    + s.mailchimpListId();
            groups.computeIfAbsent(account, k -> new java.util.ArrayList<>()).add(pair);
        }
        java.util.List<ApiHealthCheck.Target> targets = new java.util.ArrayList<>();
        for (java.util.List<Settings> group : groups.values()) {
            Settings first = group.get(0);
            ApiClients probes = ApiClients.create(first, template, metrics, 1);
            java.util.List<String> names = group.stream().map(Settings::pair).toList();
            String prefixes = String.join(", ", names.stream().map(io.cmsync.config.Pairs::envPrefix).toList());
            if (copper) {
                targets.add(new ApiHealthCheck.Target(names, null, null, Secrets.COPPER_API_KEY + " / "
                        + Secrets.COPPER_API_EMAIL + " (or with " + prefixes + ")", () -> probes.copper().account(),
                        first.secrets()));
            } else {
                String prefix = io.cmsync.config.Pairs.envPrefix(first.pair());
                targets.add(new ApiHealthCheck.Target(names, "audience " + first.secrets().mailchimpListId(),
                        prefix + Secrets.MAILCHIMP_LIST_ID, Secrets.MAILCHIMP_API_KEY + " / "
                                + Secrets.MAILCHIMP_DC + " (or with " + prefix + ")",
                        () -> probes.mailchimp().list(), first.secrets()));
            }
        }
        return targets;
    }

    /** Tells the metrics about every API call: pass to {@link ApiClients#create(Settings, Supplier, CallListener)}. */
    public CallListener calls() {
        return metrics;
    }

    public SyncMetrics metrics() {
        return metrics;
    }

    /**
     * Daemon: which node this is and what it runs ({@code node} health check, {@code cmsync_node_*} meters); in a
     * cluster, {@code last-sync} also counts the runs other nodes fired.
     */
    public void node(Main main, ClusterNode node, Clock clock) {
        if (lastSync == null) {
            return; // --once: no health checks
        }
        main.bind("nodeHealthCheck", new NodeHealthCheck(node, clock));
        NodeHealthCheck.registerMeters(metrics.registry(), node);
        lastSync.clusterLastFire(node::clusterLastFire);
        lastSync.clusterLastFires(node::clusterLastFires);
    }

    public LastRuns lastRuns() {
        return lastRuns;
    }

    static int intProperty(Supplier<CamelContext> camel, String key, int defaultValue) {
        CamelContext ctx = camel.get();
        if (ctx == null) {
            return defaultValue;
        }
        return ctx.getPropertiesComponent().resolveProperty(key)
                .map(String::strip).filter(v -> !v.isEmpty()).map(Integer::parseInt).orElse(defaultValue);
    }
}

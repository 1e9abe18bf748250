package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.app.SyncApplication;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.sandbox.SandboxServer;

/**
 * The daemon's health and metrics pages over HTTP, against the sandbox: UP with our checks listed, the API checks DOWN
 * when the credentials are refused or the API is gone, last-sync DOWN when no run succeeded within three schedule
 * periods or the last run failed, our meters after a run, and never a key on either page.
 */
class HealthEndpointsTest {
    private static final String HEALTH = "/observe/health";
    private static final String METRICS = "/observe/metrics";
    private static final String NEVER = "0 0 3 1 1 ? 2099";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    SyncHarness h;
    SyncApplication app;
    HealthProbe probe;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (h != null) {
            h.close();
        }
    }

    private void startDaemon(Settings settings, Map<String, String> overrides) throws Exception {
        int port = HealthProbe.freePort();
        app = new SyncApplication(settings, true, false);
        app.main().addOverrideProperty("camel.management.port", String.valueOf(port));
        overrides.forEach(app.main()::addOverrideProperty);
        app.start();
        probe = new HealthProbe(port);
    }

    private JsonNode health() throws Exception {
        HealthProbe.Page page = probe.get(HEALTH);
        assertNoSecret(page.body());
        JsonNode json = JSON.readTree(page.body());
        assertThat(page.status()).as("HTTP status follows the overall state: %s", page.body())
                .isEqualTo("UP".equals(json.path("status").asText()) ? 200 : 503);
        return json;
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    private String metrics() throws Exception {
        HealthProbe.Page page = probe.get(METRICS);
        assertThat(page.status()).isEqualTo(200);
        assertNoSecret(page.body());
        return page.body();
    }

    private static void assertNoSecret(String page) {
        assertThat(page).doesNotContain(SandboxServer.COPPER_API_KEY, SandboxServer.MAILCHIMP_API_KEY,
                "wrong-copper-key", "wrong0mailchimp0key");
    }

    @Test
    void healthIsUpWithOurChecksAndMetricsCountARun() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        h.properties.put("sync.cron", NEVER);
        startDaemon(h.settings(), Map.of());

        JsonNode health = health();
        assertThat(health.path("status").asText()).isEqualTo("UP");
        for (String name : new String[] {"context", "copper-api", "mailchimp-api", "last-sync", "route:sync-run"}) {
            assertThat(check(health, name).path("status").asText()).as(name).isEqualTo("UP");
        }
        assertThat(check(health, "copper-api").path("message").asText()).contains("valid credentials");
        JsonNode live = JSON.readTree(probe.get(HEALTH + "/live").body());
        assertThat(live.toString()).doesNotContain("copper-api", "last-sync"); // readiness only

        assertThat(app.runOnce()).isZero();
        assertThat(check(health(), "last-sync").path("message").asText()).contains("success");

        String metrics = metrics();
        assertThat(metrics)
                .contains("cmsync_runs_total{outcome=\"success\"} 1.0")
                .contains("cmsync_run_duration_seconds_count{outcome=\"success\"} 1")
                .contains("cmsync_contacts_written_total{direction=\"copper_to_mailchimp\",operation=\"create\"} 1.0")
                .containsPattern("cmsync_api_calls_total\\{endpoint=\"POST people/search\",side=\"copper\",status=\"200\"} [1-9]")
                .containsPattern("cmsync_api_calls_total\\{endpoint=\"GET ping\",side=\"mailchimp\",status=\"200\"} [1-9]")
                .contains("cmsync_api_rate_limited_total{side=\"copper\"} 0.0")
                .contains("cmsync_errors_total{kind=\"run\"} 0.0")
                .contains("cmsync_last_run_exit_code 0.0")
                .contains("cmsync_last_success_age_seconds")
                .contains("camel_exchanges_total"); // Camel's own meters share the registry

        // JMX as Camel provides it: the context and route MBeans
        var jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        assertThat(jmx.queryNames(new javax.management.ObjectName("org.apache.camel:type=routes,name=\"sync-run\",*"),
                null)).isNotEmpty();
    }

    @Test
    void refusedCredentialsTurnTheApiChecksAndLastSyncDown() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        h.properties.put("sync.cron", NEVER);
        Map<String, String> env = new HashMap<>();
        env.put("COPPER_API_KEY", "wrong-copper-key");
        env.put("COPPER_API_EMAIL", SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", "wrong0mailchimp0key-us1");
        env.put("MAILCHIMP_LIST_ID", SandboxServer.LIST_ID);
        env.put("COPPER_BASE_URL", h.sandbox.copperBaseUrl());
        env.put("MAILCHIMP_BASE_URL", h.sandbox.mailchimpBaseUrl());
        Settings wrong = new SettingsLoader(dir.resolve("config/application.properties"), dir.resolve(".env"), env,
                h.properties).load();
        startDaemon(wrong, Map.of());

        JsonNode health = health();
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(check(health, "copper-api").path("status").asText()).isEqualTo("DOWN");
        assertThat(check(health, "copper-api").path("message").asText())
                .contains("refused the credentials (HTTP 401)").contains("COPPER_API_KEY");
        assertThat(check(health, "mailchimp-api").path("status").asText()).isEqualTo("DOWN");
        assertThat(check(health, "last-sync").path("status").asText()).as("no run yet").isEqualTo("UP");

        assertThat(app.runOnce()).isEqualTo(2);
        JsonNode after = health();
        assertThat(check(after, "last-sync").path("status").asText()).isEqualTo("DOWN");
        assertThat(check(after, "last-sync").path("message").asText()).contains("failed");

        assertThat(metrics())
                .contains("cmsync_runs_total{outcome=\"failed\"} 1.0")
                .contains("cmsync_errors_total{kind=\"run\"} 1.0")
                .contains("cmsync_last_run_exit_code 2.0")
                .containsPattern("cmsync_api_calls_total\\{endpoint=\"[^\"]+\",side=\"copper\",status=\"401\"} [1-9]");
    }

    @Test
    void anApiThatStopsAnsweringTurnsItsCheckDown() throws Exception {
        h = new SyncHarness(dir, null);
        h.properties.put("sync.cron", NEVER);
        startDaemon(h.settings(), Map.of("health.api-cache-seconds", "0", "health.api-timeout-seconds", "5"));
        assertThat(check(health(), "copper-api").path("status").asText()).isEqualTo("UP");

        h.sandbox.close();
        JsonNode health = health();
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(check(health, "copper-api").path("status").asText()).isEqualTo("DOWN");
        assertThat(check(health, "copper-api").path("message").asText()).contains("no answer");
        assertThat(check(health, "mailchimp-api").path("status").asText()).isEqualTo("DOWN");
        assertThat(metrics()).containsPattern("cmsync_api_calls_total\\{endpoint=\"GET account\",side=\"copper\",status=\"none\"} [1-9]");
    }

    @Test
    void theApiAnswerIsCachedSoScrapesDoNotHammerTheApi() throws Exception {
        h = new SyncHarness(dir, null);
        h.properties.put("sync.cron", NEVER);
        startDaemon(h.settings(), Map.of());
        health();
        long calls = h.sandbox.totalCalls();
        for (int i = 0; i < 5; i++) {
            health();
        }
        assertThat(h.sandbox.totalCalls()).isEqualTo(calls);
    }

    @Test
    void lastSyncIsDownWithoutASuccessfulRunWithinThreePeriodsAndUpAfterOne() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        h.properties.put("sync.cron", "0/1 * * * * ?"); // a period of one second: DOWN after three without a run
        // the schedule is on in a daemon; this one keeps it off so that no run happens on its own
        startDaemon(h.settings(), Map.of("sync.schedule-enabled", "false"));

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> "DOWN".equals(check(health(), "last-sync").path("status").asText()));
        assertThat(check(health(), "last-sync").path("message").asText())
                .contains("No successful run since the start").contains("3 schedule periods");

        assertThat(app.runOnce()).isZero();
        assertThat(check(health(), "last-sync").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void aOneShotRunServesNoPage() throws Exception {
        h = new SyncHarness(dir, null);
        int port = HealthProbe.freePort();
        app = new SyncApplication(h.settings(), false, false);
        app.main().addOverrideProperty("camel.management.port", String.valueOf(port));
        app.start();
        assertThat(app.runOnce()).isZero();
        assertThatThrownBy(() -> new HealthProbe(port).get(HEALTH)).isInstanceOf(ConnectException.class);
    }
}

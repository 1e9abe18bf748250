package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.app.SyncApplication;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxServer;

/** Per-call timeouts really apply; a refused key stops the run at once, naming the side and the .env key. */
class TimeoutsAndAuthTest {
    @TempDir
    Path dir;
    SyncHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aHangingServerFailsTheCallAfterTheConfiguredResponseTimeoutNotTheHang() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        h.properties.put("http.response-timeout-seconds", "1");
        h.properties.put("http.max-attempts", "2");
        h.sandbox.faults(new FaultConfig(0, 0, 0, 0, 1.0, 0, 20_000, 1));
        int code;
        long ms;
        try (io.cmsync.testsupport.LogCapture log = new io.cmsync.testsupport.LogCapture(Map.of())) {
            code = h.run();
            ms = log.firstTime("no answer after") - log.firstTime("Début de la synchronisation");
        }
        System.out.println("hanging server: run ended with " + code + " after " + ms + " ms");
        assertThat(code).isEqualTo(2);
        // two attempts of ~1 s plus one back-off (< 0.5 s); far below the 20 s hang
        assertThat(ms).isBetween(2_000L, 4_000L);
        assertThat(h.latestReport()).contains("Copper", "no answer after 2 attempts");
    }

    @Test
    void aRefusedMailchimpKeyStopsTheRunWithExitCode2NamesTheKeyAndIsNotRetried() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud")
                .member("bob@exemple.fr", "subscribed", "Bob", "Bernard").build());
        h.properties.put("http.max-attempts", "4");
        Map<String, String> env = env(h);
        env.put("MAILCHIMP_API_KEY", "wrong0mailchimp0key0zz-us1");
        int code = new SyncApplication(load(h, env), false, false).runOnceStandalone();
        assertThat(code).isEqualTo(2);
        String report = h.latestReport();
        assertThat(report).contains("Mailchimp a refusé les identifiants (HTTP 401)", "MAILCHIMP_API_KEY")
                .doesNotContain("wrong0mailchimp0key0zz", "❌ ERREUR |");
        assertThat(h.sandbox.calls().get("GET /3.0/lists/{list_id}/members")).as("no retry of a 401").isEqualTo(1L);
        assertThat(h.writeCalls()).isZero();
    }

    @Test
    void aRefusedCopperKeyIsNotRetriedEither() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        h.properties.put("http.max-attempts", "4");
        Map<String, String> env = env(h);
        env.put("COPPER_API_KEY", "wrong-copper-key-42");
        assertThat(new SyncApplication(load(h, env), false, false).runOnceStandalone()).isEqualTo(2);
        assertThat(h.latestReport()).contains("Copper a refusé les identifiants (HTTP 401)", "COPPER_API_KEY")
                .doesNotContain("wrong-copper-key-42", "❌ ERREUR |");
        assertThat(h.sandbox.calls().get("POST /developer_api/v1/people/search")).isEqualTo(1L);
        assertThat(h.writeCalls()).isZero();
    }

    /** A wrong audience id: one line saying what to check, the run's failure said once (no double prefix). */
    @Test
    void anUnknownAudienceIdSaysToCheckMailchimpListId() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        Map<String, String> env = env(h);
        env.put("MAILCHIMP_LIST_ID", "nosuchlist");
        assertThat(new SyncApplication(load(h, env), false, false).runOnceStandalone()).isEqualTo(2);
        String report = h.latestReport();
        assertThat(report).contains("❌ SYNCHRONISATION INTERROMPUE: Mailchimp ne connaît pas l'audience « nosuchlist » "
                + "(HTTP 404): vérifiez MAILCHIMP_LIST_ID dans ").doesNotContain("Resource Not Found", "✅", "100.0%");
        assertThat(report).containsOnlyOnce("nterrompue");
        assertThat(h.writeCalls()).isZero();
    }

    static Map<String, String> env(SyncHarness h) {
        Map<String, String> env = new HashMap<>();
        env.put("COPPER_API_KEY", SandboxServer.COPPER_API_KEY);
        env.put("COPPER_API_EMAIL", SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", SandboxServer.MAILCHIMP_API_KEY);
        env.put("MAILCHIMP_LIST_ID", SandboxServer.LIST_ID);
        env.put("COPPER_BASE_URL", h.sandbox.copperBaseUrl());
        env.put("MAILCHIMP_BASE_URL", h.sandbox.mailchimpBaseUrl());
        return env;
    }

    static Settings load(SyncHarness h, Map<String, String> env) {
        return new SettingsLoader(h.dir.resolve("config/application.properties"), h.dir.resolve(".env"), env,
                h.properties).load();
    }
}

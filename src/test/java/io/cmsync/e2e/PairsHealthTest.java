package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.app.SyncApplication;
import io.cmsync.config.Pairs;
import io.cmsync.config.Settings;
import io.cmsync.sandbox.SandboxServer;

/**
 * The {@code copper-api} and {@code mailchimp-api} checks of a daemon with two pairs: each distinct Copper account and
 * each pair's audience is probed once, and the check names the pair(s) a problem belongs to.
 */
class PairsHealthTest {
    @TempDir
    Path dir;
    SyncHarness h;
    SyncApplication app;

    @AfterEach
    void close() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (h != null) {
            h.close();
        }
    }

    private List<Settings> pairs(String enList) throws Exception {
        Files.writeString(h.dir.resolve("config/application.properties"), """

                pairs=fr,en
                pair.fr.scope.copper-tag=Newsletter FR
                pair.en.scope.copper-tag=Newsletter EN
                sync.cron=0 0 3 1 1 ? 2099
                """, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Map<String, String> env = new HashMap<>();
        env.put("COPPER_API_KEY", SandboxServer.COPPER_API_KEY);
        env.put("COPPER_API_EMAIL", SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", SandboxServer.MAILCHIMP_API_KEY);
        env.put("FR_MAILCHIMP_LIST_ID", PairsScenarioTest.FR_LIST);
        env.put("EN_MAILCHIMP_LIST_ID", enList);
        env.put("COPPER_BASE_URL", h.sandbox.copperBaseUrl());
        env.put("MAILCHIMP_BASE_URL", h.sandbox.mailchimpBaseUrl());
        return Pairs.load(h.dir.resolve("config/application.properties"), h.dir.resolve(".env"), env, h.properties);
    }

    private HealthCheck.Result check(String bean) {
        return app.main().getCamelContext().getRegistry().lookupByNameAndType(bean, HealthCheck.class).call();
    }

    private long calls(String method, String suffix) {
        return h.sandbox.calls().entrySet().stream()
                .filter(e -> e.getKey().startsWith(method) && e.getKey().endsWith(suffix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Test
    void eachAccountAndAudienceIsProbedOnceAndTheChecksNameThePairs() throws Exception {
        h = new SyncHarness(dir, PairsScenarioTest.seed());
        app = new SyncApplication(pairs(PairsScenarioTest.EN_LIST), true, false, false);
        app.start();
        h.sandbox.resetCalls();

        HealthCheck.Result copper = check("copperApiHealthCheck");
        assertThat(copper.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(copper.getMessage().orElse("")).contains("valid credentials").contains("pairs fr, en");
        assertThat(copper.getDetails()).containsEntry("pairs", "fr, en");

        HealthCheck.Result mailchimp = check("mailchimpApiHealthCheck");
        assertThat(mailchimp.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(mailchimp.getMessage().orElse("")).contains(PairsScenarioTest.FR_LIST + ", pair fr")
                .contains(PairsScenarioTest.EN_LIST + ", pair en");
        // one Copper account: one probe; two audiences: one probe each
        assertThat(calls("GET ", "/lists/{list_id}")).isEqualTo(2);
        assertThat(calls("GET ", "/account")).isEqualTo(1);
    }

    @Test
    void aPairsUnknownAudienceTurnsMailchimpDownNamingThatPair() throws Exception {
        h = new SyncHarness(dir, PairsScenarioTest.seed());
        app = new SyncApplication(pairs("nosuchlist"), true, false, false);
        app.start();

        HealthCheck.Result mailchimp = check("mailchimpApiHealthCheck");
        assertThat(mailchimp.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(mailchimp.getMessage().orElse("")).contains("HTTP 404").contains("pair en")
                .contains("EN_MAILCHIMP_LIST_ID");
        assertThat(mailchimp.getDetails()).containsEntry("pair.en", "DOWN").containsEntry("pair.fr", "UP");
    }
}

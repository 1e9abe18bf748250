package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.app.SyncApplication;
import io.cmsync.config.Pairs;
import io.cmsync.config.Settings;
import io.cmsync.health.SyncMetrics;
import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxServer;

/**
 * Two pairs on one Copper account, run side by side against the sandbox with Copper's rolling-minute limit on: they
 * share one budget, so Copper never answers 429 (each pair alone fits the minute, both together do not).
 */
class PairsSharedLimitsTest {
    static final int PER_MINUTE = 8;

    @TempDir
    Path dir;
    SyncHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void pairsOnOneCopperAccountShareItsRateLimit() throws Exception {
        Seed seed = new Seed();
        for (int i = 0; i < 5; i++) {
            seed.person("fr" + i + "@exemple.fr", "Fr" + i, "Personne", "Newsletter FR");
            seed.person("en" + i + "@exemple.com", "En" + i, "Person", "Newsletter EN");
        }
        ObjectNode root = seed.build();
        ArrayNode lists = ((ObjectNode) root.get("mailchimp")).putArray("lists");
        lists.addObject().put("id", "fr00000001").put("name", "FR").putArray("members");
        lists.addObject().put("id", "en00000001").put("name", "EN").putArray("members");
        h = new SyncHarness(dir, root);
        // pages of two people: about six Copper calls per pair's run, twelve for both, over a budget of eight
        h.properties.put("copper.page-size", "2");
        h.properties.put("copper.requests-per-minute", String.valueOf(PER_MINUTE));
        Files.writeString(h.dir.resolve("config/application.properties"), """

                pairs=fr,en
                pair.fr.scope.copper-tag=Newsletter FR
                pair.en.scope.copper-tag=Newsletter EN
                """, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        h.sandbox.faults(new FaultConfig(0, PER_MINUTE, 10, 0, 0, 0, 30_000, 42));
        Map<String, String> env = new HashMap<>();
        env.put("COPPER_API_KEY", SandboxServer.COPPER_API_KEY);
        env.put("COPPER_API_EMAIL", SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", SandboxServer.MAILCHIMP_API_KEY);
        env.put("FR_MAILCHIMP_LIST_ID", "fr00000001");
        env.put("EN_MAILCHIMP_LIST_ID", "en00000001");
        env.put("COPPER_BASE_URL", h.sandbox.copperBaseUrl());
        env.put("MAILCHIMP_BASE_URL", h.sandbox.mailchimpBaseUrl());
        List<Settings> pairs = Pairs.load(h.dir.resolve("config/application.properties"), h.dir.resolve(".env"), env,
                h.properties);
        SyncApplication app = new SyncApplication(pairs, false, false, false);
        app.start();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> fr = pool.submit(() -> app.runPair("fr"));
            Future<Integer> en = pool.submit(() -> app.runPair("en"));
            assertThat(fr.get()).isZero();
            assertThat(en.get()).isZero();
        } finally {
            pool.shutdownNow();
            app.stop();
        }
        long copperCalls = h.sandbox.calls().entrySet().stream().filter(e -> e.getKey().contains("/people"))
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(copperCalls).as("both pairs together need more than one minute's budget").isGreaterThan(PER_MINUTE);
        double limited = app.metrics().registry().find(SyncMetrics.API_RATE_LIMITED).counters().stream()
                .mapToDouble(c -> c.count()).sum();
        assertThat(limited).as("429 answers").isZero();
    }
}

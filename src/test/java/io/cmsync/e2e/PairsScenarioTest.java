package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.app.SyncApplication;
import io.cmsync.config.Pairs;
import io.cmsync.config.Settings;
import io.cmsync.sandbox.SandboxServer;

/**
 * Two sync pairs in one deployment against the sandbox with two audiences: Copper tag « Newsletter FR » → audience FR,
 * « Newsletter EN » → audience EN, one Copper account.
 */
class PairsScenarioTest {
    static final String FR_LIST = "fr00000001";
    static final String EN_LIST = "en00000001";

    @TempDir
    Path dir;
    SyncHarness h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    /** Copper people with their newsletter tags; audience FR holds a member Copper does not know yet. */
    static ObjectNode seed() {
        ObjectNode root = new Seed()
                .person("ann@exemple.fr", "Ann", "Fr", "Newsletter FR")
                .person("bob@exemple.com", "Bob", "En", "Newsletter EN")
                .person("cat@exemple.eu", "Cat", "Both", "Newsletter FR", "Newsletter EN")
                .person("dan@exemple.org", "Dan", "None", "client")
                .build();
        ArrayNode lists = ((ObjectNode) root.get("mailchimp")).putArray("lists");
        ObjectNode fr = lists.addObject().put("id", FR_LIST).put("name", "Newsletter FR");
        ArrayNode frMembers = fr.putArray("members");
        ObjectNode eve = frMembers.addObject();
        eve.put("id", io.cmsync.mailchimp.MailchimpMapping.subscriberHash("eve@exemple.fr"));
        eve.put("email_address", "eve@exemple.fr").put("status", "subscribed");
        eve.putObject("merge_fields").put("FNAME", "Eve").put("LNAME", "Inscrite");
        eve.putArray("tags");
        eve.put("last_changed", "2025-01-01T00:00:30+00:00");
        lists.addObject().put("id", EN_LIST).put("name", "Newsletter EN").putArray("members");
        return root;
    }

    private List<Settings> pairs() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("COPPER_API_KEY", SandboxServer.COPPER_API_KEY);
        env.put("COPPER_API_EMAIL", SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", SandboxServer.MAILCHIMP_API_KEY);
        env.put("FR_MAILCHIMP_LIST_ID", FR_LIST);
        env.put("EN_MAILCHIMP_LIST_ID", EN_LIST);
        env.put("COPPER_BASE_URL", h.sandbox.copperBaseUrl());
        env.put("MAILCHIMP_BASE_URL", h.sandbox.mailchimpBaseUrl());
        return Pairs.load(h.dir.resolve("config/application.properties"), h.dir.resolve(".env"), env, h.properties);
    }

    private void declarePairs() throws Exception {
        Files.writeString(h.dir.resolve("config/application.properties"), """

                pairs=fr,en
                pair.fr.scope.copper-tag=Newsletter FR
                pair.en.scope.copper-tag=Newsletter EN
                """, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    private List<String> members(String listId) {
        List<String> emails = new ArrayList<>();
        for (JsonNode l : h.sandbox.dump().path("mailchimp").path("lists")) {
            if (l.path("id").asText().equals(listId)) {
                l.path("members").forEach(m -> emails.add(m.path("email_address").asText()));
            }
        }
        return emails;
    }

    private static List<String> files(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void eachPairsContactsReachItsAudienceOnlyWithItsOwnStateAndReports() throws Exception {
        h = new SyncHarness(dir, seed());
        declarePairs();
        SyncApplication app = new SyncApplication(pairs(), false, false, false);

        assertThat(app.runOnceStandalone(null)).isZero();

        // metrics and health name each pair
        assertThat(app.metrics().registry().find(io.cmsync.health.SyncMetrics.PAIR_RUNS).tag("pair", "fr")
                .tag("outcome", "success").counter().count()).isEqualTo(1.0);
        assertThat(app.metrics().registry().find(io.cmsync.health.SyncMetrics.PAIR_RUNS).tag("pair", "en")
                .counter().count()).isEqualTo(1.0);
        assertThat(app.lastRuns().byPair()).containsOnlyKeys("fr", "en");
        assertThat(members(FR_LIST)).containsExactlyInAnyOrder("ann@exemple.fr", "cat@exemple.eu", "eve@exemple.fr");
        assertThat(members(EN_LIST)).containsExactlyInAnyOrder("bob@exemple.com", "cat@exemple.eu");
        // the FR audience's new member came to Copper with the FR pair's tag (so it stays in that pair's scope)
        JsonNode eve = h.copperPerson("eve@exemple.fr");
        assertThat(eve).isNotNull();
        assertThat(eve.path("tags").toString()).contains("Newsletter FR");
        assertThat(h.copperPeopleWith("eve@exemple.fr")).isEqualTo(1);
        // a contact in both audiences is two memberships: each pair's state has it, no conflict
        Path data = dir.resolve("data");
        assertThat(files(data.resolve("pairs/fr"))).anyMatch(f -> f.startsWith("sync-state"));
        assertThat(files(data.resolve("pairs/en"))).anyMatch(f -> f.startsWith("sync-state"));
        assertThat(files(data)).noneMatch(f -> f.startsWith("sync-state"));
        Path reports = dir.resolve("reports");
        assertThat(files(reports.resolve("fr"))).anyMatch(f -> f.startsWith("import_report_"));
        assertThat(files(reports.resolve("en"))).anyMatch(f -> f.startsWith("import_report_"));
        assertThat(files(reports)).noneMatch(f -> f.startsWith("import_report_"));
        String enReport = Files.readString(files(reports.resolve("en")).stream()
                .filter(f -> f.startsWith("import_report_") && f.endsWith(".txt")).map(reports.resolve("en")::resolve)
                .findFirst().orElseThrow(), StandardCharsets.UTF_8);
        assertThat(enReport).contains("bob@exemple.com").doesNotContain("ann@exemple.fr").doesNotContain("eve@");

        // the next runs converge: the second may only send eve's new Copper tag to her member (the product's tags
        // travel as member tags); then nothing more to write, no pair undoes the other's work
        assertThat(new SyncApplication(pairs(), false, false, false).runOnceStandalone(null)).isZero();
        h.sandbox.resetCalls();
        assertThat(new SyncApplication(pairs(), false, false, false).runOnceStandalone(null)).isZero();
        assertThat(h.writeCalls()).as("writes of the third run: %s", h.sandbox.calls()).isZero();
        assertThat(members(FR_LIST)).hasSize(3);
        assertThat(members(EN_LIST)).hasSize(2);
    }

    @Test
    void onePairRunsAlone() throws Exception {
        ObjectNode seed = seed();
        h = new SyncHarness(dir, seed);
        declarePairs();

        assertThat(new SyncApplication(pairs(), false, false, false).runOnceStandalone("en")).isZero();

        assertThat(members(EN_LIST)).containsExactlyInAnyOrder("bob@exemple.com", "cat@exemple.eu");
        assertThat(members(FR_LIST)).containsExactly("eve@exemple.fr");
        assertThat(h.copperPerson("eve@exemple.fr")).isNull();
        assertThat(files(dir.resolve("reports/en"))).isNotEmpty();
        assertThat(files(dir.resolve("reports/fr"))).isEmpty();
        assertThat(Files.exists(dir.resolve("data/pairs/fr"))).isFalse();
    }

    @Test
    void eachPairHasItsScheduleFromTheRouteTemplate() throws Exception {
        h = new SyncHarness(dir, seed());
        declarePairs();
        Files.writeString(h.dir.resolve("config/application.properties"), "\npair.en.sync.cron=0 5/15 * * * ?\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        SyncApplication app = new SyncApplication(pairs(), true, false, false);
        app.main().addOverrideProperty("sync.schedule-enabled", "false");
        app.start();
        try {
            var camel = app.main().getCamelContext();
            assertThat(camel.getRoute("sync-schedule")).isNull();
            assertThat(camel.getRoute("sync-schedule-fr").getEndpoint().getEndpointUri())
                    .startsWith("quartz://copper-mailchimp-sync/sync-fr");
            assertThat(camel.getRoute("sync-schedule-en").getEndpoint().getEndpointUri())
                    .startsWith("quartz://copper-mailchimp-sync/sync-en").contains("cron=RAW(0%205/15");
            // what a trigger of the EN schedule does: the exchange names its pair, the EN pair is synced
            var route = camel.getRoute("sync-schedule-en");
            org.apache.camel.support.service.ServiceHelper.startService(route.getProcessor());
            var fired = new org.apache.camel.support.DefaultExchange(camel);
            route.getProcessor().process(fired);
            assertThat(fired.getProperty("pair", String.class)).isEqualTo("en");
            assertThat(members(EN_LIST)).containsExactlyInAnyOrder("bob@exemple.com", "cat@exemple.eu");
            assertThat(members(FR_LIST)).containsExactly("eve@exemple.fr");
        } finally {
            app.stop();
        }
    }

    @Test
    void theDaemonsReportRetentionCleansEachPairsReportsFolderAndNothingElse() throws Exception {
        h = new SyncHarness(dir, seed());
        declarePairs();
        // the schedules far away; the retention consumer polls 100 ms after start
        Files.writeString(h.dir.resolve("config/application.properties"),
                "\nsync.cron=0 0 3 1 1 ? 2099\nreport.retention-start-delay-ms=100\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        String old = "sync_log_2020-01-01_00-00-00.txt";
        java.util.List<Path> expired = new java.util.ArrayList<>();
        for (String folder : java.util.List.of("reports/fr", "reports/en")) {
            Files.createDirectories(dir.resolve(folder));
            expired.add(Files.writeString(dir.resolve(folder).resolve(old), "old"));
        }
        Path recent = Files.writeString(dir.resolve("reports/en").resolve("sync_log_2099-01-01_00-00-00.txt"), "new");
        Files.createDirectories(dir.resolve("reports/other"));
        Path elsewhere = Files.writeString(dir.resolve("reports/other").resolve(old), "not a pair's");

        SyncApplication app = new SyncApplication(pairs(), true, false, false);
        app.start();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> expired.stream().noneMatch(Files::exists));
        } finally {
            app.stop();
        }
        assertThat(recent).as("within the retention").exists();
        assertThat(elsewhere).as("a folder that is no pair's is not walked").exists();
    }

    @Test
    void aContactOfTwoAudiencesWithTwoStatusesKeepsOneTagPerAudienceAndThePairsNeverUndoEachOther()
            throws Exception {
        h = new SyncHarness(dir, seed());
        declarePairs();
        assertThat(new SyncApplication(pairs(), false, false, false).runOnceStandalone(null)).isZero();
        // cat unsubscribes from the English newsletter only
        ObjectNode state = h.sandbox.dump();
        for (JsonNode l : state.path("mailchimp").path("lists")) {
            if (l.path("id").asText().equals(EN_LIST)) {
                for (JsonNode m : l.path("members")) {
                    if (m.path("email_address").asText().equals("cat@exemple.eu")) {
                        ((ObjectNode) m).put("status", "unsubscribed").put("last_changed", Seed.nowIso(0));
                    }
                }
            }
        }
        h.sandbox.load(state);

        for (int run = 0; run < 3; run++) {
            assertThat(new SyncApplication(pairs(), false, false, false).runOnceStandalone(null)).isZero();
            assertThat(Seed.tagNames(h.copperPerson("cat@exemple.eu"))).as("after run %d", run + 2)
                    .contains("Mailchimp: désabonné (en)").doesNotContain("Mailchimp: désabonné (fr)",
                            "Mailchimp: désabonné");
        }
        // the EN pair's audience tag is the product's: never pushed to the FR audience as a tag of cat
        for (JsonNode l : h.sandbox.dump().path("mailchimp").path("lists")) {
            for (JsonNode m : l.path("members")) {
                if (m.path("email_address").asText().equals("cat@exemple.eu")) {
                    assertThat(Seed.tagNames(m)).noneMatch(t -> t.startsWith("Mailchimp:"));
                }
            }
        }
    }

    @Test
    void theImplicitPairKeepsTodaysSchedule() throws Exception {
        h = new SyncHarness(dir, seed());
        SyncApplication app = new SyncApplication(h.settings(), true, false);
        app.main().addOverrideProperty("sync.schedule-enabled", "false");
        app.start();
        try {
            var route = app.main().getCamelContext().getRoute("sync-schedule");
            assertThat(route.getEndpoint().getEndpointUri()).startsWith("quartz://copper-mailchimp-sync/sync?");
        } finally {
            app.stop();
        }
    }

    @Test
    void pairsOnOnePostgresDatabaseKeepTheirStateApart() throws Exception {
        var db = io.cmsync.testsupport.PostgresServer.get().newDatabase("pairs");
        h = new SyncHarness(dir, seed());
        declarePairs();
        h.properties.put("state.jdbc-url", db.jdbcUrl());
        Files.writeString(dir.resolve(".env"), io.cmsync.state.StateDatabase.USER_ENV + "=" + db.user() + "\n"
                + io.cmsync.state.StateDatabase.PASSWORD_ENV + "=" + db.password() + "\n");

        assertThat(new SyncApplication(pairs(), false, false, false).runOnceStandalone(null)).isZero();

        // one schema per pair: cat is a record of each (two memberships), eve only of FR's, bob only of EN's
        try (var fr = io.cmsync.state.StateStore.open(db.withSchema("cmsync_fr"));
             var en = io.cmsync.state.StateStore.open(db.withSchema("cmsync_en"))) {
            assertThat(fr.find("cat@exemple.eu")).isPresent();
            assertThat(en.find("cat@exemple.eu")).isPresent();
            assertThat(fr.find("eve@exemple.fr")).isPresent();
            assertThat(en.find("eve@exemple.fr")).isEmpty();
            assertThat(fr.find("bob@exemple.com")).isEmpty();
            assertThat(en.find("bob@exemple.com")).isPresent();
        }
        assertThat(Files.exists(dir.resolve("data/pairs/fr/sync-state.mv.db"))).isFalse();
        h.sandbox.resetCalls();
        assertThat(new SyncApplication(pairs(), false, false, false).runOnceStandalone("en")).isZero();
        assertThat(h.writeCalls()).isZero();
    }
}

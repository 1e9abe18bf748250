package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.app.SyncApplication;
import io.cmsync.state.RunLock;
import io.cmsync.testsupport.LogCapture;

/**
 * An integration engineer edits routes/ while the daemon runs: an edit that names something that does not exist never
 * replaces the running routes, and a run that finds a route it needs missing fails at once and says so everywhere.
 */
class RouteEditsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    SyncHarness h;
    SyncApplication app;
    Path routes;
    HealthProbe probe;

    @BeforeEach
    void daemon() throws Exception {
        routes = dir.resolve("routes");
        Files.createDirectories(routes);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        h.properties.put("sync.cron", "0 0 3 1 1 ? 2099"); // never fires during the test
        app = new SyncApplication(h.settings(), true, false);
        int port = HealthProbe.freePort();
        app.main().addOverrideProperty("camel.management.port", String.valueOf(port));
        app.main().addOverrideProperty("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        app.main().addOverrideProperty("camel.main.routes-reload-directory", routes.toString());
        app.start();
        probe = new HealthProbe(port);
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.stop();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void anEditNamingAMissingBeanKeepsTheRunningRouteWithAWarnNamingFileLineAndName() throws Exception {
        CamelContext camel = app.main().getCamelContext();
        Path reports = routes.resolve("reports.yaml");
        String original = Files.readString(reports, StandardCharsets.UTF_8);
        assertThat(original).contains("ref: reports\n");
        try (LogCapture log = new LogCapture(Map.of())) {
            Files.writeString(reports, original.replace("ref: reports\n", "ref: reportz\n"), StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(20)).until(() -> log.count("not reloaded") > 0);
            String warn = log.lines().stream().filter(l -> l.contains("not reloaded")).findFirst().orElseThrow();
            int line = lineOf(original, "ref: reports\n");
            assertThat(warn).startsWith("WARN").contains("reports.yaml", "line " + line, "reportz");
        }
        assertThat(camel.getRoute("write-reports")).as("the running route stays").isNotNull();
        assertThat(camel.getRouteController().getRouteStatus("write-reports").isStarted()).isTrue();

        assertThat(app.runOnce()).isZero();
        assertThat(h.latestReport()).contains("RAPPORT D'IMPORTATION");
        assertThat(h.member("anna@exemple.fr")).isNotNull();
    }

    @Test
    void aRunMissingARouteFailsAtOnceWritesItsReportTurnsHealthDownAndTheNextRunAfterTheFixSucceeds() throws Exception {
        CamelContext camel = app.main().getCamelContext();
        // a route gone from the running daemon (stopped by hand over JMX, say)
        camel.getRouteController().stopRoute("plan");
        camel.removeRoute("plan");

        long started = System.nanoTime();
        int code = app.runOnce();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(code).isEqualTo(2);
        assertThat(took).as("fails at once, not after the direct component's 30 s wait").isLessThan(Duration.ofSeconds(2));
        assertThat(h.latestReport()).contains("la route direct://plan est absente");
        assertThat(h.member("anna@exemple.fr")).as("nothing written").isNull();
        JsonNode health = JSON.readTree(probe.get("/observe/health").body());
        assertThat(check(health, "last-sync").path("status").asText()).isEqualTo("DOWN");
        assertThat(probe.get("/observe/metrics").body()).containsPattern("cmsync_runs_total\\{outcome=\"failed\"\\} 1\\.0");
        try (var lock = RunLock.tryAcquire(h.settings().lockFile()).orElseThrow(
                () -> new AssertionError("the run's lock was not released"))) {
            assertThat(lock).isNotNull();
        }

        // the fix: the file is saved again, live reload puts the route back
        Path plan = routes.resolve("plan.yaml");
        Files.writeString(plan, Files.readString(plan, StandardCharsets.UTF_8) + "\n", StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("plan") != null
                && camel.getRouteController().getRouteStatus("plan").isStarted());
        assertThat(app.runOnce()).isZero();
        assertThat(h.member("anna@exemple.fr")).isNotNull();
        assertThat(check(JSON.readTree(probe.get("/observe/health").body()), "last-sync").path("status").asText())
                .isEqualTo("UP");
    }

    private static int lineOf(String text, String what) {
        String before = text.substring(0, text.indexOf(what));
        return (int) before.chars().filter(c -> c == '\n').count() + 1;
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }
}

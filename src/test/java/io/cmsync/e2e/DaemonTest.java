package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.app.SyncApplication;

/** The daemon: Quartz fires runs, runs never overlap, and edited YAML routes take effect without a restart. */
class DaemonTest {
    @TempDir
    Path dir;
    SyncHarness h;
    SyncApplication app;

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
    void quartzTriggerFiresARun() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        h.properties.put("sync.cron", "0/1 * * * * ?");
        app = new SyncApplication(h.settings(), true, false);
        app.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> h.member("anna@exemple.fr") != null);
        await().atMost(Duration.ofSeconds(10)).until(() -> app.lastRuns().last().isPresent());
        assertThat(app.lastRuns().last().get().exitCode()).isZero();
    }

    @Test
    void aTriggerDuringARunIsSkipped() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        // every call takes 300 ms: a run lasts long enough for a second trigger to arrive during it
        h.sandbox.faults(new io.cmsync.sandbox.FaultConfig(300, 0, 0, 0, 0, 0, 30_000, 42));
        app = new SyncApplication(h.settings(), false, false);
        app.start();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> first = pool.submit(app::runOnce);
            await().atMost(Duration.ofSeconds(10)).until(() -> h.sandbox.totalCalls() > 0);
            assertThat(app.runs().beginDetached()).as("second run while the first is in flight").isEmpty();
            assertThat(first.get()).isZero();
        } finally {
            pool.shutdownNow();
        }
        var again = app.runs().beginDetached();
        assertThat(again).as("free again once the first run ended").isPresent();
        app.runs().end(again.get());
    }

    @Test
    void anEditedRouteTakesEffectAfterReloadAndABrokenEditKeepsThePreviousRoute() throws Exception {
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        h = new SyncHarness(dir, new Seed()
                .person("keep@exemple.fr", "Kevin", "Garde")
                .person("nepas@exemple.fr", "Nina", "Pas").build());
        h.properties.put("sync.cron", "0 0 3 1 1 ? 2099"); // never fires during the test
        app = new SyncApplication(h.settings(), true, false);
        app.main().addOverrideProperty("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        app.main().addOverrideProperty("camel.main.routes-reload-directory", routes.toString());
        app.start();
        CamelContext camel = app.main().getCamelContext();

        // an integration engineer adds a filter step to read-copper
        Path read = routes.resolve("read.yaml");
        String original = Files.readString(read, StandardCharsets.UTF_8);
        String indent = " ".repeat(26);
        String step = indent + "- bean:\n" + indent + "    ref: copperReader\n" + indent + "    method: stage\n";
        String filtered = indent + "- filter:\n"
                + indent + "    simple: \"${body.email} !contains 'nepas'\"\n"
                + indent + "    steps:\n"
                + indent + "      - bean:\n" + indent + "          ref: copperReader\n" + indent + "          method: stage\n";
        assertThat(original).contains(step);
        String edited = original.replaceFirst(java.util.regex.Pattern.quote(step),
                java.util.regex.Matcher.quoteReplacement(filtered));
        assertThat(edited).isNotEqualTo(original);
        Files.writeString(read, edited, StandardCharsets.UTF_8);
        org.apache.camel.model.ModelCamelContext model = (org.apache.camel.model.ModelCamelContext) camel;
        await().atMost(Duration.ofSeconds(60)).until(() -> model.getRouteDefinition("read-copper") != null
                && model.getRouteDefinition("read-copper").toString().contains("nepas")
                && camel.getRouteController().getRouteStatus("read-copper") != null
                && camel.getRouteController().getRouteStatus("read-copper").isStarted());
        Thread.sleep(1500); // one save can fire more than one reload

        assertThat(app.runOnce()).isZero();
        assertThat(h.member("keep@exemple.fr")).isNotNull();
        assertThat(h.member("nepas@exemple.fr")).as("filtered by the reloaded route").isNull();

        // a broken edit: the previous route stays
        Files.writeString(read, edited + "\n- route: [this is: not valid\n", StandardCharsets.UTF_8);
        Thread.sleep(4000);
        assertThat(camel.getRoute("read-copper")).isNotNull();
        assertThat(camel.getRouteController().getRouteStatus("read-copper").isStarted()).isTrue();
        assertThat(camel.getRoute("sync-run")).isNotNull();
        assertThat(app.runOnce()).isZero();
    }

    @Test
    void aDaemonWhoseHealthPortIsTakenStopsWithOneLineInsteadOfRunningBlind() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud").build());
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Files.writeString(dir.resolve("config/application.properties"), "\ncamel.management.port="
                    + taken.getLocalPort() + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            app = new SyncApplication(h.settings(), true, false);
            org.assertj.core.api.Assertions.assertThatThrownBy(app::runDaemon)
                    .isInstanceOf(io.cmsync.config.ConfigException.class)
                    .hasMessageContaining("camel.management.port")
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort() + " is already in use");
            app = null;
        }
        assertThat(h.sandbox.totalCalls()).as("stopped before any API call").isZero();
    }
}

package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cmsync.testsupport.LogCapture;

/**
 * A real Camel Main with live reload of a temporary routes directory, the strategy installed the way the application
 * does: broken edits of a file leave its running route in place with one WARN, a good edit is applied.
 */
class SafeRouteReloadStrategyTest {
    /** Line 8 holds the bean ref, line 11 the body. */
    private static final String REPORTS = """
            # the route the test edits
            - route:
                id: write-reports
                from:
                  uri: direct:write-reports
                  steps:
                    - bean:
                        ref: %s
                        method: prepare
                    - setBody:
                        constant: %s
            """;
    /** Calls the route from a doFinally, as routes/sync.yaml does. */
    private static final String CALLER = """
            - route:
                id: caller
                from:
                  uri: direct:start
                  steps:
                    - doTry:
                        steps:
                          - log: calling
                        doFinally:
                          steps:
                            - to: direct:write-reports
            """;

    /** The bean of the test's route. */
    public static final class Reports {
        final AtomicInteger prepared = new AtomicInteger();

        public void prepare() {
            prepared.incrementAndGet();
        }
    }

    @TempDir
    Path dir;
    private Main main;

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
    }

    /** @param removeAllRoutes the application's setting is false; with true, Camel reads every route file again */
    @ParameterizedTest(name = "remove-all-routes={0}")
    @ValueSource(booleans = {false, true})
    void brokenEditsKeepTheRunningRouteAndAGoodEditIsApplied(boolean removeAllRoutes) throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path reports = routes.resolve("reports.yaml");
        Files.writeString(reports, REPORTS.formatted("reports", "v1"));
        Files.writeString(routes.resolve("caller.yaml"), CALLER);
        Reports bean = new Reports();

        main = new Main();
        main.bind("reports", bean);
        main.addOverrideProperty("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
        main.addOverrideProperty("camel.main.routes-reload-enabled", "true");
        main.addOverrideProperty("camel.main.routes-reload-directory", routes.toString());
        main.addOverrideProperty("camel.main.routes-reload-pattern", "*.yaml");
        main.addOverrideProperty("camel.main.routes-reload-remove-all-routes", String.valueOf(removeAllRoutes));
        SafeRouteReloadStrategy strategy = SafeRouteReloadStrategy.install(main);

        try (LogCapture log = new LogCapture(Map.of())) {
            main.start();
            CamelContext camel = main.getCamelContext();
            ProducerTemplate template = main.getCamelTemplate();
            assertThat(camel.hasServices(RouteWatcherReloadStrategy.class)).containsExactly(strategy);
            assertThat(strategy.isRemoveAllRoutes()).isEqualTo(removeAllRoutes);
            await().atMost(Duration.ofSeconds(10)).until(strategy::isRunning);
            assertThat(template.requestBody("direct:start", "", String.class)).isEqualTo("v1");

            // 1. a bean that does not exist: refused, one WARN with file, line and name
            Files.writeString(reports, REPORTS.formatted("reportz", "v2"));
            String refusedBean = "Route file " + reports + " not reloaded: line 8: no bean named 'reportz'"
                    + " (the running routes are kept)";
            await().atMost(Duration.ofSeconds(20)).until(() -> log.count(refusedBean) > 0);
            // the two or three watch events of one save: still one WARN (counted once per appender the capture
            // is attached to: other tests' logger settings can attach it twice)
            long once = log.count(refusedBean);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15))
                    .until(() -> log.count(refusedBean) == once);
            assertThat(strategy.refusedReloads()).isEqualTo(1);
            assertThat(camel.getRoute("write-reports")).isNotNull();
            assertThat(template.requestBody("direct:start", "", String.class)).isEqualTo("v1");
            assertThat(bean.prepared).hasValue(2);

            // 2. a YAML syntax error: refused, with its line
            Files.writeString(reports, REPORTS.formatted("reports", "v2: oops"));
            await().atMost(Duration.ofSeconds(20)).until(() -> log.count("Route file " + reports
                    + " not reloaded: line 11: YAML syntax error: mapping values are not allowed here") >= 1);
            assertThat(template.requestBody("direct:start", "", String.class)).isEqualTo("v1");

            // 3. the file no longer has the route the other file calls: refused
            Files.writeString(reports, REPORTS.formatted("reports", "v2").replace("direct:write-reports", "direct:w"));
            await().atMost(Duration.ofSeconds(20)).until(() -> log.count("Route file " + reports + " not reloaded:"
                    + " direct:write-reports is still called by route 'caller' (" + routes.resolve("caller.yaml")
                    + ") but no route of this file is from it any more (the running routes are kept)") >= 1);
            assertThat(template.requestBody("direct:start", "", String.class)).isEqualTo("v1");
            assertThat(strategy.refusedReloads()).isEqualTo(3);

            // 4. fixed: applied
            Files.writeString(reports, REPORTS.formatted("reports", "v2"));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> "v2".equals(template.requestBody("direct:start", "", String.class)));
            assertThat(strategy.refusedReloads()).isEqualTo(3);
            assertThat(log.text()).doesNotContain("Error reloading routes");
        }
    }
}

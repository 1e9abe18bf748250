package io.cmsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;

/** The daemon's startup names the address its health pages really listen on (Camel's summary says 0.0.0.0). */
class HealthPagesLineTest {
    @Test
    void theLineGivesTheConfiguredHost() {
        assertThat(SyncApplication.healthPages("127.0.0.1", 8080, "/observe/health", "/observe/metrics"))
                .isEqualTo("Santé : http://127.0.0.1:8080/observe/health ; métriques : "
                        + "http://127.0.0.1:8080/observe/metrics");
        assertThat(SyncApplication.healthPages("0.0.0.0", 9090, "/h", "/m"))
                .startsWith("Santé : http://localhost:9090/h ; métriques : http://localhost:9090/m")
                .contains("toutes les interfaces");
        assertThat(SyncApplication.healthPages("::1", 8080, "/h", "/m")).contains("http://[::1]:8080/h");
    }

    @Test
    void camelsSummaryWithItsWrongAddressIsSilencedByTheShippedLogConfiguration() throws Exception {
        Path file = Path.of("src/main/resources/log4j2.xml");
        XmlConfiguration config = new XmlConfiguration(new LoggerContext("shipped"),
                ConfigurationSource.fromUri(file.toUri()));
        config.initialize();
        Level camelSummary = config.getLoggerConfig(
                "org.apache.camel.component.platform.http.main.MainHttpServerUtil").getLevel();
        assertThat(camelSummary.isMoreSpecificThan(Level.WARN)).as(camelSummary.toString()).isTrue();
        assertThat(config.getLoggerConfig(SyncApplication.class.getName()).getLevel().isLessSpecificThan(Level.INFO))
                .as("our own line is shown").isTrue();
    }
}

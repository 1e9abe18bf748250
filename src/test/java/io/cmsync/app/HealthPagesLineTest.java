package io.cmsync.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;

import io.cmsync.i18n.Messages;

/** The daemon's startup names the address its health pages really listen on (Camel's summary says 0.0.0.0). */
class HealthPagesLineTest {
    @Test
    void theLineGivesTheConfiguredHost() {
        Messages fr = Messages.of(Messages.Language.FR);
        assertThat(SyncApplication.healthPages(fr, "127.0.0.1", 8080, "/observe/health", "/observe/metrics"))
                .isEqualTo(", état de santé sur http://127.0.0.1:8080/observe/health (métriques : "
                        + "http://127.0.0.1:8080/observe/metrics)");
        assertThat(SyncApplication.healthPages(fr, "0.0.0.0", 9090, "/h", "/m"))
                .startsWith(", état de santé sur http://localhost:9090/h (métriques : http://localhost:9090/m)")
                .contains("toutes les interfaces");
        assertThat(SyncApplication.healthPages(fr, "::1", 8080, "/h", "/m")).contains("http://[::1]:8080/h");
        assertThat(SyncApplication.healthPages(Messages.of(Messages.Language.EN), "127.0.0.1", 8080, "/h", "/m"))
                .isEqualTo(", health on http://127.0.0.1:8080/h (metrics: http://127.0.0.1:8080/m)");
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
    }
}

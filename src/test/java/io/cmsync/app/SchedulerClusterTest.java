package io.cmsync.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;

import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.config.ConfigException;
import io.cmsync.config.Settings;
import io.cmsync.config.SettingsLoader;
import io.cmsync.i18n.Messages;
import io.cmsync.run.SyncRuns;

/** The daemon's schedule settings: H2 keeps Quartz in memory; a wrong check-in interval is one line naming the key. */
class SchedulerClusterTest {
    @TempDir
    Path dir;

    private Settings settings(String... lines) throws Exception {
        Path properties = dir.resolve("application.properties");
        Files.copy(Path.of("config/application.properties"), properties,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(properties, "\npaths.data-dir=" + dir.resolve("data") + "\n" + String.join("\n", lines) + "\n",
                StandardOpenOption.APPEND);
        Path env = dir.resolve(".env");
        Files.writeString(env, "COPPER_API_KEY=ck-111\nCOPPER_API_EMAIL=ops@acme.fr\nMAILCHIMP_API_KEY=mk-222-us6\n"
                + "MAILCHIMP_LIST_ID=abc123\n");
        return new SettingsLoader(properties, env, Map.of(), Map.of()).load();
    }

    @Test
    void withH2TheScheduleStaysInMemoryAndTheLocalRetentionRouteRuns() throws Exception {
        Settings settings = settings();
        Main main = new Main();
        var node = SchedulerCluster.install(main, settings, new SyncRuns(settings, Clock.systemUTC(), false),
                Clock.systemUTC());
        assertThat(node.clustered()).isFalse();
        assertThat(node.checkinIntervalMs()).isEqualTo(10_000);
        assertThat(main.getCamelContext()).isNull(); // nothing started
    }

    @Test
    void aWrongCheckinIntervalNamesTheKey() throws Exception {
        for (String value : new String[] {"ten", "0", "601"}) {
            Settings settings = settings("cluster.checkin-interval-seconds=" + value);
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> SchedulerCluster.install(new Main(),
                    settings, new SyncRuns(settings, Clock.systemUTC(), false), Clock.systemUTC()));
            assertThat(e).as(value).isNotNull();
            assertThat(e.key()).isEqualTo("cluster.checkin-interval-seconds");
            assertThat(e.describe(Messages.of(Messages.Language.FR))).contains("cluster.checkin-interval-seconds")
                    .contains(value);
        }
    }

    @Test
    void withPairsInOneDatabaseTheScheduleIsTheDeploymentsNotTheFirstPairsSchema() throws Exception {
        settings(); // writes the files
        Path properties = dir.resolve("application.properties");
        Files.writeString(properties, "\nstate.jdbc-url=jdbc:postgresql://db.example:5432/cmsync?sslmode=require\n"
                + "pairs=fr,en\n", StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(".env"), "FR_MAILCHIMP_LIST_ID=fr1\nEN_MAILCHIMP_LIST_ID=en1\n"
                + "STATE_DB_USER=cmsync\nSTATE_DB_PASSWORD=pw\n", StandardOpenOption.APPEND);
        var pairs = io.cmsync.config.Pairs.load(properties, dir.resolve(".env"), Map.of(), Map.of());
        assertThat(pairs.get(0).stateDatabase().schema()).isEqualTo("cmsync_fr");
        assertThat(pairs.get(1).stateDatabase().schema()).isEqualTo("cmsync_en");
        for (Settings pair : pairs) {
            // the same job store for every node, whatever the order of pairs= on it
            assertThat(SchedulerCluster.clusterDatabase(pair).jdbcUrl())
                    .isEqualTo("jdbc:postgresql://db.example:5432/cmsync?sslmode=require");
            assertThat(SchedulerCluster.clusterDatabase(pair).user()).isEqualTo("cmsync");
        }
        // today's single pair: the state's own URL
        Files.writeString(properties, Files.readString(properties).replace("pairs=fr,en", ""));
        Settings single = new SettingsLoader(properties, dir.resolve(".env"), Map.of(), Map.of()).load();
        assertThat(SchedulerCluster.clusterDatabase(single)).isEqualTo(single.stateDatabase());
        assertThat(new io.cmsync.state.StateDatabase("jdbc:postgresql://h/db?currentSchema=cmsync_fr", "u", "p")
                .withoutSchema().jdbcUrl()).isEqualTo("jdbc:postgresql://h/db");
        assertThat(new io.cmsync.state.StateDatabase("jdbc:postgresql://h/db?a=1&currentSchema=cmsync_fr&b=2", "u",
                "p").withoutSchema().jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?a=1&b=2");
        assertThat(new io.cmsync.state.StateDatabase("jdbc:postgresql://h/db?currentSchema=cmsync_fr&b=2", "u",
                "p").withoutSchema().jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?b=2");
    }
}

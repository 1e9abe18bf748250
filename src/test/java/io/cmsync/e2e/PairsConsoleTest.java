package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.app.SyncApplication;
import io.cmsync.config.Pairs;
import io.cmsync.config.Settings;
import io.cmsync.console.ConsoleLines;
import io.cmsync.i18n.Messages;
import io.cmsync.sandbox.SandboxServer;

/**
 * The console a person reads with two pairs, each with its own TEST marker, schedule and reports folder: every line
 * inside a pair's block speaks of that pair, the daemon's lines name their pair, its start line lists every pair.
 */
class PairsConsoleTest {
    @TempDir
    Path dir;
    SyncHarness h;
    private final List<String> console = new CopyOnWriteArrayList<>();
    private Capture capture;

    private static final class Capture extends AbstractAppender {
        private final List<String> into;

        Capture(List<String> into) {
            super("pairs-console", null, null, true, Property.EMPTY_ARRAY);
            this.into = into;
        }

        @Override
        public void append(LogEvent event) {
            into.add(event.getMessage().getFormattedMessage());
        }
    }

    @BeforeEach
    void attach() {
        capture = new Capture(console);
        capture.start();
        var l = (org.apache.logging.log4j.core.Logger) LogManager.getLogger(ConsoleLines.CONSOLE_LOGGER);
        l.addAppender(capture);
        l.setLevel(org.apache.logging.log4j.Level.INFO);
    }

    @AfterEach
    void detach() throws Exception {
        ((org.apache.logging.log4j.core.Logger) LogManager.getLogger(ConsoleLines.CONSOLE_LOGGER)).removeAppender(capture);
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        if (h != null) {
            h.close();
        }
    }

    private List<Settings> pairs() throws Exception {
        Files.writeString(h.dir.resolve("config/application.properties"), """

                pairs=fr,en
                pair.fr.scope.copper-tag=Newsletter FR
                pair.en.scope.copper-tag=Newsletter EN
                pair.en.sync.test-marker=@exemple.com
                pair.en.sync.cron=0 5/15 * * * ?
                """, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Map<String, String> env = new HashMap<>();
        env.put("COPPER_API_KEY", SandboxServer.COPPER_API_KEY);
        env.put("COPPER_API_EMAIL", SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", SandboxServer.MAILCHIMP_API_KEY);
        env.put("FR_MAILCHIMP_LIST_ID", PairsScenarioTest.FR_LIST);
        env.put("EN_MAILCHIMP_LIST_ID", PairsScenarioTest.EN_LIST);
        env.put("COPPER_BASE_URL", h.sandbox.copperBaseUrl());
        env.put("MAILCHIMP_BASE_URL", h.sandbox.mailchimpBaseUrl());
        return Pairs.load(h.dir.resolve("config/application.properties"), h.dir.resolve(".env"), env, h.properties);
    }

    /** The lines from the one that starts with {@code first} up to the next pair's block (or the end). */
    private List<String> block(String first) {
        int from = -1;
        for (int i = 0; i < console.size(); i++) {
            if (console.get(i).startsWith(first)) {
                from = i;
                break;
            }
        }
        assertThat(from).as("%s in %s", first, console).isNotNegative();
        int to = from + 1;
        while (to < console.size() && !console.get(to).startsWith("━━") && !console.get(to).startsWith("Paire ")) {
            to++;
        }
        return console.subList(from, to);
    }

    @Test
    void everyLineOfAPairsBlockSpeaksOfThatPair() throws Exception {
        h = new SyncHarness(dir, PairsScenarioTest.seed());
        SyncApplication app = new SyncApplication(pairs(), false, false, false);

        assertThat(app.runOnceStandalone(null)).isZero();

        String fr = String.join("\n", block("━━ Paire fr"));
        String en = String.join("\n", block("━━ Paire en"));
        assertThat(fr).contains("contacts « @exemple » uniquement").doesNotContain("@exemple.com")
                .contains(dir.resolve("reports/fr").resolve("import_report_").toString())
                .doesNotContain(dir.resolve("reports/en").toString());
        assertThat(en).contains("contacts « @exemple.com » uniquement")
                .contains(dir.resolve("reports/en").resolve("import_report_").toString())
                .contains(dir.resolve("reports/en").resolve("sync_log_").toString())
                .doesNotContain(dir.resolve("reports/fr").toString());
        // the last lines: one per pair, success without a code to decipher
        assertThat(console.get(console.size() - 2)).isEqualTo("Paire fr : terminée sans erreur, rapports dans "
                + dir.resolve("reports/fr"));
        assertThat(console.get(console.size() - 1)).startsWith("Paire en : terminée sans erreur, rapports dans ");
    }

    @Test
    void theDaemonsLinesNameTheirPairAndItsStartLineListsEachPairsSchedule() throws Exception {
        h = new SyncHarness(dir, PairsScenarioTest.seed());
        SyncApplication app = new SyncApplication(pairs(), false, false, false);
        // the daemon's console: one line per run
        app.runs().console(new ConsoleLines(Messages.of(Messages.Language.FR), ZoneId.of("Europe/Paris"),
                Path.of("unused"), "@unused", true, null, System::currentTimeMillis, 5_000));

        assertThat(app.runOnceStandalone(null)).isZero();

        List<String> runs = console.stream().filter(l -> l.startsWith("[")).toList();
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0)).matches("\\[\\d\\d:\\d\\d] Paire fr : ✅ .*")
                .contains(dir.resolve("reports/fr").resolve("import_report_").toString());
        assertThat(runs.get(1)).matches("\\[\\d\\d:\\d\\d] Paire en : ✅ .*")
                .contains(dir.resolve("reports/en").resolve("import_report_").toString());

        List<String> start = app.daemonStartLines("");
        assertThat(start).hasSize(3);
        assertThat(start.get(0)).startsWith("▶ Service de synchronisation démarré pour 2 paires")
                .endsWith("Ctrl+C pour l'arrêter.");
        assertThat(start.get(1)).isEqualTo("   Paire fr : mode TEST, planification « 0 0/15 * * * ? »");
        assertThat(start.get(2)).isEqualTo("   Paire en : mode TEST, planification « 0 5/15 * * * ? »");
    }

    @Test
    void theSinglePairsDaemonStartLineIsTodays() throws Exception {
        h = new SyncHarness(dir, PairsScenarioTest.seed());
        SyncApplication app = new SyncApplication(h.settings(), false, false);
        assertThat(app.daemonStartLines("")).containsExactly("▶ Service de synchronisation démarré, mode TEST : "
                + "synchronise selon la planification « 0 0/15 * * * ? ». Ctrl+C pour l'arrêter.");
    }
}

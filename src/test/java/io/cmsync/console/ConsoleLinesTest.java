package io.cmsync.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cmsync.i18n.Messages;

/** The console's progress lines: how often, in which words, on a terminal or not, in the daemon or not. */
class ConsoleLinesTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> console = new CopyOnWriteArrayList<>();
    private final List<String> fileOnly = new CopyOnWriteArrayList<>();
    private Capture consoleCapture;
    private Capture fileCapture;

    /** Keeps the messages of one logger. */
    private static final class Capture extends AbstractAppender {
        private final List<String> into;

        Capture(String name, List<String> into) {
            super(name, null, null, true, Property.EMPTY_ARRAY);
            this.into = into;
        }

        @Override
        public void append(LogEvent event) {
            into.add(event.getMessage().getFormattedMessage());
        }
    }

    @BeforeEach
    void capture() {
        consoleCapture = attach(ConsoleLines.CONSOLE_LOGGER, new Capture("test-console", console));
        fileCapture = attach(ConsoleLines.FILE_LOGGER, new Capture("test-file", fileOnly));
    }

    private static Capture attach(String logger, Capture capture) {
        capture.start();
        var l = (org.apache.logging.log4j.core.Logger) LogManager.getLogger(logger);
        l.addAppender(capture);
        l.setLevel(org.apache.logging.log4j.Level.INFO);
        return capture;
    }

    @AfterEach
    void detach() {
        ((org.apache.logging.log4j.core.Logger) LogManager.getLogger(ConsoleLines.CONSOLE_LOGGER)).removeAppender(consoleCapture);
        ((org.apache.logging.log4j.core.Logger) LogManager.getLogger(ConsoleLines.FILE_LOGGER)).removeAppender(fileCapture);
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
    }

    private ConsoleLines lines(Messages.Language language, boolean daemon, PrintStream terminal) {
        return new ConsoleLines(Messages.of(language), ZoneId.of("Europe/Paris"), Path.of("reports"), "@exemple",
                daemon, terminal, now::get, 5_000);
    }

    @Test
    void redirectedOutputGetsAPlainLineAtMostEveryInterval() {
        ConsoleLines c = lines(Messages.Language.FR, false, null);
        for (int page = 1; page <= 30; page++) {
            now.addAndGet(1_000); // a page a second
            c.mailchimpRead(page * 1000L, 30_000);
        }
        c.written(1, 2); // next stage: the reading's last count is printed

        assertThat(console).containsExactly(
                "Lecture Mailchimp : 6000 membres lus sur 30000 (20 %)",
                "Lecture Mailchimp : 11000 membres lus sur 30000 (36 %)",
                "Lecture Mailchimp : 16000 membres lus sur 30000 (53 %)",
                "Lecture Mailchimp : 21000 membres lus sur 30000 (70 %)",
                "Lecture Mailchimp : 26000 membres lus sur 30000 (86 %)",
                "Lecture Mailchimp : 30000 membres lus sur 30000 (100 %)");
    }

    @Test
    void aShortStageIsOneLineAndCoppersUpperBoundNeverClaimsAHundredPercent() {
        ConsoleLines c = lines(Messages.Language.FR, false, null);
        c.copperRead(200, 1000);
        c.copperRead(290, 1000);
        c.mailchimpRead(1, 1);
        c.written(3, 3);
        c.lockHeld("data/sync.lock"); // not a stage: the writing goes on

        assertThat(console).containsExactly("Lecture Copper : 290 personnes lues",
                "Lecture Mailchimp : 1 membre lu sur 1 (100 %)",
                "⏭️ Une autre synchronisation est en cours (verrou data/sync.lock) : celle-ci n'a rien fait ; "
                        + "relancez-la plus tard.");
    }

    @Test
    void inEnglish() {
        ConsoleLines c = lines(Messages.Language.EN, false, null);
        c.copperRead(1, -1);
        c.written(0, 2);
        c.lockHeld("x");
        c.copperRead(2, -1);

        assertThat(console).containsExactly("Reading Copper: 1 person read",
                "⏭️ Another sync is running (lock x): this one did nothing; run it again later.",
                "Writing: 0 writes done of 2 (0 %)");
    }

    @Test
    void aTerminalGetsABarRedrawnInPlaceThenTheStagesLine() {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        ConsoleLines c = lines(Messages.Language.FR, false, new PrintStream(screen, true, StandardCharsets.UTF_8));
        c.written(1, 4);
        now.addAndGet(100);
        c.written(2, 4); // too soon to redraw
        now.addAndGet(300);
        c.written(3, 4);
        c.copperRead(10, -1);

        String drawn = screen.toString(StandardCharsets.UTF_8);
        assertThat(drawn).contains("\rÉcriture [" + "#".repeat(7) + ".".repeat(23) + "] 25 % (1/4)")
                .doesNotContain("(2/4)")
                // the bar is wiped before the stage's line, then the next stage draws its own
                .contains("\rÉcriture [" + "#".repeat(22) + ".".repeat(8) + "] 75 % (3/4)\u001b[K\r\u001b[K"
                        + "\rLecture Copper … 10");
        assertThat(console).containsExactly("Écriture : 3 écritures faites sur 4 (75 %)");
    }

    @Test
    void theDaemonKeepsProgressOutOfTheConsole() {
        ConsoleLines c = lines(Messages.Language.FR, true, new PrintStream(new ByteArrayOutputStream()));
        c.copperRead(10, -1);
        now.addAndGet(60_000);
        c.mailchimpRead(5, 10);
        c.written(2, 2);
        c.copperRead(1, -1);

        assertThat(console).isEmpty();
        assertThat(fileOnly).containsExactly("Lecture Copper : 10 personnes lues",
                "Lecture Mailchimp : 5 membres lus sur 10 (50 %)", "Écriture : 2 écritures faites sur 2 (100 %)");
    }

    @Test
    void anOutagesRetryIsOneLineAndThrottlingIsSilent() {
        var retries = lines(Messages.Language.FR, false, null).retries();
        retries.retrying("Mailchimp", "GET lists/{list_id}/members", 503, 2, 4, 4_000);
        retries.retrying("Copper", "POST people/search", 429, 2, 4, 60_000);
        retries.retrying("Copper", "POST people/search", 0, 3, 4, 1_250);

        assertThat(console).containsExactly("Mailchimp ne répond pas (503), nouvel essai dans 4 s (2/4)",
                "Copper ne répond pas, nouvel essai dans 1,3 s (3/4)");

        lines(Messages.Language.EN, true, null).retries().retrying("Mailchimp", "GET ping", 502, 2, 3, 500);
        assertThat(console).hasSize(2);
        assertThat(fileOnly).containsExactly("Mailchimp is not answering (502), trying again in 0.5 s (2/3)");
    }
}

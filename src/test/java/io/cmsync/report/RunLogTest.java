package io.cmsync.report;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RunLogTest {

    private static final Clock FIXED = Clock.fixed(Instant.parse("2025-07-07T12:23:07Z"), ZoneId.of("Europe/Paris"));

    @Test
    void linesHaveTimestampIconAndMessage() {
        RunLog log = new RunLog(FIXED, "run-1", ReportLanguage.FR);
        log.info("Démarrage de la synchronisation");
        log.success("Contact créé dans Copper: test3@exemple.fr");
        log.warn("Page Copper lente");
        log.error("Échec pour b@exemple.fr");
        log.skip("Contact identique ignoré: test5@exemple.fr");

        assertThat(log.lines()).containsExactly(
                "2025-07-07 14:23:07 ℹ️ Démarrage de la synchronisation",
                "2025-07-07 14:23:07 ✅ Contact créé dans Copper: test3@exemple.fr",
                "2025-07-07 14:23:07 ⚠️ Page Copper lente",
                "2025-07-07 14:23:07 ❌ Échec pour b@exemple.fr",
                "2025-07-07 14:23:07 ⏭️ Contact identique ignoré: test5@exemple.fr");
        assertThat(log.text()).isEqualTo(String.join("\n", log.lines()) + "\n");
        assertThat(log.warningCount()).isEqualTo(1);
        assertThat(log.errorCount()).isEqualTo(1);
    }

    /** Issue 14: a line's own times are in the log's zone, without the ISO offset (« +00:00 » in a Paris line). */
    @Test
    void timesInsideALineAreInTheLogsZoneAndWordsInItsLanguage() {
        RunLog fr = new RunLog(FIXED, "run-1", ReportLanguage.FR);
        fr.say(RunLog.Level.INFO, "report.log.incremental", fr.time(Instant.parse("2025-07-07T10:00:00Z")),
                fr.time(Instant.parse("2025-07-07T11:30:00Z")));
        assertThat(fr.lines()).containsExactly("2025-07-07 14:23:07 ℹ️ Synchronisation incrémentale: changements Copper "
                + "depuis 2025-07-07 12:00:00, Mailchimp depuis 2025-07-07 13:30:00");
        RunLog en = new RunLog(FIXED, "run-1", ReportLanguage.EN);
        en.say(RunLog.Level.INFO, "report.log.end", 1, 0);
        assertThat(en.lines()).containsExactly("2025-07-07 14:23:07 ℹ️ Sync finished: 1 operation, 0 errors");
    }

    @Test
    void iconsIncludeTheVariationSelectorLikeTheOldTool() {
        assertThat(RunLog.Level.INFO.icon()).isEqualTo("\u2139\uFE0F");
        assertThat(RunLog.Level.WARN.icon()).isEqualTo("\u26A0\uFE0F");
        assertThat(RunLog.Level.SKIP.icon()).isEqualTo("\u23ED\uFE0F");
        assertThat(RunLog.Level.SUCCESS.icon()).isEqualTo("\u2705");
        assertThat(RunLog.Level.ERROR.icon()).isEqualTo("\u274C");
    }

    @Test
    void timestampFollowsTheClockZone() {
        RunLog log = new RunLog(Clock.fixed(Instant.parse("2025-12-31T23:59:59Z"), ZoneOffset.UTC), null, null);
        log.info("x");
        assertThat(log.lines()).containsExactly("2025-12-31 23:59:59 ℹ️ x");
    }

    @Test
    void timingLines() {
        RunLog fr = new RunLog(FIXED, null, ReportLanguage.FR);
        fr.timing("lecture Copper", Duration.ofMillis(1250));
        fr.timing("plan", Duration.ofMillis(42));
        fr.timing("écriture Mailchimp", Duration.ofSeconds(185));
        assertThat(fr.lines()).containsExactly(
                "2025-07-07 14:23:07 ℹ️ Durée - lecture Copper: 1.25 s",
                "2025-07-07 14:23:07 ℹ️ Durée - plan: 42 ms",
                "2025-07-07 14:23:07 ℹ️ Durée - écriture Mailchimp: 3 min 05 s");

        RunLog en = new RunLog(FIXED, null, ReportLanguage.EN);
        en.timing("read Copper", Duration.ofHours(1).plusMinutes(2).plusSeconds(3));
        assertThat(en.lines()).containsExactly("2025-07-07 14:23:07 ℹ️ Duration - read Copper: 1 h 02 min 03 s");
    }

    @Test
    void errorWithCauseAppendsItsMessage() {
        RunLog log = new RunLog(FIXED, null, ReportLanguage.FR);
        log.error("Appel Mailchimp en échec", new IllegalStateException("HTTP 500"));
        log.error("Sans cause", null);
        assertThat(log.lines()).containsExactly(
                "2025-07-07 14:23:07 ❌ Appel Mailchimp en échec: HTTP 500",
                "2025-07-07 14:23:07 ❌ Sans cause");
    }

    @Test
    void runIdInMdcIsRestoredAfterLogging() {
        MDC.put(RunLog.MDC_RUN_ID, "outer");
        try {
            new RunLog(FIXED, "inner", ReportLanguage.FR).info("x");
            assertThat(MDC.get(RunLog.MDC_RUN_ID)).isEqualTo("outer");
        } finally {
            MDC.remove(RunLog.MDC_RUN_ID);
        }
        new RunLog(FIXED, "inner", ReportLanguage.FR).info("y");
        assertThat(MDC.get(RunLog.MDC_RUN_ID)).isNull();
    }

    @Test
    void linesFromSeveralThreadsStayWhole() throws Exception {
        RunLog log = new RunLog(FIXED, "run-2", ReportLanguage.FR);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < 250; i++) {
                    log.success("t" + thread + " n" + i);
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        List<String> lines = log.lines();
        assertThat(lines).hasSize(1000);
        assertThat(lines).allMatch(l -> l.matches("2025-07-07 14:23:07 ✅ t\\d n\\d+"));
        assertThat(log.text().split("\n")).hasSize(1000);
        // each thread's lines keep their order
        for (int t = 0; t < 4; t++) {
            String prefix = "2025-07-07 14:23:07 ✅ t" + t + " n";
            List<Integer> seq = lines.stream().filter(l -> l.startsWith(prefix))
                    .map(l -> Integer.parseInt(l.substring(prefix.length()))).toList();
            assertThat(seq).hasSize(250).isSorted();
        }
    }

    @Test
    void emptyLogHasEmptyText() {
        assertThat(new RunLog().text()).isEmpty();
    }

    @Test
    void aLargeLogMovesToATemporaryFileAndStreamsBackWhole() {
        RunLog log = new RunLog(FIXED, null, ReportLanguage.FR, 3);
        for (int i = 1; i <= 5; i++) {
            log.info("ligne " + i);
        }
        log.warn("attention");

        assertThat(log.lines()).hasSize(6).last().asString().endsWith("⚠️ attention");
        assertThat(log.warningCount()).isEqualTo(1);
        java.io.StringWriter out = new java.io.StringWriter();
        log.writeTo(out, line -> line.replace("ligne", "LIGNE"));
        assertThat(out.toString().split("\n")).hasSize(6).allMatch(l -> !l.contains("ligne"));
        assertThat(log.text()).contains("ℹ️ ligne 1\n").endsWith("⚠️ attention\n");
        log.discard();
    }

    @Test
    void controlCharactersFromTheApisAreEscapedNeverWrittenRaw() {
        assertThat(RunLog.escapeControls("Esc\u001B[2J Nul\u0000 tab\tok")).isEqualTo("Esc\\u001b[2J Nul\\u0000 tab\tok");
        assertThat(RunLog.escapeControls("rien à changer")).isEqualTo("rien à changer");
    }
}

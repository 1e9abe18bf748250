package io.cmsync.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonReportFormatterTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void fieldsReadBackWithJackson() throws Exception {
        String json = JsonReportFormatter.format(ReportFixtures.everything());
        JsonNode root = mapper.readTree(json);

        assertThat(json).contains("\n  \"runId\""); // pretty-printed
        assertThat(root.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(root.get("runId").asText()).isEqualTo("run-42");
        assertThat(Instant.parse(root.get("startedAt").asText())).isEqualTo(ReportFixtures.EXAMPLE_START);
        assertThat(root.get("startedAt").asText()).isEqualTo("2025-07-07T12:23:07Z");
        assertThat(root.get("finishedAt").asText()).isEqualTo("2025-07-07T12:24:30Z");
        assertThat(root.get("durationMillis").asLong()).isEqualTo(83_000);
        assertThat(root.get("mode").asText()).isEqualTo("PRODUCTION");
        assertThat(root.get("testMode").asBoolean()).isFalse();
        assertThat(root.get("dryRun").asBoolean()).isFalse();
        assertThat(root.get("nothingToSync").asBoolean()).isFalse();

        JsonNode summary = root.get("summary");
        assertThat(summary.get("totalOperations").asInt()).isEqualTo(3);
        assertThat(summary.get("success").asInt()).isEqualTo(1);
        assertThat(summary.get("errors").asInt()).isEqualTo(2);
        assertThat(summary.get("successRate").asDouble()).isEqualTo(33.3);
        assertThat(summary.get("copperToMailchimp").asInt()).isEqualTo(1);
        assertThat(summary.get("mailchimpToCopper").asInt()).isZero();
        assertThat(summary.get("identicalSkipped").asInt()).isEqualTo(7);
        assertThat(summary.get("notSynced").asInt()).isEqualTo(2);
        assertThat(summary.get("forgottenNew").asInt()).isEqualTo(1);

        JsonNode op = root.get("operations").get(0);
        assertThat(op.get("email").asText()).isEqualTo("anne@exemple.fr");
        assertThat(op.get("direction").asText()).isEqualTo("COPPER_TO_MAILCHIMP");
        assertThat(op.get("directionLabel").asText()).isEqualTo("Copper → Mailchimp");
        assertThat(op.get("operation").asText()).isEqualTo("mise à jour");
        assertThat(op.get("tagsSynced")).extracting(JsonNode::asText).containsExactly("VIP", "Salon 2025");
        assertThat(op.get("error").isNull()).isTrue();
        assertThat(root.get("operations").get(1).get("error").asText()).isEqualTo("HTTP 422: Invalid Resource");

        assertThat(root.get("flagged").get(0).get("matchedTag").asText()).isEqualTo("🗑️ À SUPPRIMER");
        assertThat(root.get("forgotten").get(0).get("resubscribeLink").asText()).contains("gone%40exemple.fr");
        assertThat(root.get("forgotten").get(0).get("newlyDetected").asBoolean()).isTrue();
        assertThat(root.get("resubscribed").get(0).get("email").asText()).isEqualTo("back@exemple.fr");
        assertThat(root.get("conflicts").get(0).get("winner").asText()).isEqualTo("mailchimp");
        assertThat(root.get("notSynced")).hasSize(2);
        assertThat(root.get("notSynced").get(1).get("reason").asText()).isEqualTo("e-mail en double (2 personnes)");
        assertThat(root.get("excluded").get(0).get("side").asText()).isEqualTo("Copper");
        assertThat(root.get("recommendedActions")).extracting(JsonNode::asText)
                .containsExactly("CHECK_ERRORS", "FIX_NOT_SYNCED", "SEND_RESUBSCRIBE_LINKS", "REVIEW_FLAGGED",
                        "REVIEW_CONFLICTS");
        assertThat(root.get("generatedFiles")).hasSize(2);
    }

    @Test
    void roundTripGivesTheSameReport() {
        RunReport original = ReportFixtures.everything();
        assertThat(JsonReportFormatter.parse(JsonReportFormatter.format(original))).isEqualTo(original);

        RunReport minimal = new RunReport(null, Instant.parse("2026-01-02T03:04:05.123Z"), null, true, true,
                List.of(), 0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        assertThat(JsonReportFormatter.parse(JsonReportFormatter.format(minimal))).isEqualTo(minimal);
    }

    @Test
    void recordIdsOfFixItEntriesAreKeptAndReadBack() throws Exception {
        RunReport r = RunReport.builder("r", ReportFixtures.EXAMPLE_START)
                .notSynced(new NotSyncedEntry("dup@exemple.fr", "copper", "adresse e-mail en double dans Copper", "101"))
                .excluded(new ExcludedEntry("a@exemple.fr", "mailchimp", "statut Mailchimp unsubscribed", "hash")).build();
        String json = JsonReportFormatter.format(r);
        assertThat(mapper.readTree(json).get("notSynced").get(0).get("id").asText()).isEqualTo("101");
        assertThat(JsonReportFormatter.parse(json)).isEqualTo(r);
    }

    @Test
    void anAbortedRunKeepsItsReasonAndIsNotNothingToSync() throws Exception {
        RunReport aborted = RunReport.builder("r1", ReportFixtures.EXAMPLE_START).abortedReason("Copper a refusé").build();
        JsonNode root = mapper.readTree(JsonReportFormatter.format(aborted));
        assertThat(root.get("abortedReason").asText()).isEqualTo("Copper a refusé");
        assertThat(root.get("nothingToSync").asBoolean()).isFalse();
        assertThat(JsonReportFormatter.parse(JsonReportFormatter.format(aborted))).isEqualTo(aborted);
        assertThat(TextReportFormatter.format(aborted, ReportLanguage.FR, java.time.ZoneOffset.UTC))
                .contains("❌ SYNCHRONISATION INTERROMPUE: Copper a refusé")
                .doesNotContain("Aucune synchronisation nécessaire");
    }

    @Test
    void everyKeyIsPresentEvenWhenEmpty() throws Exception {
        RunReport empty = RunReport.builder(null, ReportFixtures.EXAMPLE_START).testMode(true).build();
        JsonNode root = mapper.readTree(JsonReportFormatter.format(empty));

        assertThat(root.fieldNames()).toIterable().containsExactly("schemaVersion", "runId", "startedAt",
                "finishedAt", "durationMillis", "mode", "testMode", "dryRun", "nothingToSync", "abortedReason", "summary",
                "operations", "flagged", "forgotten", "resubscribed", "conflicts", "notSynced", "excluded",
                "recommendedActions", "generatedFiles");
        assertThat(root.get("runId").isNull()).isTrue();
        assertThat(root.get("finishedAt").isNull()).isTrue();
        assertThat(root.get("durationMillis").isNull()).isTrue();
        assertThat(root.get("mode").asText()).isEqualTo("TEST");
        assertThat(root.get("nothingToSync").asBoolean()).isTrue();
        assertThat(root.get("summary").get("successRate").asDouble()).isEqualTo(100.0);
        assertThat(root.get("operations").isArray()).isTrue();
        assertThat(root.get("operations")).isEmpty();
        assertThat(root.get("recommendedActions").get(0).asText()).isEqualTo("NONE");
    }

    @Test
    void successRateIsRoundedToOneDecimal() throws Exception {
        RunReport r = RunReport.builder("r", ReportFixtures.EXAMPLE_START)
                .operation(ReportFixtures.ok("a@x.fr", io.cmsync.sync.Direction.COPPER_TO_MAILCHIMP, "A"))
                .operation(ReportFixtures.ok("b@x.fr", io.cmsync.sync.Direction.COPPER_TO_MAILCHIMP, "B"))
                .operation(ReportFixtures.failed("c@x.fr", io.cmsync.sync.Direction.COPPER_TO_MAILCHIMP, "C", "x"))
                .build();
        JsonNode summary = mapper.readTree(JsonReportFormatter.format(r)).get("summary");
        assertThat(summary.get("successRate").decimalValue()).isEqualByComparingTo("66.7");
    }

    @Test
    void parseRejectsWhatIsNotAReport() {
        assertThatThrownBy(() -> JsonReportFormatter.parse("not json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonReportFormatter.parse("{\"runId\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startedAt");
        assertThatThrownBy(() -> JsonReportFormatter.parse(
                "{\"startedAt\":\"2025-01-01T00:00:00Z\",\"operations\":[{\"direction\":\"SIDEWAYS\"}]}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

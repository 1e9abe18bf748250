package io.cmsync.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmsync.sync.Conflict;
import io.cmsync.sync.Direction;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code import_report_*.json} file: the same content as the text report, machine-readable. Shape
 * ({@value #SCHEMA_VERSION}; every key is always present, absent values are {@code null}, lists may be empty):
 * <pre>
 * {
 *   "schemaVersion": 1,
 *   "runId": "…" | null,
 *   "startedAt": "2025-07-07T12:23:07Z",          // ISO-8601 UTC instants
 *   "finishedAt": "…" | null,
 *   "durationMillis": 1234 | null,
 *   "mode": "TEST" | "PRODUCTION",
 *   "testMode": true, "dryRun": false, "nothingToSync": false,
 *   "summary": { "totalOperations", "success", "errors", "successRate" (one decimal),
 *                "copperToMailchimp", "mailchimpToCopper" (successful writes), "identicalSkipped", "excluded",
 *                "flagged", "notSynced", "conflicts", "forgotten", "forgottenNew", "resubscribed",
 *                "unlisted": { "operations", "flagged", "forgotten", "resubscribed", "conflicts", "notSynced",
 *                              "excluded" } },   // counted above but not in the lists below (0 unless a large
 *                                                // run went past report.max-detailed-entries)
 *   "operations":   [ { "email", "direction": "COPPER_TO_MAILCHIMP" | "MAILCHIMP_TO_COPPER",
 *                       "directionLabel": "Copper → Mailchimp", "operation", "success", "name",
 *                       "tagsSynced": [..], "error", "resubscribeLink" } ],
 *   "flagged":      [ { "email", "name", "matchedTag" } ],
 *   "forgotten":    [ { "email", "name", "resubscribeLink", "newlyDetected" } ],
 *   "resubscribed": [ { "email" } ],
 *   "conflicts":    [ { "email", "field", "copperValue", "mailchimpValue", "winner" } ],
 *   "notSynced":    [ { "email", "side", "reason", "id"? } ],   // id: Copper person id or Mailchimp subscriber hash
 *   "excluded":     [ { "email", "side", "reason", "id"? } ],
 *   "recommendedActions": [ "CHECK_ERRORS", … ]   // RecommendedAction names
 *   "generatedFiles": [ "…" ]
 * }
 * </pre>
 * {@link #parse(String)} reads it back into a {@link RunReport}.
 */
public final class JsonReportFormatter {

    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReportFormatter() {
    }

    /** Pretty-printed JSON of {@code report}. */
    public static String format(RunReport report) {
        try {
            return MAPPER.writeValueAsString(toTree(report));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report as a Jackson tree, in the documented shape. */
    public static ObjectNode toTree(RunReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("runId", r.runId());
        root.put("startedAt", r.startedAt().toString());
        root.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        if (r.duration().isPresent()) {
            root.put("durationMillis", r.duration().get().toMillis());
        } else {
            root.putNull("durationMillis");
        }
        root.put("mode", r.testMode() ? "TEST" : "PRODUCTION");
        root.put("testMode", r.testMode());
        root.put("dryRun", r.dryRun());
        root.put("nothingToSync", r.nothingToSync());
        root.put("abortedReason", r.abortedReason());

        ObjectNode summary = root.putObject("summary");
        summary.put("totalOperations", r.totalOperations());
        summary.put("success", r.successCount());
        summary.put("errors", r.errorCount());
        summary.put("successRate", BigDecimal.valueOf(r.successRate()).setScale(1, RoundingMode.HALF_UP));
        summary.put("copperToMailchimp", r.copperToMailchimpCount());
        summary.put("mailchimpToCopper", r.mailchimpToCopperCount());
        summary.put("identicalSkipped", r.identicalSkipped());
        summary.put("excluded", r.excludedCount());
        summary.put("flagged", r.flaggedCount());
        summary.put("notSynced", r.notSyncedCount());
        summary.put("conflicts", r.conflictCount());
        summary.put("forgotten", r.forgottenCount());
        summary.put("forgottenNew", r.newlyForgottenCount());
        summary.put("resubscribed", r.resubscribedCount());
        // a large run lists the first entries of each list only (report.max-detailed-entries): how many are left out
        ObjectNode unlisted = summary.putObject("unlisted");
        unlisted.put("operations", r.unlistedOperations());
        unlisted.put("flagged", r.flaggedCount() - r.flagged().size());
        unlisted.put("forgotten", r.forgottenCount() - r.forgotten().size());
        unlisted.put("resubscribed", r.resubscribedCount() - r.resubscribed().size());
        unlisted.put("conflicts", r.conflictCount() - r.conflicts().size());
        unlisted.put("notSynced", r.notSyncedCount() - r.notSynced().size());
        unlisted.put("excluded", r.excludedCount() - r.excluded().size());

        ArrayNode ops = root.putArray("operations");
        for (OperationOutcome o : r.operations()) {
            ObjectNode n = ops.addObject();
            n.put("email", o.email());
            n.put("direction", o.direction().name());
            n.put("directionLabel", o.direction().label());
            n.put("operation", o.operation());
            n.put("success", o.success());
            n.put("name", o.name());
            ArrayNode tags = n.putArray("tagsSynced");
            o.tagsSynced().forEach(tags::add);
            if (!o.fieldsSynced().isEmpty()) { // with a field mapping only: the default report keeps its shape
                ArrayNode fields = n.putArray("fieldsSynced");
                o.fieldsSynced().forEach(fields::add);
            }
            n.put("error", o.error());
            n.put("resubscribeLink", o.resubscribeLink());
        }
        array(root, "flagged", r.flagged(), (n, e) -> {
            n.put("email", e.email());
            n.put("name", e.name());
            n.put("matchedTag", e.matchedTag());
        });
        array(root, "forgotten", r.forgotten(), (n, e) -> {
            n.put("email", e.email());
            n.put("name", e.name());
            n.put("resubscribeLink", e.resubscribeLink());
            n.put("newlyDetected", e.newlyDetected());
        });
        array(root, "resubscribed", r.resubscribed(), (n, e) -> n.put("email", e.email()));
        array(root, "conflicts", r.conflicts(), (n, c) -> {
            n.put("email", c.email());
            n.put("field", c.field());
            n.put("copperValue", c.copperValue());
            n.put("mailchimpValue", c.mailchimpValue());
            n.put("winner", c.winner());
        });
        if (r.refusedTotal() > 0) { // only with a field mapping: the report of a default mapping keeps its shape
            root.put("refusedValuesTotal", r.refusedTotal());
            array(root, "refusedValues", r.refused(), (n, e) -> {
                n.put("email", e.email());
                n.put("side", e.side());
                n.put("field", e.field());
                n.put("value", e.value());
                n.put("reason", e.reason());
                n.put("id", e.id());
            });
        }
        array(root, "notSynced", r.notSynced(), (n, e) -> {
            n.put("email", e.email());
            n.put("side", e.side());
            n.put("reason", e.reason());
            if (e.id() != null) {
                n.put("id", e.id());
            }
        });
        array(root, "excluded", r.excluded(), (n, e) -> {
            n.put("email", e.email());
            n.put("side", e.side());
            n.put("reason", e.reason());
            if (e.id() != null) {
                n.put("id", e.id());
            }
        });
        ArrayNode actions = root.putArray("recommendedActions");
        r.recommendedActions().forEach(a -> actions.add(a.name()));
        ArrayNode files = root.putArray("generatedFiles");
        r.generatedFiles().forEach(files::add);
        return root;
    }

    /**
     * Reads a report written by {@link #format(RunReport)} back (derived fields such as the summary are
     * recomputed, not read).
     *
     * @throws IllegalArgumentException when the text is not such a report
     */
    public static RunReport parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a JSON report: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.hasNonNull("startedAt")) {
            throw new IllegalArgumentException("Not a JSON report: no startedAt");
        }
        try {
            RunReport report = new RunReport(
                    text(root, "runId"),
                    Instant.parse(root.get("startedAt").asText()),
                    root.hasNonNull("finishedAt") ? Instant.parse(root.get("finishedAt").asText()) : null,
                    root.path("testMode").asBoolean(),
                    root.path("dryRun").asBoolean(),
                    list(root, "operations", n -> new OperationOutcome(
                            text(n, "email"), Direction.valueOf(n.path("direction").asText()), text(n, "operation"),
                            n.path("success").asBoolean(), text(n, "name"), strings(n.path("tagsSynced")),
                            text(n, "error"), text(n, "resubscribeLink"))),
                    root.path("summary").path("identicalSkipped").asInt(),
                    list(root, "excluded", n -> new ExcludedEntry(text(n, "email"), text(n, "side"),
                            text(n, "reason"), n.hasNonNull("id") ? n.get("id").asText() : null)),
                    list(root, "flagged", n -> new FlaggedEntry(text(n, "email"), text(n, "name"),
                            text(n, "matchedTag"))),
                    list(root, "notSynced", n -> new NotSyncedEntry(text(n, "email"), text(n, "side"),
                            text(n, "reason"), n.hasNonNull("id") ? n.get("id").asText() : null)),
                    list(root, "conflicts", n -> new Conflict(text(n, "email"), text(n, "field"),
                            text(n, "copperValue"), text(n, "mailchimpValue"), text(n, "winner"))),
                    list(root, "forgotten", n -> new ForgottenEntry(text(n, "email"), text(n, "name"),
                            text(n, "resubscribeLink"), n.path("newlyDetected").asBoolean())),
                    list(root, "resubscribed", n -> new ResubscribedEntry(text(n, "email"))),
                    strings(root.path("generatedFiles")),
                    root.hasNonNull("abortedReason") ? root.get("abortedReason").asText() : null);
            return withTotals(report, root);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Malformed JSON report: " + e.getMessage(), e);
        }
    }

    /** A report with unlisted entries: its counts come from the summary. */
    private static RunReport withTotals(RunReport report, JsonNode root) {
        boolean capped = false;
        for (JsonNode n : root.path("summary").path("unlisted")) {
            capped |= n.asLong() > 0;
        }
        if (!capped) {
            return report;
        }
        JsonNode s = root.path("summary");
        long c2mErrors = report.operations().stream()
                .filter(o -> !o.success() && o.direction() == Direction.COPPER_TO_MAILCHIMP).count();
        return report.withTotals(new RunReport.Totals(s.path("copperToMailchimp").asLong(), c2mErrors,
                s.path("mailchimpToCopper").asLong(), Math.max(0, s.path("errors").asLong() - c2mErrors),
                s.path("excluded").asLong(), s.path("flagged").asLong(), s.path("notSynced").asLong(),
                s.path("conflicts").asLong(), s.path("forgotten").asLong(), s.path("forgottenNew").asLong(),
                s.path("resubscribed").asLong()));
    }

    private interface Filler<T> {
        void fill(ObjectNode node, T value);
    }

    private static <T> void array(ObjectNode root, String name, List<T> values, Filler<T> filler) {
        ArrayNode array = root.putArray(name);
        values.forEach(v -> filler.fill(array.addObject(), v));
    }

    private static <T> List<T> list(JsonNode root, String name, Function<JsonNode, T> reader) {
        List<T> out = new ArrayList<>();
        root.path(name).forEach(n -> out.add(reader.apply(n)));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}

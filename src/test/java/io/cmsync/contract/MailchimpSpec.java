package io.cmsync.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The official Mailchimp Marketing API Swagger 2.0 document, trimmed to the operations the product and the sandbox
 * use ({@code src/test/resources/contract/mailchimp-sync-operations.swagger2.json}, schemas verbatim), and the
 * Atlassian swagger-request-validator built over it.
 *
 * <p>The validator runs with its defaults: unknown properties in a response or request body are errors (it adds
 * {@code additionalProperties: false} to every schema that does not say otherwise), so a renamed or invented field
 * fails the contract.
 */
final class MailchimpSpec {
    static final String RESOURCE = "/contract/mailchimp-sync-operations.swagger2.json";
    static final String BASE_PATH = "/3.0";

    record Operation(String method, String template, Pattern regex, int literals) {
        String key() {
            return method + " " + template;
        }
    }

    private static final String TEXT = read();
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createFor(load())
            .withBasePathOverride(BASE_PATH)
            .build();
    static final List<Operation> OPERATIONS = operations();

    /** Operation key → outcomes seen valid: "2xx" and/or "default" (error responses). */
    private static final Map<String, Set<String>> COVERAGE = new ConcurrentHashMap<>();

    private MailchimpSpec() {
    }

    private static String read() {
        try (InputStream in = MailchimpSpec.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the Swagger 2.0 text the way the validator would (swagger-parser, converted to OpenAPI 3) and repairs one
     * artefact of the conversion: a typeless {@code additionalProperties} schema (the spec's {@code merge_fields}:
     * "keys are merge tags, values are the values") comes out as {@code type: object}, which would refuse every
     * string merge value. A typeless schema accepts any value; the converted one gets its type removed again.
     */
    private static OpenAPI load() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(TEXT, null, options);
        if (result.getOpenAPI() == null || (result.getMessages() != null && !result.getMessages().isEmpty())) {
            throw new IllegalStateException("the contract spec does not parse: " + result.getMessages());
        }
        OpenAPI api = result.getOpenAPI();
        Set<Schema<?>> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        api.getPaths().values().forEach(item -> item.readOperations().forEach(op -> {
            if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
                op.getRequestBody().getContent().values().forEach(mt -> untypeFreeFormValues(mt.getSchema(), seen));
            }
            op.getResponses().values().forEach(r -> {
                if (r.getContent() != null) {
                    r.getContent().values().forEach(mt -> untypeFreeFormValues(mt.getSchema(), seen));
                }
            });
        }));
        return api;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void untypeFreeFormValues(Schema<?> s, Set<Schema<?>> seen) {
        if (s == null || !seen.add(s)) {
            return;
        }
        if ("object".equals(s.getType()) && (s.getProperties() == null || s.getProperties().isEmpty())
                && s.getAdditionalProperties() == null
                && s.getItems() == null) {
            // an object schema that lists no property is free-form in JSON Schema (e.g. the batch operation's
            // "params": "Any request query parameters"); the validator's strict mode would allow only {}
            s.setAdditionalProperties(true);
            return;
        }
        if (s.getAdditionalProperties() instanceof Schema ap) {
            if ("object".equals(ap.getType()) && ap.getProperties() == null && ap.getAdditionalProperties() == null) {
                Schema any = new Schema();
                any.setDescription(ap.getDescription());
                s.setAdditionalProperties(any);
            } else {
                untypeFreeFormValues(ap, seen);
            }
        }
        if (s.getProperties() != null) {
            s.getProperties().values().forEach(p -> untypeFreeFormValues((Schema<?>) p, seen));
        }
        if (s.getItems() != null) {
            untypeFreeFormValues(s.getItems(), seen);
        }
        for (List<Schema> list : new List[] {s.getAllOf(), s.getAnyOf(), s.getOneOf()}) {
            if (list != null) {
                list.forEach(x -> untypeFreeFormValues(x, seen));
            }
        }
    }

    private static List<Operation> operations() {
        try {
            JsonNode paths = Wire.JSON.readTree(TEXT).path("paths");
            List<Operation> ops = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                String template = p.getKey();
                String regex = "^" + template.replaceAll("\\{[^}/]+}", "[^/]+") + "$";
                int literals = template.replaceAll("\\{[^}/]+}", "").length();
                for (Iterator<String> m = p.getValue().fieldNames(); m.hasNext(); ) {
                    String method = m.next();
                    if (!method.equals("parameters")) {
                        ops.add(new Operation(method.toUpperCase(), template, Pattern.compile(regex), literals));
                    }
                }
            }
            return List.copyOf(ops);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The spec operation a request hits (path below {@code /3.0}), or null. */
    static Operation operation(String method, String fullPath) {
        String path = fullPath.startsWith(BASE_PATH) ? fullPath.substring(BASE_PATH.length()) : fullPath;
        Operation best = null;
        for (Operation op : OPERATIONS) {
            if (op.method().equals(method) && op.regex().matcher(path).matches()
                    && (best == null || op.literals() > best.literals())) {
                best = op;
            }
        }
        return best;
    }

    static SimpleRequest request(Wire.Exchange x) {
        SimpleRequest.Builder b = new SimpleRequest.Builder(x.method(), x.path());
        x.requestHeaders().forEach(b::withHeader);
        x.queryParams().forEach(b::withQueryParam);
        if (x.requestBody() != null) {
            b.withBody(x.requestBody());
        }
        return b.build();
    }

    static SimpleResponse response(Wire.Exchange x) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(x.status());
        x.responseHeaders().forEach((k, v) -> {
            if (k != null && !k.startsWith(":")) {
                b.withHeader(k, v);
            }
        });
        if (x.responseBody() != null && !x.responseBody().isEmpty()) {
            b.withBody(x.responseBody());
        }
        return b.build();
    }

    /** Error messages of the validation of the request and the response; empty = the exchange follows the spec. */
    static List<String> validate(Wire.Exchange x) {
        return messages(x, VALIDATOR.validate(request(x), response(x)), true);
    }

    /** Only the response (for requests that break the spec on purpose, e.g. a missing API key). */
    static List<String> validateResponse(Wire.Exchange x) {
        return messages(x, VALIDATOR.validateResponse(x.path(), Request.Method.valueOf(x.method()), response(x)), false);
    }

    /** Only the request (what a client sends), without a response. */
    static List<String> validateRequest(Wire.Exchange x) {
        List<String> out = new ArrayList<>();
        for (ValidationReport.Message m : VALIDATOR.validateRequest(request(x)).getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                out.add(format(m));
            }
        }
        return out;
    }

    private static List<String> messages(Wire.Exchange x, ValidationReport report, boolean withRequest) {
        List<String> out = new ArrayList<>();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR && !documentedErrorsArray(x, m) && !pendingBatchDate(x, m)) {
                out.add(format(m));
            }
        }
        Operation op = operation(x.method(), x.path());
        if (op == null) {
            out.add("no operation of the contract spec matches " + x.method() + " " + x.path());
        } else if (out.isEmpty()) {
            COVERAGE.computeIfAbsent(op.key(), k -> ConcurrentHashMap.newKeySet())
                    .add((x.status() >= 200 && x.status() < 300 ? "2xx" : "default") + (withRequest ? "" : "*"));
        }
        return out;
    }

    /**
     * The spec's ProblemDetailDocument does not forbid other members (the validator's strict mode does), and
     * Mailchimp's error documentation adds {@code errors: [{field, message}]} to validation errors
     * (reference/mailchimp/CONTRACT.md "Errors"). That one top-level member is accepted on error responses; its shape is
     * checked by {@link #problemErrorsShape}.
     */
    private static boolean documentedErrorsArray(Wire.Exchange x, ValidationReport.Message m) {
        return x.status() >= 400 && m.getKey().equals("validation.response.body.schema.additionalProperties")
                && !m.getMessage().contains("[Path") && m.getMessage().endsWith("[\"errors\"]");
    }

    /**
     * A batch that is not finished has {@code completed_at: ""} (observed, reference/mailchimp/CONTRACT.md §4.13,
     * mailchimp/APIv3-examples#26) although the spec gives the field the date-time format: that one empty value is
     * accepted on the batch responses.
     */
    private static boolean pendingBatchDate(Wire.Exchange x, ValidationReport.Message m) {
        Operation op = operation(x.method(), x.path());
        return op != null && op.template().startsWith("/batches") && x.status() == 200
                && m.getKey().equals("validation.response.body.schema.format.date-time")
                && m.getMessage().contains("[Path '/completed_at']") && m.getMessage().contains("String \"\" is invalid");
    }

    /** Problems in the {@code errors} array of a problem document: each item exactly {field: string, message: string}. */
    static List<String> problemErrorsShape(JsonNode problem) {
        List<String> out = new ArrayList<>();
        if (problem == null || !problem.has("errors")) {
            return out;
        }
        JsonNode errors = problem.get("errors");
        if (!errors.isArray()) {
            out.add("errors is not an array: " + errors);
            return out;
        }
        for (JsonNode e : errors) {
            Set<String> names = new TreeSet<>();
            e.fieldNames().forEachRemaining(names::add);
            if (!names.equals(Set.of("field", "message")) || !e.get("field").isTextual() || !e.get("message").isTextual()) {
                out.add("errors item is not {field: string, message: string}: " + e);
            }
        }
        return out;
    }

    private static String format(ValidationReport.Message m) {
        StringBuilder s = new StringBuilder("[").append(m.getKey()).append("] ").append(m.getMessage());
        m.getAdditionalInfo().forEach(i -> s.append(" | ").append(i));
        for (ValidationReport.Message n : m.getNestedMessages()) {
            s.append("\n      - ").append(format(n));
        }
        return s.toString();
    }

    /** Copy of the outcomes seen valid so far, operation key → outcomes ("2xx", "default"; "*" = response only). */
    static Map<String, Set<String>> coverage() {
        Map<String, Set<String>> out = new TreeMap<>();
        COVERAGE.forEach((k, v) -> out.put(k, new TreeSet<>(v)));
        return out;
    }
}

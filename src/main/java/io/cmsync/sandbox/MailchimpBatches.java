package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import io.cmsync.sandbox.Http.Req;
import io.cmsync.sandbox.Http.Resp;
import io.cmsync.sandbox.MailchimpApi.McError;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import static io.cmsync.sandbox.Http.obj;

/**
 * Mailchimp batch operations ({@code POST /batches}, {@code GET /batches/{batch_id}}, {@code GET /batches}; CONTRACT.md
 * §4.13). The operations of a batch are run when it is submitted, in the order sent, through the same Mailchimp
 * handlers as direct calls (same credentials; not counted, not faulted). The status then moves from {@code pending}
 * to {@code finished} over {@link #processingMs} (0: finished on the first GET). The results are a real gzipped tar
 * served by the admin side at {@code /_sandbox/batch-results/<id>.tar.gz?expires=<epoch s>} (like S3's pre-signed
 * URL: no credentials, not counted, valid 10 minutes; 403 after).
 */
final class MailchimpBatches {
    static final String RESULTS_PREFIX = "/_sandbox/batch-results/";
    static final long URL_VALIDITY_S = 600;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /** Runs one operation as if it had been sent to {@code /3.0}; the response is never counted or faulted. */
    interface Dispatcher {
        Resp dispatch(String method, String path, Map<String, String> query, Headers headers, byte[] body);
    }

    private static final class Batch {
        final String id;
        final long submittedMs;
        final int total;
        final int errored;
        final byte[] archive;

        Batch(String id, long submittedMs, int total, int errored, byte[] archive) {
            this.id = id;
            this.submittedMs = submittedMs;
            this.total = total;
            this.errored = errored;
            this.archive = archive;
        }
    }

    private final Dispatcher dispatcher;
    private final Supplier<String> baseUrl;
    private final Map<String, Batch> batches = new LinkedHashMap<>();
    private volatile long processingMs;

    MailchimpBatches(Dispatcher dispatcher, Supplier<String> baseUrl) {
        this.dispatcher = dispatcher;
        this.baseUrl = baseUrl;
    }

    /** How long a batch takes from {@code pending} to {@code finished} (0 = finished on the first GET). */
    void processingMs(long ms) {
        processingMs = Math.max(0, ms);
    }

    long processingMs() {
        return processingMs;
    }

    synchronized void clear() {
        batches.clear();
    }

    // ------------------------------------------------------------------ endpoints

    Resp create(Req r) {
        JsonNode b;
        try {
            b = r.json();
        } catch (Http.JsonSyntax e) {
            throw new McError(400, "JSON Parse Exception", "We encountered an unspecified JSON parsing error.");
        }
        if (!b.isObject()) {
            throw new McError(400, "JSON Parse Exception", "We encountered an unspecified JSON parsing error.");
        }
        JsonNode ops = b.get("operations");
        if (ops == null || ops.isNull() || !ops.isArray()) {
            throw MailchimpApi.invalidField("operations", "This value should not be blank.");
        }
        // the whole batch is refused when an operation breaks the schema (texts invented)
        for (int i = 0; i < ops.size(); i++) {
            JsonNode op = ops.get(i);
            String at = "operations.item:" + i;
            if (!op.isObject()) {
                throw MailchimpApi.invalidField(at, "This value should be of type object.");
            }
            JsonNode method = op.get("method");
            if (method == null || !method.isTextual() || !METHODS.contains(method.asText())) {
                throw MailchimpApi.invalidField(at + ".method", "This value should be one of GET, POST, PUT, PATCH, DELETE.");
            }
            JsonNode path = op.get("path");
            if (path == null || !path.isTextual() || path.asText().isBlank()) {
                throw MailchimpApi.invalidField(at + ".path", "This value should not be blank.");
            }
            JsonNode body = op.get("body");
            if (body != null && !body.isNull() && !body.isTextual()) {
                throw MailchimpApi.invalidField(at + ".body", "This value should be of type string.");
            }
            JsonNode params = op.get("params");
            if (params != null && !params.isNull() && !params.isObject()) {
                throw MailchimpApi.invalidField(at + ".params", "This value should be of type object.");
            }
            JsonNode opId = op.get("operation_id");
            if (opId != null && !opId.isNull() && !opId.isTextual()) {
                throw MailchimpApi.invalidField(at + ".operation_id", "This value should be of type string.");
            }
        }
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        long submitted = System.currentTimeMillis();
        ArrayNode results = Http.arr();
        int errored = 0;
        for (JsonNode op : ops) {
            ObjectNode res = run(op, r.headers);
            if (res.path("status_code").asInt() >= 400) {
                errored++;
            }
            results.add(res);
        }
        Batch batch = new Batch(id, submitted, ops.size(), errored, archive(id, results));
        synchronized (this) {
            batches.put(id, batch);
        }
        return Resp.ok(json(batch, true));
    }

    Resp get(Req r) {
        Batch b;
        synchronized (this) {
            b = batches.get(r.param("batch_id"));
        }
        if (b == null) {
            throw MailchimpApi.notFound();
        }
        return Resp.ok(json(b, false));
    }

    Resp list(Req r) {
        int count = intParam(r, "count", 10);
        int offset = intParam(r, "offset", 0);
        if (count > 1000) {
            throw MailchimpApi.invalidField("count", "This value should be less than or equal to 1000.");
        }
        List<Batch> all;
        synchronized (this) {
            all = new ArrayList<>(batches.values());
        }
        ObjectNode o = obj();
        ArrayNode items = o.putArray("batches");
        for (int i = offset; i < Math.min(all.size(), offset + count); i++) {
            items.add(json(all.get(i), false));
        }
        o.put("total_items", all.size());
        o.putArray("_links");
        return Resp.ok(o);
    }

    /** The archive for {@code GET /_sandbox/batch-results/<id>.tar.gz}; null when unknown; 403 when expired. */
    Resp results(String rest, Map<String, String> query) {
        String id = rest.endsWith(".tar.gz") ? rest.substring(0, rest.length() - ".tar.gz".length()) : rest;
        Batch b;
        synchronized (this) {
            b = batches.get(id);
        }
        if (b == null) {
            return Resp.json(404, obj().put("error", "NoSuchKey"));
        }
        long expires;
        try {
            expires = Long.parseLong(query.getOrDefault("expires", "0"));
        } catch (NumberFormatException e) {
            expires = 0;
        }
        if (expires < System.currentTimeMillis() / 1000) {
            Resp x = new Resp(403);
            x.raw = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
                    .getBytes(StandardCharsets.UTF_8);
            return x.type("application/xml");
        }
        Resp x = new Resp(200);
        x.raw = b.archive;
        return x.type("application/x-gzip");
    }

    // ------------------------------------------------------------------ internals

    private ObjectNode run(JsonNode op, Headers headers) {
        ObjectNode res = obj();
        String method = op.get("method").asText();
        String path = op.get("path").asText().trim();
        Map<String, String> query = new LinkedHashMap<>();
        int qm = path.indexOf('?');
        if (qm >= 0) {
            query.putAll(Http.parseQuery(path.substring(qm + 1)));
            path = path.substring(0, qm);
        }
        JsonNode params = op.get("params");
        if (params != null && params.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                query.put(e.getKey(), paramText(e.getValue()));
            }
        }
        String full = SandboxServer.MC_PREFIX + (path.startsWith("/") ? path : "/" + path);
        JsonNode bodyNode = op.get("body");
        byte[] body = bodyNode == null || bodyNode.isNull() ? new byte[0] : bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        Resp resp;
        if (full.equals(SandboxServer.MC_PREFIX + "/batches") || full.startsWith(SandboxServer.MC_PREFIX + "/batches/")) {
            resp = MailchimpApi.problem(400, "Invalid Resource", "Batch operations cannot contain batch operations.");
        } else {
            resp = dispatcher.dispatch(method, full, query, headers, body);
        }
        res.put("status_code", resp.status);
        JsonNode opId = op.get("operation_id");
        if (opId == null || opId.isNull()) {
            res.putNull("operation_id");
        } else {
            res.put("operation_id", opId.asText());
        }
        String text;
        if (resp.raw != null) {
            text = new String(resp.raw, StandardCharsets.UTF_8);
        } else if (resp.json != null && resp.status != 204) {
            text = resp.json.toString();
        } else {
            text = "";
        }
        res.put("response", text);
        return res;
    }

    private static String paramText(JsonNode v) {
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.asText()));
            return String.join(",", parts);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static byte[] archive(String id, ArrayNode results) {
        try {
            byte[] json = Http.MAPPER.writeValueAsBytes(results);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bos))) {
                TarArchiveEntry e = new TarArchiveEntry(id + ".json");
                e.setSize(json.length);
                e.setModTime(System.currentTimeMillis());
                tar.putArchiveEntry(e);
                tar.write(json);
                tar.closeArchiveEntry();
                tar.finish();
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The batch as the API shows it; a fresh pre-signed URL each time it is finished. */
    private ObjectNode json(Batch b, boolean justSubmitted) {
        long now = System.currentTimeMillis();
        long p = processingMs;
        String status;
        double progress;
        if (justSubmitted) {
            status = "pending";
            progress = 0;
        } else if (now - b.submittedMs >= p) {
            status = "finished";
            progress = 1;
        } else {
            progress = (double) (now - b.submittedMs) / p;
            status = progress < 0.25 ? "pending" : progress < 0.5 ? "preprocessing" : progress < 0.75 ? "started" : "finalizing";
        }
        ObjectNode o = obj();
        o.put("id", b.id);
        o.put("status", status);
        boolean pending = "pending".equals(status);
        // observed while pending: total 0, completed_at "", response_body_url "" (CONTRACT.md §4.13)
        o.put("total_operations", pending ? 0 : b.total);
        int done = "finished".equals(status) ? b.total : "finalizing".equals(status) ? b.total
                : "started".equals(status) ? (int) (b.total * (progress - 0.5) * 4) : 0;
        o.put("finished_operations", Math.min(b.total, Math.max(0, done)));
        o.put("errored_operations", "finished".equals(status) ? b.errored : (int) ((long) b.errored * done / Math.max(1, b.total)));
        o.put("submitted_at", MailchimpStore.iso(b.submittedMs / 1000));
        if ("finished".equals(status)) {
            o.put("completed_at", MailchimpStore.iso(Math.max(b.submittedMs + p, b.submittedMs) / 1000));
            o.put("response_body_url", baseUrl.get() + RESULTS_PREFIX + b.id + ".tar.gz?expires="
                    + (now / 1000 + URL_VALIDITY_S));
        } else {
            o.put("completed_at", "");
            o.put("response_body_url", "");
        }
        o.putArray("_links");
        return o;
    }

    private static int intParam(Req r, String name, int dflt) {
        String v = r.q(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw MailchimpApi.invalidField(name, "This value should be greater than or equal to 0.");
            }
            return n;
        } catch (NumberFormatException e) {
            throw MailchimpApi.invalidField(name, "This value should be of type integer.");
        }
    }
}

package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class MailchimpBatchesTest extends SandboxTestSupport {

    @AfterEach
    void noDelay() {
        server.batchProcessingMs(0);
    }

    static String hash(String email) {
        return Http.md5(email.trim().toLowerCase());
    }

    static Map<String, Object> op(String method, String path, Object body, String id) throws Exception {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("method", method);
        o.put("path", path);
        if (body != null) {
            o.put("body", json(body));
        }
        if (id != null) {
            o.put("operation_id", id);
        }
        return o;
    }

    static Map<String, Object> put(String email, String fname) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("email_address", email);
        b.put("status_if_new", "subscribed");
        b.put("merge_fields", Map.of("FNAME", fname, "LNAME", "Lot"));
        return b;
    }

    /** The results archive: every JSON file of the tar, concatenated, by operation_id. */
    static Map<String, JsonNode> results(String url) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, JsonNode> out = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(r.body())))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && e.getName().endsWith(".json")) {
                    for (JsonNode res : JSON.readTree(tar.readAllBytes())) {
                        out.put(res.get("operation_id").asText(), res);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void batchRunsEachOperationAndReportsPerOperationResults() throws Exception {
        List<Map<String, Object>> ops = new ArrayList<>();
        ops.add(op("PUT", list("/members/" + hash("lucas.petit@exemple.fr")), put("lucas.petit@exemple.fr", "Luc"), "ok-existing"));
        ops.add(op("PUT", list("/members/" + hash("claire.robin@exemple.fr")), put("claire.robin@exemple.fr", "Claire2"), "unsub"));
        ops.add(op("PUT", list("/members/" + hash("sylvie.simon@exemple.fr")), put("sylvie.simon@exemple.fr", "Syl"), "archived"));
        ops.add(op("PUT", list("/members/" + hash("oublie.definitif@exemple.fr")), put("oublie.definitif@exemple.fr", "G"), "forgotten"));
        ops.add(op("PUT", list("/members/" + hash("neuf.lot@exemple.fr")), Map.of("email_address", "neuf.lot@exemple.fr"), "no-status"));
        ops.add(op("GET", "lists/" + SandboxServer.LIST_ID + "/members/" + hash("nobody@exemple.fr"), null, "missing"));
        Map<String, Object> get = op("GET", list("/members"), null, "paged");
        get.put("params", Map.of("count", 2, "fields", "members.email_address,total_items"));
        ops.add(get);
        Res posted = mc("POST", "/batches", json(Map.of("operations", ops)));
        assertThat(posted.status()).isEqualTo(200);
        JsonNode b = posted.json();
        assertThat(b.get("status").asText()).isEqualTo("pending");
        assertThat(b.get("total_operations").asInt()).isZero();
        assertThat(b.get("response_body_url").asText()).isEmpty();
        assertThat(b.get("completed_at").asText()).isEmpty();
        String id = b.get("id").asText();

        JsonNode done = mc("GET", "/batches/" + id, null).json();
        assertThat(done.get("status").asText()).isEqualTo("finished");
        assertThat(done.get("total_operations").asInt()).isEqualTo(7);
        assertThat(done.get("finished_operations").asInt()).isEqualTo(7);
        assertThat(done.get("errored_operations").asInt()).isEqualTo(3);
        assertThat(done.get("completed_at").asText()).isNotEmpty();
        String url = done.get("response_body_url").asText();
        assertThat(url).startsWith(server.baseUrl() + "/_sandbox/batch-results/" + id + ".tar.gz?expires=");

        Map<String, JsonNode> res = results(url);
        assertThat(res).hasSize(7);
        assertThat(res.get("ok-existing").get("status_code").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(res.get("ok-existing").get("response").asText()).get("merge_fields").get("FNAME").asText())
                .isEqualTo("Luc");
        assertThat(res.get("unsub").get("status_code").asInt()).isEqualTo(200);
        assertThat(res.get("archived").get("status_code").asInt()).isEqualTo(200);
        assertThat(res.get("forgotten").get("status_code").asInt()).isEqualTo(400);
        assertThat(JSON.readTree(res.get("forgotten").get("response").asText()).get("title").asText())
                .isEqualTo("Forgotten Email Not Subscribed");
        assertThat(res.get("no-status").get("status_code").asInt()).isEqualTo(400);
        assertThat(res.get("missing").get("status_code").asInt()).isEqualTo(404);
        JsonNode page = JSON.readTree(res.get("paged").get("response").asText());
        assertThat(page.get("members")).hasSize(2);
        assertThat(page.has("list_id")).isFalse();

        // the operations really ran, and never changed a status
        JsonNode claire = mc("GET", list("/members/" + hash("claire.robin@exemple.fr")), null).json();
        assertThat(claire.get("status").asText()).isEqualTo("unsubscribed");
        assertThat(claire.get("merge_fields").get("FNAME").asText()).isEqualTo("Claire2");
        assertThat(mc("GET", list("/members/" + hash("sylvie.simon@exemple.fr")), null).json().get("status").asText())
                .isEqualTo("archived");

        // counted: the POST and the GET; not the operations inside, not the results download
        assertThat(server.calls()).containsEntry("POST /3.0/batches", 1L)
                .containsEntry("GET /3.0/batches/{batch_id}", 1L)
                .doesNotContainKey("PUT /3.0/lists/{list_id}/members/{subscriber_hash}");

        JsonNode all = mc("GET", "/batches", null).json();
        assertThat(all.get("total_items").asInt()).isEqualTo(1);
        assertThat(all.get("batches").get(0).get("id").asText()).isEqualTo(id);
    }

    @Test
    void statusProgressesOverTheProcessingTime() throws Exception {
        server.batchProcessingMs(400);
        String id = mc("POST", "/batches", json(Map.of("operations", List.of(op("GET", "/ping", null, "p")))))
                .json().get("id").asText();
        JsonNode early = mc("GET", "/batches/" + id, null).json();
        assertThat(early.get("status").asText()).isIn("pending", "preprocessing", "started", "finalizing");
        assertThat(early.get("response_body_url").asText()).isEmpty();
        Thread.sleep(450);
        JsonNode done = mc("GET", "/batches/" + id, null).json();
        assertThat(done.get("status").asText()).isEqualTo("finished");
        assertThat(results(done.get("response_body_url").asText()).get("p").get("status_code").asInt()).isEqualTo(200);
    }

    @Test
    void invalidBatchesAreRefusedWhole() throws Exception {
        assertThat(mc("POST", "/batches", "{}").status()).isEqualTo(400);
        assertThat(mc("POST", "/batches", "{not json").status()).isEqualTo(400);
        assertThat(mc("POST", "/batches", json(Map.of("operations", List.of(Map.of("path", "/ping"))))).status())
                .isEqualTo(400);
        assertThat(mc("POST", "/batches", json(Map.of("operations", List.of(Map.of("method", "GET",
                "path", "/ping", "body", Map.of("a", 1)))))).status()).isEqualTo(400);
        assertThat(mc("GET", "/batches/inconnu", null).status()).isEqualTo(404);
        Res noKey = send("POST", server.mailchimpBaseUrl() + "/batches", "{\"operations\":[]}");
        assertThat(noKey.status()).isEqualTo(401);
        // an expired or unknown results URL
        HttpResponse<String> gone = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/_sandbox/batch-results/inconnu.tar.gz?expires=9999999999")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).isEqualTo(404);
        String id = mc("POST", "/batches", json(Map.of("operations", List.of()))).json().get("id").asText();
        HttpResponse<String> expired = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/_sandbox/batch-results/" + id + ".tar.gz?expires=1")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(403);
    }

    @Test
    void faultsApplyToTheBatchCalls() throws Exception {
        server.faults(new FaultConfig(0, 0, 0, 1.0, 0.0, 0.0, 30000, 42));
        Res r = mc("POST", "/batches", json(Map.of("operations", List.of())));
        assertThat(r.status()).isIn(429, 500);
        assertThat(server.calls()).containsEntry("POST /3.0/batches", 1L);
    }
}

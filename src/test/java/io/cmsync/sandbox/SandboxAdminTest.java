package io.cmsync.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxAdminTest extends SandboxTestSupport {

    @Test
    void callCountersUseTemplates() throws Exception {
        copper("POST", "/people/search", "{}");
        copper("GET", "/people/1001", null);
        copper("GET", "/people/1002", null);
        mc("GET", list("/members/" + Http.md5("test1@exemple.fr")), null);
        send("GET", server.baseUrl() + "/_sandbox/state", null); // admin: not counted
        assertThat(server.calls()).containsEntry("POST /developer_api/v1/people/search", 1L)
                .containsEntry("GET /developer_api/v1/people/{id}", 2L)
                .containsEntry("GET /3.0/lists/{list_id}/members/{subscriber_hash}", 1L);
        assertThat(server.totalCalls()).isEqualTo(4);
        Res calls = send("GET", server.baseUrl() + "/_sandbox/calls", null);
        assertThat(calls.json().get("total").asLong()).isEqualTo(4);
        assertThat(send("DELETE", server.baseUrl() + "/_sandbox/calls", null).status()).isEqualTo(204);
        assertThat(server.totalCalls()).isZero();
    }

    @Test
    void adminStateRoundTripAndReset() throws Exception {
        Res state = send("GET", server.baseUrl() + "/_sandbox/state", null);
        assertThat(state.json().get("copper").get("people").size()).isEqualTo(29);
        assertThat(state.json().get("mailchimp").get("lists").get(0).get("id").asText()).isEqualTo(SandboxServer.LIST_ID);
        copper("DELETE", "/people/1001", null);
        assertThat(server.dump().get("copper").get("people").size()).isEqualTo(28);
        assertThat(send("PUT", server.baseUrl() + "/_sandbox/state", state.json().toString()).status()).isEqualTo(204);
        assertThat(server.dump()).isEqualTo(state.json());
        copper("DELETE", "/people/1001", null);
        assertThat(send("POST", server.baseUrl() + "/_sandbox/reset", null).status()).isEqualTo(204);
        assertThat(server.dump()).isEqualTo(state.json());
    }

    @Test
    void copperRateLimit() throws Exception {
        Res f = send("PUT", server.baseUrl() + "/_sandbox/faults", "{\"copper_requests_per_minute\":3}");
        assertThat(f.json().get("copperRequestsPerMinute").asInt()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(copper("GET", "/account", null).status()).isEqualTo(200);
        }
        Res limited = copper("GET", "/account", null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("message").asText()).isEqualTo("Rate limit exceeded");
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
        assertThat(server.totalCalls()).isEqualTo(4); // faulted calls are counted
        assertThat(mc("GET", "/ping", null).status()).isEqualTo(200); // Mailchimp not affected
        // the responses by status, as the benchmark reads them to count the 429s a client received
        Res responses = send("GET", server.baseUrl() + "/_sandbox/responses", null);
        assertThat(responses.json().get("200").asLong()).isEqualTo(4);
        assertThat(responses.json().get("429").asLong()).isEqualTo(1);
        server.resetCalls();
        assertThat(server.statuses()).isEmpty();
    }

    @Test
    void mailchimpConcurrencyLimit() throws Exception {
        server.faults(new FaultConfig(300, 0, 2, 0, 0, 0, 1000, 1));
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        String auth = "Bearer " + SandboxServer.MAILCHIMP_API_KEY;
        for (int i = 0; i < 6; i++) {
            futures.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.mailchimpBaseUrl() + "/ping"))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()));
        }
        long tooMany = futures.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 429).count();
        assertThat(tooMany).isGreaterThanOrEqualTo(1);
        String body = futures.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 429).findFirst().orElseThrow().body();
        assertThat(body).contains("Too Many Requests").contains("You have exceeded the limit of 10 simultaneous connections.");
    }

    @Test
    void dropAndErrorFaults() throws Exception {
        server.faults(new FaultConfig(0, 0, 0, 0, 0, 1.0, 1000, 7));
        assertThatThrownBy(() -> copper("POST", "/people/search", "{}")).isInstanceOf(java.io.IOException.class);
        server.faults(new FaultConfig(0, 0, 0, 1.0, 0, 0, 1000, 7));
        for (int i = 0; i < 5; i++) {
            assertThat(mc("GET", "/ping", null).status()).isIn(429, 500);
            assertThat(copper("GET", "/account", null).status()).isIn(429, 500);
        }
        server.faults(new FaultConfig(0, 0, 0, 0, 1.0, 0, 200, 7));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> mc("POST", list("/members"), "{}")).isInstanceOf(java.io.IOException.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(190);
        assertThat(send("GET", server.baseUrl() + "/_sandbox/faults", null).json().get("timeoutRatio").asDouble()).isEqualTo(1.0);
    }

    @Test
    void statePersistsThroughStateFile(@TempDir Path dir) throws Exception {
        Path stateFile = dir.resolve("state.json");
        long id;
        try (SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, stateFile, false))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.copperBaseUrl() + "/people"))
                    .header("X-PW-AccessToken", SandboxServer.COPPER_API_KEY)
                    .header("X-PW-UserEmail", SandboxServer.COPPER_USER_EMAIL)
                    .header("X-PW-Application", "developer_api")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Persistée Durable\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            id = JSON.readTree(r.body()).get("id").asLong();
            assertThat(s.describe()).contains(SandboxServer.COPPER_API_KEY).contains(SandboxServer.MAILCHIMP_API_KEY)
                    .contains(SandboxServer.LIST_ID).contains(s.copperBaseUrl());
        }
        assertThat(Files.exists(stateFile)).isTrue();
        try (SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, stateFile, false))) {
            assertThat(s.dump().toString()).contains("Persistée Durable").contains("\"id\":" + id);
        }
        try (SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, stateFile, true))) {
            assertThat(s.dump().toString()).doesNotContain("Persistée Durable");
        }
    }
}

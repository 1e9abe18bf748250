package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

abstract class SandboxTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static SandboxServer server;
    static HttpClient http;

    @BeforeAll
    static void startServer() throws Exception {
        server = SandboxServer.start(new SandboxOptions(0, null, null, false));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void resetState() {
        server.faults(FaultConfig.none());
        server.reset();
        server.resetCalls();
    }

    record Res(int status, JsonNode json, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static Res send(String method, String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode j = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
        return new Res(r.statusCode(), j, r);
    }

    static Res copper(String method, String path, String body) throws Exception {
        return send(method, server.copperBaseUrl() + path, body,
                "X-PW-AccessToken", SandboxServer.COPPER_API_KEY,
                "X-PW-UserEmail", SandboxServer.COPPER_USER_EMAIL,
                "X-PW-Application", "developer_api");
    }

    static Res mc(String method, String path, String body) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("anystring:" + SandboxServer.MAILCHIMP_API_KEY)
                .getBytes(StandardCharsets.UTF_8));
        return send(method, server.mailchimpBaseUrl() + path, body, "Authorization", "Basic " + basic);
    }

    static String list(String rest) {
        return "/lists/" + SandboxServer.LIST_ID + rest;
    }

    static String json(Object o) throws Exception {
        return JSON.writeValueAsString(o);
    }
}

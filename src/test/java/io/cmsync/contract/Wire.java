package io.cmsync.contract;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cmsync.sandbox.SandboxServer;

/** One HTTP exchange with the sandbox as it went over the wire (java.net.http, no product code involved). */
final class Wire {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Wire() {
    }

    /**
     * @param path  full path from the host, e.g. {@code /3.0/lists/abc/members}
     * @param query raw query string without '?', or null
     */
    record Exchange(String method, String path, String query, Map<String, List<String>> requestHeaders,
                    String requestBody, int status, Map<String, List<String>> responseHeaders, String responseBody) {

        String responseHeader(String name) {
            for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        String requestHeader(String name) {
            for (Map.Entry<String, List<String>> e : requestHeaders.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        JsonNode json() {
            try {
                return responseBody == null || responseBody.isBlank() ? null : JSON.readTree(responseBody);
            } catch (Exception e) {
                throw new AssertionError(method + " " + path + " answered a body that is not JSON: " + responseBody, e);
            }
        }

        Map<String, List<String>> queryParams() {
            Map<String, List<String>> out = new LinkedHashMap<>();
            if (query == null || query.isEmpty()) {
                return out;
            }
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
            return out;
        }

        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
        }
    }

    /** Sends one request; headers are name/value pairs. A JSON body gets {@code Content-Type: application/json}. */
    static Exchange send(String baseUrl, String method, String path, String query, String body, String... headers) {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        URI uri = URI.create(baseUrl + path + (query == null || query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
            sent.put("Content-Type", List.of("application/json"));
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            sent.computeIfAbsent(headers[i], x -> new ArrayList<>()).add(headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Exchange(method, URI.create(baseUrl).getRawPath() + path, query, sent, body, r.statusCode(),
                    r.headers().map(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(method + " " + uri + ": " + e, e);
        }
    }

    static String mailchimpAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString(("contract:" + SandboxServer.MAILCHIMP_API_KEY)
                .getBytes(StandardCharsets.UTF_8));
    }

    static String[] copperHeaders() {
        return new String[] {"X-PW-AccessToken", SandboxServer.COPPER_API_KEY,
                "X-PW-Application", "developer_api",
                "X-PW-UserEmail", SandboxServer.COPPER_USER_EMAIL};
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

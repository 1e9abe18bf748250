package io.cmsync.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import io.cmsync.http.ApiIoException;
import io.cmsync.http.ApiRequest;
import io.cmsync.http.ApiResponse;
import io.cmsync.http.ApiTransport;
import io.cmsync.sandbox.SandboxServer;

/**
 * A plain JDK transport to the sandbox for client-level tests, able to lose the answer of chosen calls after the
 * server has processed them (what a dropped connection after the write looks like to a client).
 */
public final class JdkTransport implements ApiTransport {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, String> headers;
    private Predicate<ApiRequest> loseAnswer = r -> false;
    public int lost;

    private JdkTransport(String base, Map<String, String> headers) {
        this.base = base;
        this.headers = headers;
    }

    public static JdkTransport copper(SandboxServer s) {
        return new JdkTransport(s.copperBaseUrl(), Map.of("X-PW-AccessToken", SandboxServer.COPPER_API_KEY,
                "X-PW-Application", "developer_api", "X-PW-UserEmail", SandboxServer.COPPER_USER_EMAIL));
    }

    public static JdkTransport mailchimp(SandboxServer s) {
        String basic = java.util.Base64.getEncoder().encodeToString(("cmsync:" + SandboxServer.MAILCHIMP_API_KEY)
                .getBytes(StandardCharsets.UTF_8));
        return new JdkTransport(s.mailchimpBaseUrl(), Map.of("Authorization", "Basic " + basic));
    }

    /** The first call matching is processed by the server, then its answer is lost. */
    public JdkTransport loseFirstAnswerOf(Predicate<ApiRequest> which) {
        boolean[] done = {false};
        this.loseAnswer = r -> {
            if (!done[0] && which.test(r)) {
                done[0] = true;
                return true;
            }
            return false;
        };
        return this;
    }

    @Override
    public ApiResponse send(ApiRequest request) {
        String url = base + "/" + request.path() + (request.query() == null ? "" : "?" + request.query());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8))
                .header("Content-Type", "application/json");
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (loseAnswer.test(request)) {
                lost++;
                throw new ApiIoException("SocketException", null);
            }
            Map<String, String> h = new HashMap<>();
            r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            return new ApiResponse(r.statusCode(), r.body(), h);
        } catch (IOException e) {
            throw new ApiIoException(e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiIoException("interrupted", e);
        }
    }
}

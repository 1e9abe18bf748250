package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * Only the product's own caller retries: HttpClient 5.5 would otherwise re-send a request answered 429 after its
 * Retry-After by itself (CAMEL-23345), unlogged and outside the pacing, so a rate-limited API would get more calls
 * than the product counts.
 */
class HttpClientRetriesTest {
    @TempDir
    Path dir;
    SyncHarness h;
    HttpServer copper;

    @AfterEach
    void stop() {
        if (copper != null) {
            copper.stop(0);
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aRateLimitedCallIsSentOnlyAsOftenAsTheProductsRetryPolicySays() throws Exception {
        h = new SyncHarness(dir, new Seed().person("lucas.petit@exemple.fr", "Lucas", "Petit").build());
        AtomicInteger received = new AtomicInteger();
        copper = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        copper.createContext("/", ex -> {
            received.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            byte[] body = "{\"message\":\"Rate limit exceeded\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Retry-After", "0");
            ex.sendResponseHeaders(429, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        copper.start();
        h.environment.put("COPPER_BASE_URL", "http://127.0.0.1:" + copper.getAddress().getPort() + "/developer_api/v1");
        h.properties.put("http.max-attempts", "2");

        assertThat(h.run()).as("a Copper that only answers 429 fails the run").isNotZero();

        // the first Copper call, tried twice by RetryingCaller (each attempt logged), and nothing else
        assertThat(received).hasValue(2);
    }
}

package io.cmsync.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import io.cmsync.http.ApiIoException;
import io.cmsync.http.ApiRequest;
import io.cmsync.http.ApiResponse;
import io.cmsync.http.RateLimiter;
import io.cmsync.http.RetryingCaller;

/** Every attempt RetryingCaller makes reaches the metrics: calls per side, endpoint and status, and 429s. */
class SyncMetricsTest {
    @Test
    void retriedCallsAndTooManyRequestsAreCounted() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SyncMetrics metrics = new SyncMetrics(registry, new LastRuns(Clock.systemUTC(), HealthChecksTest.SECRETS),
                Clock.systemUTC());
        Deque<Object> answers = new ArrayDeque<>();
        answers.add(new ApiResponse(429, "", Map.of("retry-after", "0")));
        answers.add(new ApiIoException("connection reset", null));
        answers.add(new ApiResponse(200, "{}", Map.of()));
        RetryingCaller caller = new RetryingCaller("Copper", request -> {
            Object next = answers.pop();
            if (next instanceof ApiIoException e) {
                throw e;
            }
            return (ApiResponse) next;
        }, 4, Duration.ofMillis(1), Duration.ofMillis(1), RateLimiter.unlimited(), millis -> { }, metrics);

        assertThat(caller.call(ApiRequest.post("people/search", "{}", "POST people/search")).status()).isEqualTo(200);

        String page = registry.scrape();
        assertThat(page)
                .contains("cmsync_api_calls_total{endpoint=\"POST people/search\",side=\"copper\",status=\"429\"} 1.0")
                .contains("cmsync_api_calls_total{endpoint=\"POST people/search\",side=\"copper\",status=\"none\"} 1.0")
                .contains("cmsync_api_calls_total{endpoint=\"POST people/search\",side=\"copper\",status=\"200\"} 1.0")
                .contains("cmsync_api_rate_limited_total{side=\"copper\"} 1.0")
                .contains("cmsync_api_rate_limited_total{side=\"mailchimp\"} 0.0")
                .contains("cmsync_runs_total{outcome=\"success\"} 0.0")
                .contains("cmsync_last_run_exit_code -1.0");
    }
}

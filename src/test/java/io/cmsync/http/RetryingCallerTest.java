package io.cmsync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** The retry layer with a scripted transport and a recorded sleeper: no network, no real waiting. */
class RetryingCallerTest {
    private final List<Long> sleeps = new ArrayList<>();
    private final Deque<Supplier<ApiResponse>> script = new ArrayDeque<>();
    private int sent;

    private final ApiTransport transport = request -> {
        sent++;
        Supplier<ApiResponse> next = script.isEmpty() ? () -> answer(200) : script.poll();
        return next.get();
    };

    private RetryingCaller caller(int maxAttempts) {
        return new RetryingCaller("Copper", transport, maxAttempts, Duration.ofMillis(500), Duration.ofSeconds(30),
                RateLimiter.unlimited(), sleeps::add);
    }

    private static ApiResponse answer(int status) {
        return new ApiResponse(status, "{\"message\":\"x\"}", Map.of());
    }

    private static ApiResponse answer(int status, String retryAfter) {
        return new ApiResponse(status, "{}", Map.of("retry-after", retryAfter));
    }

    private void then(int... statuses) {
        for (int s : statuses) {
            script.add(() -> answer(s));
        }
    }

    private void thenNoAnswer() {
        script.add(() -> {
            throw new ApiIoException("SocketTimeoutException", null);
        });
    }

    private static final ApiRequest REQ = ApiRequest.post("people/search", "{}", "POST people/search");

    @Test
    void a5xxThenSuccessIsRetriedOnce() {
        then(500, 200);
        assertThat(caller(4).call(REQ).status()).isEqualTo(200);
        assertThat(sent).isEqualTo(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void everyRetryableFailureIsRetried() {
        then(429, 502, 503);
        thenNoAnswer();
        then(200);
        assertThat(caller(5).call(REQ).status()).isEqualTo(200);
        assertThat(sent).isEqualTo(5);
        assertThat(sleeps).hasSize(4);
    }

    @Test
    void delaysGrowExponentiallyWithJitterAndAreCapped() {
        for (int run = 0; run < 50; run++) {
            sleeps.clear();
            then(500, 500, 500, 500, 500, 500, 500, 500, 500);
            caller(10).call(REQ);
            assertThat(sleeps).hasSize(9);
            for (int i = 0; i < sleeps.size(); i++) {
                long cap = Math.min(500L << i, 30_000);
                // equal jitter: between half the exponential delay and the whole of it
                assertThat(sleeps.get(i)).as("delay %d", i + 1).isBetween(cap / 2, cap);
            }
            assertThat(sleeps.get(8)).isLessThanOrEqualTo(30_000);
            script.clear();
        }
        // the upper halves grow: the 5th wait is always longer than the 1st
        assertThat(sleeps.get(4)).isGreaterThan(sleeps.get(0));
    }

    @Test
    void jitterSpreadsTheDelays() {
        List<Long> firstDelays = new ArrayList<>();
        for (int run = 0; run < 30; run++) {
            sleeps.clear();
            then(500, 200);
            caller(4).call(REQ);
            firstDelays.add(sleeps.get(0));
        }
        assertThat(firstDelays.stream().distinct().count()).isGreaterThan(5);
    }

    @Test
    void retryAfterIsHonoured() {
        script.add(() -> answer(429, "7"));
        then(200);
        assertThat(caller(4).call(REQ).status()).isEqualTo(200);
        assertThat(sleeps).containsExactly(7_000L);
    }

    @Test
    void anUnreadableRetryAfterFallsBackToBackOff() {
        script.add(() -> answer(503, "Wed, 21 Oct 2015 07:28:00 GMT"));
        then(200);
        caller(4).call(REQ);
        assertThat(sleeps.get(0)).isBetween(250L, 500L);
    }

    @Test
    void anAbsurdRetryAfterIsCapped() {
        script.add(() -> answer(429, "86400"));
        then(200);
        caller(4).call(REQ);
        assertThat(sleeps.get(0)).isLessThanOrEqualTo(60_000L);
    }

    @Test
    void clientErrorsAreNeverRetried() {
        for (int status : new int[] {400, 401, 403, 404, 405, 409, 422}) {
            sent = 0;
            sleeps.clear();
            then(status);
            assertThat(caller(4).call(REQ).status()).isEqualTo(status);
            assertThat(sent).as("attempts for %d", status).isEqualTo(1);
            assertThat(sleeps).isEmpty();
        }
    }

    @Test
    void attemptsAreBoundedAndTheLastAnswerIsReturned() {
        then(500, 500, 500, 500, 500, 500);
        ApiResponse last = caller(4).call(REQ);
        assertThat(last.status()).isEqualTo(500);
        assertThat(sent).isEqualTo(4);
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void noAnswerAfterEveryAttemptBecomesAClearApiException() {
        for (int i = 0; i < 4; i++) {
            thenNoAnswer();
        }
        assertThatThrownBy(() -> caller(3).call(REQ))
                .isInstanceOf(ApiException.class)
                .hasMessage("Copper POST people/search: no answer after 3 attempts (SocketTimeoutException)")
                .satisfies(e -> assertThat(((ApiException) e).status()).isZero());
        assertThat(sent).isEqualTo(3);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void oneAttemptMeansNoRetry() {
        then(503);
        assertThat(caller(1).call(REQ).status()).isEqualTo(503);
        assertThat(sent).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void theRateLimiterIsAskedBeforeEveryAttempt() {
        List<Long> limiterSleeps = new ArrayList<>();
        long[] now = {0};
        RateLimiter limiter = new RateLimiter(2, 1000, () -> now[0], ms -> {
            limiterSleeps.add(ms);
            now[0] += ms;
        });
        RetryingCaller c = new RetryingCaller("Copper", transport, 4, Duration.ofMillis(1), Duration.ofMillis(1),
                limiter, sleeps::add);
        then(500, 500, 200);
        c.call(REQ);
        assertThat(sent).isEqualTo(3);
        assertThat(limiterSleeps).hasSize(1);
    }

    @Test
    void aCopper429WithoutRetryAfterWaitsAtLeastARollingMinute() {
        then(429, 200);
        RetryingCaller copper = caller(4).politeness(Duration.ofSeconds(60), false);
        assertThat(copper.call(REQ).status()).isEqualTo(200);
        assertThat(sleeps).singleElement().satisfies(ms -> assertThat(ms).isGreaterThanOrEqualTo(60_000L));
    }

    @Test
    void aRetryAfterStillWinsOverTheRollingMinute() {
        script.add(() -> answer(429, "2"));
        RetryingCaller copper = caller(4).politeness(Duration.ofSeconds(60), false);
        assertThat(copper.call(REQ).status()).isEqualTo(200);
        assertThat(sleeps).containsExactly(2_000L);
    }

    @Test
    void aMailchimp403WithoutABodyIsBackedOffLikeA429ButOneWithAnErrorIsNot() {
        script.add(() -> new ApiResponse(403, "", Map.of()));
        RetryingCaller mailchimp = caller(4).politeness(Duration.ZERO, true);
        assertThat(mailchimp.call(REQ).status()).isEqualTo(200);
        assertThat(sent).isEqualTo(2);

        then(403); // a JSON error body: a real refusal, answered at once
        assertThat(mailchimp.call(REQ).status()).isEqualTo(403);
        assertThat(sent).isEqualTo(3);
    }

    @Test
    void anAnswerThatIsNotJsonIsAskedAgainAndNeverReadSilently() {
        script.add(() -> new ApiResponse(200, "{\"people\": [ {\"id\": 1", Map.of())); // cut short
        assertThat(caller(4).call(REQ).status()).isEqualTo(200);
        assertThat(sent).isEqualTo(2);

        for (int i = 0; i < 4; i++) {
            script.add(() -> new ApiResponse(200, "<html>proxy error</html>", Map.of()));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> caller(4).call(REQ))
                .isInstanceOf(ApiException.class).hasMessageContaining("answer unreadable (not JSON) after 4 attempts");
    }
}

package io.cmsync.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls an API through a transport with bounded retries: 429, 5xx and I/O failures are retried with exponential
 * back-off and jitter, honouring {@code Retry-After}; other answers are returned to the caller as they are.
 */
public final class RetryingCaller {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingCaller.class);

    private final String side;
    private final ApiTransport transport;
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final LongConsumer sleeper;
    private final RateLimiter limiter;
    private final CallListener listener;
    /** The least wait after a 429 that names no Retry-After (Copper: a rolling minute, CONTRACT §12). */
    private Duration throttledWithoutRetryAfter = Duration.ZERO;
    /** A 403 without a body is Mailchimp's "too many connections" (CONTRACT §6): backed off like a 429. */
    private boolean bodylessForbiddenIsThrottle;

    public RetryingCaller(String side, ApiTransport transport, int maxAttempts, Duration baseDelay, Duration maxDelay,
                          RateLimiter limiter, LongConsumer sleeper) {
        this(side, transport, maxAttempts, baseDelay, maxDelay, limiter, sleeper, CallListener.NONE);
    }

    /** @param listener told about every attempt (metrics: calls and 429s per side and endpoint) */
    public RetryingCaller(String side, ApiTransport transport, int maxAttempts, Duration baseDelay, Duration maxDelay,
                          RateLimiter limiter, LongConsumer sleeper, CallListener listener) {
        this.side = side;
        this.transport = transport;
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.limiter = limiter;
        this.sleeper = sleeper;
        this.listener = listener == null ? CallListener.NONE : listener;
    }

    /**
     * What an API's contract asks of a polite client beyond the defaults.
     *
     * @param throttledWithoutRetryAfter the least wait after a 429 without {@code Retry-After}
     * @param bodylessForbiddenIsThrottle a 403 answered without a body is retried like a 429
     */
    public RetryingCaller politeness(Duration throttledWithoutRetryAfter, boolean bodylessForbiddenIsThrottle) {
        this.throttledWithoutRetryAfter = throttledWithoutRetryAfter;
        this.bodylessForbiddenIsThrottle = bodylessForbiddenIsThrottle;
        return this;
    }

    public static LongConsumer threadSleep() {
        return millis -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiIoException("interrupted", e);
            }
        };
    }

    /** Returns the final response (any status that is not retryable, or the last retryable one). */
    public ApiResponse call(ApiRequest request) {
        ApiResponse last = null;
        for (int attempt = 1; ; attempt++) {
            RateLimiter.Permit permit = limiter.acquire();
            try {
                try {
                    last = send(request);
                } finally {
                    permit.done();
                }
                boolean throttled = last.status() == 429 || bodylessForbidden(last);
                boolean garbled = last.status() >= 200 && last.status() < 300 && !wellFormedJson(last.body());
                if (!throttled && !garbled && !retryable(last.status())) {
                    return last;
                }
                if (garbled && attempt >= maxAttempts) {
                    // never read silently: the page (or write) fails, and its contacts with it
                    throw new ApiException(side, last.status(), side + " " + request.label()
                            + ": answer unreadable (not JSON) after " + attempt + " attempts");
                }
                if (attempt >= maxAttempts) {
                    return last;
                }
                String retryAfter = last.header("Retry-After");
                long wait = delay(attempt, retryAfter);
                if (throttled && retryAfter == null) {
                    wait = Math.max(wait, throttledWithoutRetryAfter.toMillis());
                }
                LOG.warn("{} {} answered {}, attempt {}/{}, retrying in {} ms", side, request.label(), last.status(),
                        attempt, maxAttempts, wait);
                int status = last.status();
                long waiting = wait;
                int next = attempt + 1;
                tell(() -> listener.retrying(side, request.label(), status, next, maxAttempts, waiting));
                sleeper.accept(wait);
            } catch (ApiIoException e) {
                if (attempt >= maxAttempts) {
                    throw new ApiException(side, 0, side + " " + request.label() + ": no answer after " + attempt
                            + " attempts (" + e.getMessage() + ")");
                }
                long wait = delay(attempt, null);
                LOG.warn("{} {} failed ({}), attempt {}/{}, retrying in {} ms", side, request.label(), e.getMessage(),
                        attempt, maxAttempts, wait);
                int next = attempt + 1;
                tell(() -> listener.retrying(side, request.label(), 0, next, maxAttempts, wait));
                sleeper.accept(wait);
            }
        }
    }

    private ApiResponse send(ApiRequest request) {
        ApiResponse response;
        try {
            response = transport.send(request);
        } catch (ApiIoException e) {
            tell(() -> listener.noAnswer(side, request.label()));
            throw e;
        }
        tell(() -> listener.answered(side, request.label(), response.status()));
        return response;
    }

    /** A failing listener never fails the call. */
    private static void tell(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.debug("Call listener failed: {}", e.toString());
        }
    }

    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    /** An empty body, or one complete JSON value (streamed: no tree is built). */
    static boolean wellFormedJson(String body) {
        if (body == null || body.isBlank()) {
            return true;
        }
        try (var parser = JSON.createParser(body)) {
            if (parser.nextToken() == null) {
                return true;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private boolean bodylessForbidden(ApiResponse response) {
        return bodylessForbiddenIsThrottle && response.status() == 403
                && (response.body() == null || response.body().isBlank());
    }

    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    long delay(int attempt, String retryAfter) {
        if (retryAfter != null) {
            try {
                long seconds = Long.parseLong(retryAfter.strip());
                return Math.min(Duration.ofSeconds(Math.max(0, seconds)).toMillis(), Math.max(maxDelay.toMillis(), 60_000));
            } catch (NumberFormatException ignored) {
                // an HTTP date or garbage: fall back to back-off
            }
        }
        long exp = baseDelay.toMillis() * (1L << Math.min(attempt - 1, 16));
        long capped = Math.min(exp, maxDelay.toMillis());
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }
}

package io.cmsync.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Rolling-window pacing: at most {@code permits} calls in any {@code windowMillis}. Copper counts 180 requests per
 * rolling minute; pacing here keeps the client under it instead of learning it from 429s.
 */
public final class RateLimiter {
    private final int permits;
    private final long windowMillis;
    private final LongSupplier clock;
    private final LongConsumer sleeper;
    private final Deque<Long> calls = new ArrayDeque<>();

    public RateLimiter(int permits, long windowMillis, LongSupplier clock, LongConsumer sleeper) {
        this.permits = permits;
        this.windowMillis = windowMillis;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static RateLimiter unlimited() {
        return new RateLimiter(Integer.MAX_VALUE, 1, System::currentTimeMillis, m -> { });
    }

    public static RateLimiter perMinute(int permits) {
        return new RateLimiter(permits, 60_000, System::currentTimeMillis, RetryingCaller.threadSleep());
    }

    public synchronized void acquire() {
        if (permits == Integer.MAX_VALUE) {
            return;
        }
        long now = clock.getAsLong();
        while (!calls.isEmpty() && calls.peekFirst() <= now - windowMillis) {
            calls.pollFirst();
        }
        if (calls.size() >= permits) {
            long wait = calls.peekFirst() + windowMillis - now + 1;
            sleeper.accept(wait);
            now = clock.getAsLong();
            while (!calls.isEmpty() && calls.peekFirst() <= now - windowMillis) {
                calls.pollFirst();
            }
        }
        calls.addLast(now);
    }
}

package io.cmsync.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Rolling-window pacing: at most {@code permits} calls in any {@code windowMillis}. Copper counts 180 requests per
 * rolling minute; pacing here keeps the client under it instead of learning it from 429s.
 *
 * <p>The server stamps a call somewhere between the moment it is sent and the moment its answer comes back, and the
 * network moves that moment by more for one call than for another. So a call holds its place in the window from
 * the moment it starts until its answer ({@link Permit#done}), and frees it only a whole window after that answer:
 * a new call then starts at least a window after any stamp the server can have given the old one, whatever the
 * jitter. (Counting from the start alone, a call sent exactly a window after the first call of a connection, whose
 * set-up had delayed it, was refused with a 429.) A window about as short as a call can count from the start instead
 * (see the constructor's {@code fromAnswer}).
 */
public final class RateLimiter {
    /** How long to look again when the window is full of calls still waiting for their answer. */
    static final long IN_FLIGHT_RECHECK_MILLIS = 20;

    private final int permits;
    private final long windowMillis;
    private final LongSupplier clock;
    private final LongConsumer sleeper;
    private final boolean fromAnswer;
    private final List<Permit> calls = new ArrayList<>(); // at most `permits` long

    public RateLimiter(int permits, long windowMillis, LongSupplier clock, LongConsumer sleeper) {
        this(permits, windowMillis, clock, sleeper, true);
    }

    /**
     * @param fromAnswer whether a place is freed a window after the call's answer (jitter-proof, for a window much
     *                   longer than a call) or after its start (for a window of about a call's length, such as
     *                   Copper's 3 bulk calls a second: counting from the answer would cost a latency's share of
     *                   the throughput, 10 % at 100 ms, to save an occasional retried 429)
     */
    public RateLimiter(int permits, long windowMillis, LongSupplier clock, LongConsumer sleeper, boolean fromAnswer) {
        this.permits = permits;
        this.windowMillis = windowMillis;
        this.clock = clock;
        this.sleeper = sleeper;
        this.fromAnswer = fromAnswer;
    }

    public static RateLimiter unlimited() {
        return new RateLimiter(Integer.MAX_VALUE, 1, System::currentTimeMillis, m -> { });
    }

    public static RateLimiter perMinute(int permits) {
        return new RateLimiter(permits, 60_000, System::currentTimeMillis, RetryingCaller.threadSleep());
    }

    /** A call's place in the window; call {@link #done} when its answer (or failure) is in. */
    public final class Permit {
        private final long startedAt;
        private long endedAt;
        private boolean inFlight = true;

        private Permit(long startedAt) {
            this.startedAt = startedAt;
        }

        public void done() {
            synchronized (RateLimiter.this) {
                if (inFlight) {
                    inFlight = false;
                    endedAt = fromAnswer ? clock.getAsLong() : startedAt;
                }
            }
        }
    }

    /** Waits (without holding the lock, so that answers can come in) until the window has room; takes a place. */
    public Permit acquire() {
        if (permits == Integer.MAX_VALUE) {
            return new Permit(0);
        }
        while (true) {
            long wait;
            synchronized (this) {
                long now = clock.getAsLong();
                calls.removeIf(c -> !c.inFlight && c.endedAt <= now - windowMillis);
                if (calls.size() < permits) {
                    Permit p = new Permit(now);
                    calls.add(p);
                    return p;
                }
                // the next place to free: the earliest answered call's (a call still in flight frees its place a
                // whole window after an answer yet to come, so later than any answered one); all in flight: look again
                wait = calls.stream().filter(c -> !c.inFlight).mapToLong(c -> c.endedAt + windowMillis - now + 1)
                        .min().orElse(IN_FLIGHT_RECHECK_MILLIS);
            }
            sleeper.accept(wait);
        }
    }
}

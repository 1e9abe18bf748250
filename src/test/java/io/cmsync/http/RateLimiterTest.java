package io.cmsync.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    final long[] now = {0};
    final List<Long> sleeps = new ArrayList<>();

    RateLimiter limiter(int permits, long window) {
        return new RateLimiter(permits, window, () -> now[0], ms -> {
            sleeps.add(ms);
            now[0] += ms;
        });
    }

    @Test
    void aPlaceIsFreedAWholeWindowAfterTheCallsAnswerNotItsStart() {
        RateLimiter l = limiter(2, 1000);
        RateLimiter.Permit slow = l.acquire(); // sent at 0, answered at 300 (a connection set up, say)
        RateLimiter.Permit fast = l.acquire();
        fast.done();
        now[0] = 300;
        slow.done();
        now[0] = 1001;
        l.acquire().done(); // the fast call's place: free since 1000 after its answer at 0
        assertThat(sleeps).isEmpty();
        l.acquire().done(); // the slow one's: a window after its answer, not after its start
        assertThat(now[0]).isEqualTo(1301);
        assertThat(sleeps).containsExactly(300L);
    }

    @Test
    void aWindowFullOfUnansweredCallsWaitsForAnAnswer() {
        RateLimiter.Permit[] held = new RateLimiter.Permit[1];
        RateLimiter l = new RateLimiter(1, 1000, () -> now[0], ms -> {
            sleeps.add(ms);
            now[0] += ms;
            if (now[0] >= 100) {
                held[0].done(); // the answer comes in at 100 while the next call waits
            }
        });
        held[0] = l.acquire();
        l.acquire();
        // looked again every 20 ms until the answer at 100, then waited a window after it
        assertThat(sleeps).startsWith(20L, 20L, 20L, 20L, 20L).endsWith(1001L);
        assertThat(now[0]).isEqualTo(1101);
    }

    @Test
    void aShortWindowCanCountFromTheCallsStart() {
        RateLimiter l = new RateLimiter(1, 1000, () -> now[0], ms -> {
            sleeps.add(ms);
            now[0] += ms;
        }, false);
        RateLimiter.Permit first = l.acquire();
        now[0] = 100; // answered after 100 ms of latency
        first.done();
        l.acquire().done();
        assertThat(now[0]).isEqualTo(1001); // a second after its start, not after its answer
    }

    @Test
    void unlimitedNeverWaits() {
        RateLimiter l = RateLimiter.unlimited();
        for (int i = 0; i < 1000; i++) {
            l.acquire().done();
        }
        assertThat(sleeps).isEmpty();
    }
}

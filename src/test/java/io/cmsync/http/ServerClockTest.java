package io.cmsync.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The server's time, as its answers' Date headers tell it: the newest kept, anything unreadable ignored. */
class ServerClockTest {
    private static ApiResponse answer(String date) {
        return new ApiResponse(200, "", date == null ? Map.of() : Map.of("date", date));
    }

    @Test
    void keepsTheNewestDateAnswered() {
        ServerClock clock = new ServerClock();
        assertThat(clock.answered()).isFalse();
        clock.saw(answer("Thu, 26 Nov 2026 15:00:05 GMT"));
        clock.saw(answer("Thu, 26 Nov 2026 15:00:03 GMT")); // answers may complete out of order
        assertThat(clock.latest()).isEqualTo(Instant.parse("2026-11-26T15:00:05Z"));
    }

    @Test
    void anAnswerWithoutAReadableDateSaysNothingAboutTheTime() {
        ServerClock clock = new ServerClock();
        clock.saw(answer(null));
        clock.saw(answer("yesterday"));
        assertThat(clock.answered()).isTrue();
        assertThat(clock.latest()).as("the watermarks then count at the end of the run, as before").isNull();
    }
}

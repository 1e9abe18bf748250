package io.cmsync.http;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The server's own time, from the {@code Date} header of its answers (RFC 9110 §6.6.1: every origin server with a
 * clock sends it): the newest seen. The watermarks compare it with the servers' change timestamps, never with the
 * local clock, which may be off.
 */
public final class ServerClock {
    private volatile Instant latest;
    private volatile boolean answered;

    /** Keeps the answer's {@code Date} if it is the newest seen; an answer without a readable one changes nothing. */
    public void saw(ApiResponse response) {
        answered = true;
        String date = response.header("Date");
        if (date == null) {
            return;
        }
        try {
            Instant at = ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            synchronized (this) {
                if (latest == null || at.isAfter(latest)) {
                    latest = at;
                }
            }
        } catch (DateTimeParseException e) {
            // not a date: this answer says nothing about the server's time
        }
    }

    /** Whether the server answered at all: if it did and {@link #latest()} is null, it sends no {@code Date}. */
    public boolean answered() {
        return answered;
    }

    /** The newest {@code Date} answered so far (whole seconds), or null when none was. */
    public Instant latest() {
        return latest;
    }
}

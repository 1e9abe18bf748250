package io.cmsync.report;

import java.time.Duration;
import java.util.Locale;

/** Human-readable durations for logs and reports: {@code 850 ms}, {@code 12.35 s}, {@code 3 min 07 s}. */
final class Durations {

    private Durations() {
    }

    static String format(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min %02d s", seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    }
}

package io.cmsync.health;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

import org.quartz.CronExpression;

/** The time between two consecutive fire times of a Quartz cron, seen from a given instant. */
public final class SchedulePeriod {
    private SchedulePeriod() {
    }

    /**
     * @return the gap between the first two fire times after {@code from}; {@link Duration#ZERO} when the cron never
     * fires twice more (e.g. a date in the past, or a single-year schedule)
     */
    public static Duration of(String cron, Instant from, TimeZone zone) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            throw new IllegalArgumentException("invalid cron '" + cron + "': " + e.getMessage(), e);
        }
        expression.setTimeZone(zone);
        Date first = expression.getNextValidTimeAfter(Date.from(from));
        if (first == null) {
            return Duration.ZERO;
        }
        Date second = expression.getNextValidTimeAfter(first);
        if (second == null) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(second.getTime() - first.getTime());
    }
}

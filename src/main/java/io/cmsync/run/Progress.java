package io.cmsync.run;

import java.util.function.LongSupplier;

/**
 * Progress lines for long runs, at most one every few seconds per kind (pages read, writes done / planned), so a
 * million-contact run logs its progress without drowning the log.
 */
public final class Progress {
    private final long intervalMillis;
    private final LongSupplier clock;
    private long lastReadLog = Long.MIN_VALUE;
    private long lastWriteLog = Long.MIN_VALUE;

    Progress(long intervalMillis, LongSupplier clock) {
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    /** True when a line about reading may be logged now (the first one always is). */
    public synchronized boolean readDue(boolean last) {
        return due(true, last);
    }

    public synchronized boolean writeDue(boolean last) {
        return due(false, last);
    }

    private boolean due(boolean read, boolean last) {
        long now = clock.getAsLong();
        long previous = read ? lastReadLog : lastWriteLog;
        if (!last && previous != Long.MIN_VALUE && now - previous < intervalMillis) {
            return false;
        }
        if (read) {
            lastReadLog = now;
        } else {
            lastWriteLog = now;
        }
        return true;
    }
}

package io.cmsync.run;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A run's list of per-contact report entries that cannot grow without bound: it keeps the first {@code cap} entries
 * added and counts every one ({@link #total()}), so a million-contact run reports exact counts and details for the
 * first entries only. Thread-safe for {@code add}, {@code get} and {@code size} (writers may add from batch threads).
 */
public final class CappedList<T> extends AbstractList<T> {
    private final int cap;
    private final List<T> kept = new ArrayList<>();
    private final Predicate<T> counted;
    private long total;
    private long matching;

    public CappedList(int cap) {
        this(cap, t -> false);
    }

    /** {@code counted}: entries to count apart (e.g. newly forgotten addresses), see {@link #matching()}. */
    public CappedList(int cap, Predicate<T> counted) {
        if (cap < 0) {
            throw new IllegalArgumentException("cap must be >= 0: " + cap);
        }
        this.cap = cap;
        this.counted = counted;
    }

    @Override
    public synchronized boolean add(T entry) {
        total++;
        if (counted.test(entry)) {
            matching++;
        }
        if (kept.size() < cap) {
            kept.add(entry);
        }
        return true;
    }

    @Override
    public synchronized T get(int index) {
        return kept.get(index);
    }

    /** Entries kept (at most the cap). */
    @Override
    public synchronized int size() {
        return kept.size();
    }

    /** Every entry added, kept or not. */
    public synchronized long total() {
        return total;
    }

    /** Entries added that matched the counting predicate. */
    public synchronized long matching() {
        return matching;
    }

    /** A copy of the kept entries. */
    public synchronized List<T> snapshot() {
        return List.copyOf(kept);
    }
}

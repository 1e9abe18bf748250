package io.cmsync.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

import com.carrotsearch.hppc.LongHashSet;
import com.carrotsearch.hppc.LongLongHashMap;
import com.carrotsearch.hppc.cursors.LongLongCursor;

/**
 * What one run read from and wrote to each side's change feed (Copper people by {@code date_modified}, Mailchimp
 * members by {@code last_changed}), so that one count per listing after the run tells whether anyone else changed
 * something meanwhile.
 * <p>
 * The window counted after the run starts just before the newest change the run read (by the overlap, so that a
 * change committed late in those seconds is counted too). If nobody else wrote, it holds exactly: the records the run
 * read in those last seconds (the tail), the records it created, and every other record it changed (each moved into
 * the window by the run's own write). Anything more is someone else's change, and the watermark must not pass it.
 * Records are keyed by e-mail (64 bits of its SHA-256).
 */
public final class EchoLedger {
    private final long overlapSeconds;
    private final Feed copper;
    private final Feed mailchimp;
    private final Feed mailchimpArchived;
    private long copperCreated;
    private long mailchimpCreated;
    private final LongHashSet copperWritten = new LongHashSet();
    private final LongHashSet mailchimpWritten = new LongHashSet();
    private long lastWriteMillis = -1;

    public EchoLedger(long overlapSeconds) {
        this.overlapSeconds = overlapSeconds;
        this.copper = new Feed(overlapSeconds);
        this.mailchimp = new Feed(overlapSeconds);
        this.mailchimpArchived = new Feed(overlapSeconds);
    }

    /** The records of one listing read in the run: the newest change, and who changed within the overlap before it. */
    private static final class Feed {
        private final long overlap;
        private long newest = Long.MIN_VALUE;
        private final LongLongHashMap recent = new LongLongHashMap();
        private int sizeAtLastPrune = 1024;

        Feed(long overlap) {
            this.overlap = overlap;
        }

        void read(long key, long changedAt) {
            newest = Math.max(newest, changedAt);
            if (changedAt > newest - overlap) {
                long before = recent.getOrDefault(key, Long.MIN_VALUE);
                recent.put(key, Math.max(before, changedAt));
            }
            if (recent.size() > 2 * sizeAtLastPrune) {
                prune(newest - overlap);
                sizeAtLastPrune = Math.max(1024, recent.size());
            }
        }

        private void prune(long floor) {
            recent.removeAll((k, v) -> v <= floor);
        }

        boolean inTail(long key, long floor) {
            return recent.getOrDefault(key, Long.MIN_VALUE) > floor;
        }

        long tail(long floor) {
            long n = 0;
            for (LongLongCursor c : recent) {
                if (c.value > floor) {
                    n++;
                }
            }
            return n;
        }
    }

    public synchronized void copperRead(String email, long modifiedEpochSecond) {
        copper.read(key(email), modifiedEpochSecond);
    }

    public synchronized void mailchimpRead(boolean archived, String email, long changedEpochSecond) {
        (archived ? mailchimpArchived : mailchimp).read(key(email), changedEpochSecond);
    }

    public synchronized void copperCreated(long atMillis) {
        copperCreated++;
        wrote(atMillis);
    }

    public synchronized void copperChanged(String email, long atMillis) {
        copperWritten.add(key(email));
        wrote(atMillis);
    }

    public synchronized void mailchimpCreated(long atMillis) {
        mailchimpCreated++;
        wrote(atMillis);
    }

    /** A member changed (names, tags) or restored from the archived (it then leaves that listing for the default one). */
    public synchronized void mailchimpChanged(String email, long atMillis) {
        mailchimpWritten.add(key(email));
        wrote(atMillis);
    }

    private void wrote(long atMillis) {
        lastWriteMillis = Math.max(lastWriteMillis, atMillis);
    }

    public synchronized boolean wroteSomething() {
        return lastWriteMillis >= 0;
    }

    /** When the last write was answered (local clock), or -1. */
    public synchronized long lastWriteMillis() {
        return lastWriteMillis;
    }

    /** The newest Copper change read (epoch seconds), or null when the read returned nothing. */
    public synchronized Long copperNewest() {
        return copper.newest == Long.MIN_VALUE ? null : copper.newest;
    }

    /** The newest Mailchimp change read in either listing (epoch seconds), or null. */
    public synchronized Long mailchimpNewest() {
        long n = Math.max(mailchimp.newest, mailchimpArchived.newest);
        return n == Long.MIN_VALUE ? null : n;
    }

    /**
     * Copper people with {@code date_modified > floor} if nobody else changed anything: {@code floor} is the window's
     * start ({@link #copperNewest()} minus the overlap, or the read's start minus one when nothing was read).
     */
    public synchronized long expectedCopper(long floor) {
        return expected(copper, floor, copperCreated, copperWritten);
    }

    /** Members of the default listing with {@code last_changed > floor} (epoch seconds) if nobody else changed anything. */
    public synchronized long expectedMailchimp(long floor) {
        return expected(mailchimp, floor, mailchimpCreated, mailchimpWritten);
    }

    /** Archived members with {@code last_changed > floor}: the tail read, less those the run restored. */
    public synchronized long expectedMailchimpArchived(long floor) {
        long n = mailchimpArchived.tail(floor);
        for (var c : mailchimpWritten) {
            if (mailchimpArchived.inTail(c.value, floor)) {
                n--;
            }
        }
        return n;
    }

    /** Window start for a listing: the overlap before the newest change read, or {@code fallback} when none was read. */
    public long floor(Long newest, long fallback) {
        return newest == null ? fallback : newest - overlapSeconds;
    }

    private static long expected(Feed feed, long floor, long created, LongHashSet written) {
        long n = feed.tail(floor) + created;
        for (var c : written) {
            if (!feed.inTail(c.value, floor)) {
                n++;
            }
        }
        return n;
    }

    /** 64 bits of the lower-cased address's SHA-256: collisions are negligible at a few million contacts. */
    static long key(String email) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((email == null ? "" : email.strip().toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

package io.cmsync.run;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import com.carrotsearch.hppc.LongHashSet;

/**
 * What one run read from and wrote to each side's change feed (Copper people by {@code date_modified}, Mailchimp
 * members by {@code last_changed}), so that, after the run, one count per listing tells whether anyone else changed
 * something in the read window: if a listing now holds exactly what the run read plus what it wrote, the watermark
 * can move past the run's own writes without reading them back.
 * <p>
 * Records read in the window are counted once, by id (a record changed by someone else while the run was reading
 * can be listed twice; counted twice, it would hide another change); a write adds a record to the window only when it was not read in it:
 * a creation, or a change to a contact whose side was taken from outside the window (hydrated: fetched by id or
 * taken from the synced state). Reactivating a member read among the archived moves it from that listing to the
 * default one.
 */
public final class EchoLedger {
    private final LongHashSet copperRead = new LongHashSet();
    private long copperReadWithoutId;
    private final LongHashSet mailchimpRead = new LongHashSet();
    private final LongHashSet mailchimpArchivedRead = new LongHashSet();
    private final Set<String> copperHydrated = new HashSet<>();
    private final Set<String> mailchimpHydrated = new HashSet<>();
    private long copperCreated;
    private long mailchimpCreated;
    private final Set<String> copperTouchedOutside = new HashSet<>();
    private final Set<String> mailchimpTouchedOutside = new HashSet<>();
    private long restoredFromArchived;
    private long lastWriteMillis = -1;

    /** A Copper person read (id null: a malformed record, counted as one more). */
    public synchronized void copperRead(Long id) {
        if (id == null) {
            copperReadWithoutId++;
        } else {
            copperRead.add(id);
        }
    }

    /** A member read in the default listing or among the archived, by e-mail. */
    public synchronized void mailchimpRead(boolean archived, String email) {
        (archived ? mailchimpArchivedRead : mailchimpRead).add(key(email));
    }

    /** 64 bits of the lower-cased address's SHA-256: collisions are negligible at a few million members. */
    static long key(String email) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((email == null ? "" : email.strip().toLowerCase(java.util.Locale.ROOT))
                            .getBytes(StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(d).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public synchronized void copperHydrated(String email) {
        copperHydrated.add(email);
    }

    public synchronized void mailchimpHydrated(String email) {
        mailchimpHydrated.add(email);
    }

    public synchronized void copperCreated(long atMillis) {
        copperCreated++;
        wrote(atMillis);
    }

    public synchronized void copperChanged(String email, long atMillis) {
        if (copperHydrated.contains(email)) {
            copperTouchedOutside.add(email);
        }
        wrote(atMillis);
    }

    public synchronized void mailchimpCreated(long atMillis) {
        mailchimpCreated++;
        wrote(atMillis);
    }

    public synchronized void mailchimpChanged(String email, long atMillis) {
        if (mailchimpHydrated.contains(email)) {
            mailchimpTouchedOutside.add(email);
        }
        wrote(atMillis);
    }

    /** An archived member made active again: it leaves the archived listing for the default one. */
    public synchronized void mailchimpRestored(String email, long atMillis) {
        if (mailchimpHydrated.contains(email)) {
            mailchimpTouchedOutside.add(email);
        } else {
            restoredFromArchived++;
        }
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

    /** Copper people the read window must hold now if nobody else changed anything. */
    public synchronized long expectedCopper() {
        return copperRead.size() + copperReadWithoutId + copperCreated + copperTouchedOutside.size();
    }

    /** Members of the default listing the read window must hold now if nobody else changed anything. */
    public synchronized long expectedMailchimp() {
        return mailchimpRead.size() + mailchimpCreated + mailchimpTouchedOutside.size() + restoredFromArchived;
    }

    /** Archived members the read window must hold now if nobody else changed anything. */
    public synchronized long expectedMailchimpArchived() {
        return mailchimpArchivedRead.size() - restoredFromArchived;
    }
}

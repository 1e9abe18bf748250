package io.cmsync.run;

/**
 * What a person watching the console hears about runs: the start, each stage's progress, the end. The run's steps
 * call it as they go; the console decides what to show and how often (io.cmsync.console). {@link #NONE} in tests
 * and tools that build runs by hand.
 */
public interface RunConsole {
    RunConsole NONE = new RunConsole() {
    };

    /** The run has decided what it reads (full or incremental): its start line. */
    default void started(SyncRun run) {
    }

    /** Copper people read so far; {@code total} is an upper bound, or -1 when unknown. */
    default void copperRead(long read, long total) {
    }

    /** Mailchimp members read so far, of {@code total} (-1 when unknown). */
    default void mailchimpRead(long read, long total) {
    }

    /** The whole plan is known (its counts are on the run). */
    default void planned(SyncRun run) {
    }

    /** Writes done so far, of {@code planned}. */
    default void written(long done, long planned) {
    }

    /** The run has ended (reports written or lost): its summary. */
    default void ended(SyncRun run) {
    }

    /** No run: another one holds the lock (a file, or the database lock: {@code RunLock.describe}). */
    default void lockHeld(String lockFile) {
    }
}

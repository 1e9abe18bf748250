package io.cmsync.run;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The elements a route step hands to a streaming {@code split} (pages read, chunks of the plan), produced one at a
 * time. After one fails, there are no more: Camel's split asks {@code next()} again after one threw, which would send
 * every failed call twice.
 */
public abstract class StepIterator<T> implements Iterator<T> {
    private boolean more = true;

    /** The next element; {@link #last()} when it is the final one. */
    protected abstract T produce();

    /** Called by {@link #produce()}: this element is the last one. */
    protected final void last() {
        more = false;
    }

    @Override
    public final boolean hasNext() {
        return more;
    }

    @Override
    public final T next() {
        if (!more) {
            throw new NoSuchElementException();
        }
        try {
            return produce();
        } catch (RuntimeException e) {
            more = false; // the run stops on it
            throw e;
        }
    }
}

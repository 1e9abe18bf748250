package io.cmsync.sync;

import java.util.ArrayList;
import java.util.List;

/** Splits a list into consecutive views of at most {@code size} elements (one API call each). */
public final class Chunks {
    private Chunks() {
    }

    public static <T> List<List<T>> of(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(from + size, items.size())));
        }
        return chunks;
    }
}

package io.cmsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Peak heap of a JVM from its unified GC log ({@code -Xlog:gc,gc+heap+exit:file=...}). Used heap only grows between two
 * collections, so its peak is the largest "before" value of a collection ({@code 123M->45M(256M)}) or the heap in use at
 * exit ({@code garbage-first heap total 262144K, used 41235K}), whichever is larger. Precision: the log's units (1 MB for
 * the pause lines).
 */
public final class HeapLog {
    private static final Pattern PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern EXIT_USED = Pattern.compile("\\bheap\\s+total\\s+(\\d+)([KMG]), used (\\d+)([KMG])");

    private HeapLog() {
    }

    public static long peakBytes(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return -1;
        }
        return peakBytes(Files.readAllLines(gcLog));
    }

    public static long peakBytes(List<String> lines) {
        long peak = -1;
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, bytes(m.group(1), m.group(2)));
            }
            Matcher e = EXIT_USED.matcher(line);
            if (e.find()) {
                peak = Math.max(peak, bytes(e.group(3), e.group(4)));
            }
        }
        return peak;
    }

    static long bytes(String n, String unit) {
        long v = Long.parseLong(n);
        return switch (unit) {
            case "K" -> v << 10;
            case "M" -> v << 20;
            case "G" -> v << 30;
            default -> v;
        };
    }
}

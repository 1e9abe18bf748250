package io.cmsync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo's small runs as a user starts them (docs/benchmark.md, "Small runs"): the packaged jar, a fresh JVM per
 * run, from process start to exit. Each round: {@code --sandbox --reset --once} (the first run of the 30-contact demo),
 * then {@code --sandbox --once} right after it (nothing changed; it counts or rereads the first run's writes), then
 * {@code --sandbox --once} again (nothing changed, nothing left to count). Prints min and median of each.
 * <pre>
 * java -cp "target/test-classes:target/classes:target/lib/*" io.cmsync.bench.SmallRuns [--runs 7]
 *      [--jar target/copper-mailchimp-sync.jar] [--java-opts "-XX:TieredStopAtLevel=1 ..."] [--work DIR]
 * </pre>
 */
public final class SmallRuns {
    private SmallRuns() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path project = Path.of(opts.getOrDefault("project", ".")).toAbsolutePath().normalize();
        Path jar = project.resolve(opts.getOrDefault("jar", "target/copper-mailchimp-sync.jar")).toAbsolutePath();
        int runs = Integer.parseInt(opts.getOrDefault("runs", "7"));
        List<String> javaOpts = opts.getOrDefault("java-opts", "").isBlank() ? List.of()
                : Arrays.asList(opts.get("java-opts").strip().split("\\s+"));
        Path work = opts.containsKey("work") ? Path.of(opts.get("work")) : Files.createTempDirectory("small-runs");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: build it first with  mvn -B package -DskipTests");
        }
        // what a user's directory holds: the shipped config/ and routes/ (the sandbox writes data/ and reports/)
        copyTree(project.resolve("config"), work.resolve("config"));
        copyTree(project.resolve("routes"), work.resolve("routes"));

        String[][] kinds = {
            {"first run: --sandbox --reset --once", "--sandbox", "--reset", "--once"},
            {"no change, right after: --sandbox --once", "--sandbox", "--once"},
            {"no change, again: --sandbox --once", "--sandbox", "--once"},
        };
        // the first one-shot run after a build writes the class-data archive next to the jar (Launcher): not timed
        long warmUp = run(work, jar, javaOpts, new String[] {"--sandbox", "--reset", "--once"}, 0, 0);
        System.out.println("warm-up (writes the class-data archive after a build): " + warmUp + " ms");
        List<List<Long>> millis = new ArrayList<>();
        for (int k = 0; k < kinds.length; k++) {
            millis.add(new ArrayList<>());
        }
        for (int round = 1; round <= runs; round++) {
            for (int k = 0; k < kinds.length; k++) {
                long ms = run(work, jar, javaOpts, Arrays.copyOfRange(kinds[k], 1, kinds[k].length), round, k);
                millis.get(k).add(ms);
            }
            System.out.println("round " + round + ": " + millis.stream().map(l -> l.get(l.size() - 1) + " ms").toList());
        }
        StringBuilder out = new StringBuilder("\n| Run (" + runs + " rounds" + (javaOpts.isEmpty() ? ""
                : ", " + String.join(" ", javaOpts)) + ") | min | median |\n| --- | --- | --- |\n");
        for (int k = 0; k < kinds.length; k++) {
            List<Long> l = new ArrayList<>(millis.get(k));
            l.sort(Long::compare);
            out.append("| ").append(kinds[k][0]).append(" | ").append(seconds(l.get(0))).append(" | ")
                    .append(seconds(median(l))).append(" |\n");
        }
        System.out.println(out);
    }

    /** One product process, from start to exit (its output in the work directory). */
    private static long run(Path work, Path jar, List<String> javaOpts, String[] args, int round, int kind)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOpts);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(Arrays.asList(args));
        Path log = work.resolve("product-" + round + "-" + kind + ".log");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int exit = p.waitFor();
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited with " + exit + ": see " + log);
        }
        return ms;
    }

    static long median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.2f s", ms / 1000.0);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}

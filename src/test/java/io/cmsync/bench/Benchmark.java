package io.cmsync.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.sandbox.SandboxServer;

/**
 * The benchmark (docs/benchmark.md): for each scenario, a sandbox in its own JVM loaded with generated data, the product
 * run as a user runs it ({@code java -jar target/copper-mailchimp-sync.jar --once} in a working directory of its own), the
 * API calls counted by the sandbox per endpoint, compared with the scenario's lower bound. Prints one table and writes it
 * to {@code target/benchmark-results.md}.
 *
 * <pre>Benchmark [SCENARIOS] [--timeout-minutes N] [--size1 N] [--size3 N] [--size4 N] [--product-xmx SIZE] [--jar FILE] [--out FILE]</pre>
 * SCENARIOS: comma-separated numbers 1..6 or {@code all}; default {@code 1,2,3,5} (scenarios 4 and 6 only on request).
 */
public final class Benchmark {
    static final long SEED = 20_250_101L;
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path jar;
    private final Path work;
    private final Duration timeout;
    private final Map<String, String> opts;
    private final List<Row> rows = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();

    Benchmark(Path root, Map<String, String> opts) {
        this.root = root;
        this.opts = opts;
        this.jar = root.resolve(opts.getOrDefault("jar", "target/copper-mailchimp-sync.jar")).toAbsolutePath();
        this.work = root.resolve("target/bench/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath();
        this.timeout = Duration.ofMinutes(Long.parseLong(opts.getOrDefault("timeout-minutes", "30")));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        String scenarios = "1,2,3,5";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                opts.put(a.substring(2), args[++i]);
            } else if (!a.isBlank()) {
                scenarios = a;
            }
        }
        if (scenarios.equalsIgnoreCase("small")) {
            // the demo's small runs, process start to exit (SmallRuns)
            SmallRuns.main(Arrays.stream(args).filter(x -> !x.equalsIgnoreCase("small")).toArray(String[]::new));
            return;
        }
        Set<Integer> wanted = new LinkedHashSet<>();
        for (String s : (scenarios.equalsIgnoreCase("all") ? "1,2,3,4,5,6" : scenarios).split(",")) {
            if (!s.isBlank()) {
                wanted.add(Integer.parseInt(s.strip()));
            }
        }
        Path root = Path.of(opts.getOrDefault("project", ".")).toAbsolutePath().normalize();
        Benchmark b = new Benchmark(root, opts);
        Runtime.getRuntime().addShutdownHook(new Thread(b::killChildren));
        b.run(wanted);
    }

    void run(Set<Integer> wanted) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: build it first with  mvn -B package -DskipTests");
        }
        Files.createDirectories(work);
        log("work directory " + work);
        if (wanted.contains(1) || wanted.contains(2)) {
            scenario1and2(wanted.contains(1), wanted.contains(2));
        }
        if (wanted.contains(3)) {
            scenario3();
        }
        if (wanted.contains(4)) {
            scenario4();
        }
        if (wanted.contains(5)) {
            scenario5();
        }
        if (wanted.contains(6)) {
            scenario6();
        }
        String table = table();
        System.out.println();
        System.out.println(table);
        Path out = root.resolve(opts.getOrDefault("out", "target/benchmark-results.md"));
        Files.createDirectories(out.getParent());
        Files.writeString(out, "# Benchmark results\n\n" + LocalDateTime.now().withNano(0) + ", "
                + Runtime.getRuntime().availableProcessors() + " CPU(s), work directory `" + work + "`\n\n" + table);
        log("results written to " + out);
    }

    // ------------------------------------------------------------------ scenarios

    private void scenario1and2(boolean report1, boolean report2) throws Exception {
        int n = Integer.parseInt(opts.getOrDefault("size1", "10000"));
        DataGenerator gen = DataGenerator.halfOverlapping(n, SEED, SandboxServer.LIST_ID);
        try (Sandbox sb = startSandbox(seedFile(gen), "s1")) {
            Path wd = workDir("s1", false);
            sb.resetCalls();
            log("scenario 1: first sync, " + n + " per side, half overlapping");
            Run r = runProduct(wd, sb, null);
            Map<String, Long> calls = sb.calls();
            Verification v = verifyAll(sb, gen);
            LowerBound lb = LowerBound.firstSync(gen).withDefinitionReads();
            if (report1) {
                long total = calls.getOrDefault("total", 0L);
                boolean met = r.completed() && total <= 1.1 * lb.total() && v.ok();
                rows.add(new Row("1 first sync", n, calls, lb, r, "calls ≤ 1.1 × LB, all synced", met,
                        r.notes() + "; " + v));
            }
            if (report2) {
                Thread.sleep(1100); // a new second: "nothing changed since" is then unambiguous for second-granular APIs
                sb.resetCalls();
                log("scenario 2: run right after scenario 1, nothing changed");
                Run r2 = runProduct(wd, sb, null);
                Map<String, Long> calls2 = sb.calls();
                LowerBound lb2 = LowerBound.of(0, 0, 0, 0).withDefinitionReads();
                long total = calls2.getOrDefault("total", 0L);
                // 4 calls before field mappings, plus the two definition reads a mapping adds
                boolean met = r2.completed() && total <= 4 + 2 && r2.syncMillis() >= 0 && r2.syncMillis() < 2000;
                rows.add(new Row("2 no change", n, calls2, lb2, r2, "≤ 4 + 2 calls, sync run < 2 s", met, r2.notes()));
            }
        }
    }

    private void scenario3() throws Exception {
        int n = Integer.parseInt(opts.getOrDefault("size3", "100000"));
        // already in sync: every contact on both sides, same names and tags; the setup run records the synced state
        DataGenerator gen = new DataGenerator(n, n, SEED, SandboxServer.LIST_ID);
        try (Sandbox sb = startSandbox(seedFile(gen), "s3")) {
            Path wd = workDir("s3", false);
            log("scenario 3: setup run (first sync of " + n + " identical contacts per side)");
            Run setup = runProduct(wd, sb, null);
            if (!setup.completed()) {
                rows.add(new Row("3 1% changed", n, Map.of(), null, setup, "calls ≤ 1.1 × LB", false,
                        "setup run failed: " + setup.notes()));
                return;
            }
            Thread.sleep(1100);
            // 1% of the contacts changed on each side, disjoint: i % 100 == 0 in Copper, i % 100 == 50 in Mailchimp
            List<Integer> inCopper = new ArrayList<>(), inMailchimp = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i % 100 == 0) {
                    inCopper.add(i);
                } else if (i % 100 == 50) {
                    inMailchimp.add(i);
                }
            }
            sb.changeCopperLastNames(gen, inCopper);
            sb.changeMailchimpLastNames(gen, inMailchimp);
            Thread.sleep(1100);
            sb.resetCalls();
            log("scenario 3: incremental run, " + inCopper.size() + " changed in Copper, " + inMailchimp.size()
                    + " in Mailchimp");
            Run r = runProduct(wd, sb, null);
            Map<String, Long> calls = sb.calls();
            LowerBound lb = LowerBound.of(inCopper.size(), inMailchimp.size(), inMailchimp.size(), inCopper.size())
                    .withDefinitionReads();
            Set<Integer> changed = new HashSet<>(inCopper);
            changed.addAll(inMailchimp);
            Verification v = verifyChanged(sb, gen, changed);
            long total = calls.getOrDefault("total", 0L);
            boolean met = r.completed() && total <= 1.1 * lb.total() && v.ok();
            rows.add(new Row("3 1% changed", n, calls, lb, r, "calls ≤ 1.1 × LB, changes propagated", met,
                    r.notes() + "; " + v));
        }
    }

    private void scenario4() throws Exception {
        int n = Integer.parseInt(opts.getOrDefault("size4", "1000000"));
        String heap = opts.getOrDefault("product-xmx", "512m");
        DataGenerator gen = DataGenerator.halfOverlapping(n, SEED, SandboxServer.LIST_ID);
        try (Sandbox sb = startSandbox(seedFile(gen), "s4")) {
            Path wd = workDir("s4", false);
            sb.resetCalls();
            log("scenario 4: first sync, " + n + " per side, half overlapping, product -Xmx" + heap + ", timeout " + timeout);
            Run r = runProduct(wd, sb, "-Xmx" + heap);
            Map<String, Long> calls = sb.calls();
            Verification v = verifyAll(sb, gen);
            LowerBound lb = LowerBound.firstSync(gen).withDefinitionReads();
            boolean met = r.completed() && v.ok();
            rows.add(new Row("4 first sync, -Xmx" + heap, n, calls, lb, r, "completes in -Xmx" + heap + ", all synced", met,
                    r.notes() + "; " + v));
        }
    }

    private void scenario5() throws Exception {
        int n = Integer.parseInt(opts.getOrDefault("size1", "10000"));
        DataGenerator gen = DataGenerator.halfOverlapping(n, SEED, SandboxServer.LIST_ID);
        try (Sandbox sb = startSandbox(seedFile(gen), "s5")) {
            Path wd = workDir("s5", true);
            sb.faults("{\"latencyMs\":100,\"copperRequestsPerMinute\":180,\"mailchimpMaxConcurrent\":10}");
            sb.resetCalls();
            log("scenario 5: scenario 1 with 100 ms latency, Copper 180/min, Mailchimp 10 connections");
            Run r = runProduct(wd, sb, null);
            Map<String, Long> calls = sb.calls();
            sb.faults("{}");
            Verification v = verifyAll(sb, gen);
            LowerBound lb = LowerBound.firstSync(gen).withDefinitionReads();
            double floor = lb.copperRateFloorSeconds();
            boolean met = r.completed() && r.wallMillis() <= 1.15 * floor * 1000 && r.count429() == 0 && v.ok();
            rows.add(new Row("5 = 1 + latency & limits", n, calls, lb, r,
                    String.format(Locale.ROOT, "wall ≤ 1.15 × %.0f s floor, no 429", floor), met,
                    r.notes() + String.format(Locale.ROOT, "; wall/floor %.2f; ", r.wallMillis() / 1000.0 / floor) + v));
        }
    }

    // ------------------------------------------------------------------ data and working directories

    private Path seedFile(DataGenerator gen) throws IOException {
        Path f = work.resolve("seed-" + gen.perSide() + "-" + gen.overlap() + ".json");
        if (!Files.exists(f)) {
            long t = System.nanoTime();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
                gen.write(out);
            }
            log(String.format(Locale.ROOT, "generated %s (%,d bytes) in %.1f s", f.getFileName(), Files.size(f),
                    (System.nanoTime() - t) / 1e9));
        }
        return f;
    }

    /**
     * A working directory as a user has it: config/ and routes/ copied from the project, a .env with the sandbox keys.
     * PRODUCTION mode (the generated addresses carry no test marker). Unpaced scenarios raise the client-side Copper
     * pacing (rolling minute and bulk calls per second) to its maximum setting, since their sandbox imposes no limit:
     * they measure calls and memory, not pacing; scenario 5 keeps the shipped 180/min and 3 bulk calls a second.
     */
    private Path workDir(String name, boolean shippedPacing) throws IOException {
        Path wd = work.resolve(name);
        Files.createDirectories(wd.resolve("config"));
        copyDir(root.resolve("routes"), wd.resolve("routes"));
        String props = Files.readString(root.resolve("config/application.properties"), StandardCharsets.UTF_8);
        props = props.replaceAll("(?m)^sync\\.mode=.*$", "sync.mode=PRODUCTION");
        if (!shippedPacing) {
            props = props.replaceAll("(?m)^copper\\.requests-per-minute=.*$", "copper.requests-per-minute=10000");
            props = props.replaceAll("(?m)^copper\\.bulk-requests-per-second=.*$", "copper.bulk-requests-per-second=1000");
        }
        Files.writeString(wd.resolve("config/application.properties"), props, StandardCharsets.UTF_8);
        // mapped fields besides the names (issue 15): each run reads the two accounts' field definitions
        Files.writeString(wd.resolve("config/mapping.yaml"), DataGenerator.MAPPING, StandardCharsets.UTF_8);
        Files.writeString(wd.resolve(".env"), "COPPER_API_KEY=" + SandboxServer.COPPER_API_KEY + "\n"
                + "COPPER_API_EMAIL=" + SandboxServer.COPPER_USER_EMAIL + "\n"
                + "MAILCHIMP_API_KEY=" + SandboxServer.MAILCHIMP_API_KEY + "\n"
                + "MAILCHIMP_LIST_ID=" + SandboxServer.LIST_ID + "\n");
        return wd;
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    /**
     * Scenario 6 (issue 16): three sync pairs sharing one Copper account under Copper's real limits (180 requests per
     * rolling minute, 3 bulk calls a second, 100 ms latency; Mailchimp 10 connections). Copper holds 3 × {@code size6}
     * people, a third tagged « Newsletter A », « … B », « … C »; each pair syncs its tag with its own audience, which
     * holds half its pair's people and as many members of its own. {@code --once} runs the three pairs in turn in one
     * process, whose Copper limiter they share. Target: no 429, wall ≤ 1.15 × the floor of their combined Copper calls.
     */
    private void scenario6() throws Exception {
        int n = Integer.parseInt(opts.getOrDefault("size6", "2000"));
        String[] pairs = {"a", "b", "c"};
        String[] lists = {SandboxServer.LIST_ID, "b1b2b3b4b5", "c1c2c3c4c5"};
        DataGenerator names = new DataGenerator(3 * n, 0, SEED, SandboxServer.LIST_ID);
        Path seed = work.resolve("seed-pairs-" + n + ".json");
        writePairsSeed(seed, names, n, pairs, lists);
        try (Sandbox sb = startSandbox(seed, "s6")) {
            Path wd = workDir("s6", true);
            Files.delete(wd.resolve("config/mapping.yaml")); // names only: the pairs are what is measured here
            StringBuilder props = new StringBuilder("\npairs=a,b,c\n");
            StringBuilder env = new StringBuilder();
            for (int p = 0; p < pairs.length; p++) {
                props.append("pair.").append(pairs[p]).append(".scope.copper-tag=Newsletter ")
                        .append(pairs[p].toUpperCase(Locale.ROOT)).append('\n');
                env.append(pairs[p].toUpperCase(Locale.ROOT)).append("_MAILCHIMP_LIST_ID=").append(lists[p]).append('\n');
            }
            Files.writeString(wd.resolve("config/application.properties"), props, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(wd.resolve(".env"), env, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            sb.faults("{\"latencyMs\":100,\"copperRequestsPerMinute\":180,\"mailchimpMaxConcurrent\":10}");
            sb.resetCalls();
            log("scenario 6: three pairs on one Copper account (" + 3 * n + " people), 100 ms latency, Copper 180/min");
            Run r = runProduct(wd, sb, null);
            Map<String, Long> calls = sb.calls();
            sb.faults("{}");
            long copperCalls = calls.entrySet().stream().filter(e -> e.getKey().contains("/developer_api/"))
                    .mapToLong(Map.Entry::getValue).sum();
            double floor = copperCalls * 60.0 / LowerBound.COPPER_PER_MINUTE;
            Verification v = verifyPairs(sb, names, n, lists);
            boolean met = r.completed() && r.wallMillis() <= 1.15 * floor * 1000 && r.count429() == 0 && v.ok();
            rows.add(new Row("6 three pairs, one Copper account", 3 * n, calls, null, r,
                    String.format(Locale.ROOT, "wall ≤ 1.15 × %.0f s floor (%d Copper calls), no 429", floor,
                            copperCalls), met,
                    r.notes() + String.format(Locale.ROOT, "; wall/floor %.2f; ", r.wallMillis() / 1000.0 / floor) + v));
        }
    }

    /** Person i has pair i % 3's tag; the even ones of each pair are members of its audience too, beside as many members of its own. */
    private static void writePairsSeed(Path file, DataGenerator names, int n, String[] pairs, String[] lists)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode copper = root.putObject("copper");
        copper.put("next_id", 1_000_001L + 3L * n);
        com.fasterxml.jackson.databind.node.ArrayNode people = copper.putArray("people");
        for (int i = 0; i < 3 * n; i++) {
            ObjectNode p = people.addObject();
            p.put("id", 1_000_001L + i);
            p.put("name", names.firstName(i) + " " + names.lastName(i));
            p.put("first_name", names.firstName(i));
            p.put("last_name", names.lastName(i));
            p.putArray("emails").addObject().put("email", names.email(i)).put("category", "work");
            p.putArray("tags").add("Newsletter " + pairs[i % 3].toUpperCase(Locale.ROOT));
            p.put("date_created", DataGenerator.SEED_EPOCH + i / 50);
            p.put("date_modified", DataGenerator.SEED_EPOCH + i / 50);
        }
        com.fasterxml.jackson.databind.node.ArrayNode ls = root.putObject("mailchimp").putArray("lists");
        for (int p = 0; p < pairs.length; p++) {
            ObjectNode list = ls.addObject();
            list.put("id", lists[p]);
            list.put("name", "Audience " + pairs[p].toUpperCase(Locale.ROOT));
            list.put("date_created", DataGenerator.SEED_ISO);
            com.fasterxml.jackson.databind.node.ArrayNode members = list.putArray("members");
            for (int i = p; i < 3 * n; i += 3) {
                if ((i / 3) % 2 == 0) {
                    member(members, names.email(i), names.firstName(i), names.lastName(i));
                }
            }
            for (int k = 0; k < n / 2; k++) {
                member(members, "abonne." + pairs[p] + "." + k + "@bench-mc.fr", names.firstName(k), names.lastName(k));
            }
        }
        ((ObjectNode) root.path("mailchimp")).putArray("forgotten");
        JSON.writeValue(file.toFile(), root);
    }

    private static void member(com.fasterxml.jackson.databind.node.ArrayNode members, String email, String first,
                               String last) {
        ObjectNode m = members.addObject();
        m.put("email_address", email);
        m.put("status", "subscribed");
        m.putObject("merge_fields").put("FNAME", first).put("LNAME", last);
        m.put("last_changed", DataGenerator.SEED_ISO);
        m.put("timestamp_signup", DataGenerator.SEED_ISO);
        m.put("timestamp_opt", DataGenerator.SEED_ISO);
    }

    /** Each audience holds its pair's people and its own members, and nobody else's; Copper holds everyone once. */
    private Verification verifyPairs(Sandbox sb, DataGenerator names, int n, String[] lists) throws Exception {
        HttpResponse<InputStream> r = sb.http.send(HttpRequest.newBuilder(URI.create(sb.base + "/_sandbox/state"))
                .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        JsonNode state;
        try (InputStream in = r.body()) {
            state = JSON.readTree(in);
        }
        Map<String, Integer> copperCount = new HashMap<>();
        for (JsonNode p : state.path("copper").path("people")) {
            for (JsonNode e : p.path("emails")) {
                copperCount.merge(e.path("email").asText().toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        long wrongCopper = 0;
        long wrongMailchimp = 0;
        for (int p = 0; p < lists.length; p++) {
            Set<String> audience = new HashSet<>();
            for (JsonNode l : state.path("mailchimp").path("lists")) {
                if (l.path("id").asText().equals(lists[p])) {
                    l.path("members").forEach(m -> audience.add(m.path("email_address").asText().toLowerCase(Locale.ROOT)));
                }
            }
            Set<String> want = new HashSet<>();
            for (int i = p; i < 3 * n; i += 3) {
                want.add(names.email(i));
            }
            String pair = new String[] {"a", "b", "c"}[p];
            for (int k = 0; k < n / 2; k++) {
                want.add("abonne." + pair + "." + k + "@bench-mc.fr");
            }
            wrongMailchimp += want.stream().filter(e -> !audience.contains(e)).count()
                    + audience.stream().filter(e -> !want.contains(e)).count();
            wrongCopper += want.stream().filter(e -> copperCount.getOrDefault(e, 0) != 1).count();
        }
        long people = copperCount.size();
        long members = 0;
        for (JsonNode l : state.path("mailchimp").path("lists")) {
            members += l.path("members").size();
        }
        return new Verification(3L * n + 3L * (n / 2), wrongCopper, wrongMailchimp, people, members);
    }

    // ------------------------------------------------------------------ processes

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Sandbox startSandbox(Path seed, String name) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path logFile = work.resolve("sandbox-" + name + ".log");
        String xmx = "-Xmx" + opts.getOrDefault("sandbox-xmx", "6g");
        Process p = new ProcessBuilder(java(), xmx, "-jar", jar.toString(), "sandbox", "serve", "--port",
                String.valueOf(port), "--data", seed.toString())
                .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        children.add(p);
        Sandbox sb = new Sandbox(p, "http://127.0.0.1:" + port);
        long t = System.nanoTime();
        long deadline = t + TimeUnit.MINUTES.toNanos(15);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("sandbox exited with " + p.exitValue() + ", see " + logFile);
            }
            try {
                sb.calls();
                break;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("sandbox did not answer within 15 minutes, see " + logFile);
                }
                Thread.sleep(200);
            }
        }
        log(String.format(Locale.ROOT, "sandbox %s up on port %d in %.1f s", name, port, (System.nanoTime() - t) / 1e9));
        return sb;
    }

    private Run runProduct(Path wd, Sandbox sb, String xmx) throws Exception {
        int k = 1;
        while (Files.exists(wd.resolve("product-" + k + ".log"))) {
            k++;
        }
        Path logFile = wd.resolve("product-" + k + ".log");
        Path gcLog = wd.resolve("gc-" + k + ".log");
        List<String> cmd = new ArrayList<>(List.of(java()));
        if (xmx != null) {
            cmd.add(xmx);
        }
        cmd.add("-Xlog:gc,gc+heap+exit:file=" + gcLog);
        // --confirm-plan: a first production sync (and a mass change) is what the benchmark measures, so the
        // safety brake is confirmed the way an operator would
        cmd.addAll(List.of("-jar", jar.toString(), "--once", "--confirm-plan", "--config",
                wd.resolve("config/application.properties").toString(), "--env-file", wd.resolve(".env").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(wd.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        pb.environment().put("COPPER_BASE_URL", sb.base + "/developer_api/v1");
        pb.environment().put("MAILCHIMP_BASE_URL", sb.base + "/3.0");
        long started = System.currentTimeMillis();
        long t = System.nanoTime();
        Process p = pb.start();
        children.add(p);
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long wall = (System.nanoTime() - t) / 1_000_000;
        Integer exit = null;
        if (done) {
            exit = p.exitValue();
        } else {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        children.remove(p);
        long c429 = 0;
        boolean oom = false;
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            for (String l : (Iterable<String>) lines::iterator) {
                if (l.contains("answered 429")) {
                    c429++;
                }
                if (l.contains("OutOfMemoryError")) {
                    oom = true;
                }
            }
        } catch (java.io.UncheckedIOException e) {
            // a malformed line: counts stay as found so far
        }
        JsonNode report = latestReport(wd, started);
        // the 429s the sandbox sent are the ones received; the product's log must show each (its caller logs every
        // retried answer): a difference means something else answered or retried them (CAMEL-23345)
        long served429 = sb.responses().getOrDefault("429", 0L);
        if (served429 != c429) {
            log("  429 answers: " + served429 + " sent by the sandbox, " + c429 + " in the product's log");
        }
        Run r = new Run(exit, wall, HeapLog.peakBytes(gcLog), report == null ? -1 : report.path("durationMillis").asLong(-1),
                served429, oom, report, logFile);
        log("  " + r.notes() + String.format(Locale.ROOT, ", wall %.1f s", wall / 1000.0));
        return r;
    }

    private static JsonNode latestReport(Path wd, long since) throws IOException {
        Path dir = wd.resolve("reports");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        Path best = null;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("import_report_.*\\.json")).toList()) {
                if (Files.getLastModifiedTime(f).toMillis() >= since - 1000
                        && (best == null || Files.getLastModifiedTime(f).compareTo(Files.getLastModifiedTime(best)) > 0)) {
                    best = f;
                }
            }
        }
        return best == null ? null : JSON.readTree(best.toFile());
    }

    private void killChildren() {
        for (Process p : new ArrayList<>(children)) {
            p.destroy();
        }
    }

    private static void log(String s) {
        System.err.println("[bench " + LocalDateTime.now().withNano(0).toLocalTime() + "] " + s);
    }

    // ------------------------------------------------------------------ verification

    /** Every generated contact exists on both sides (Mailchimp: subscribed). */
    private Verification verifyAll(Sandbox sb, DataGenerator gen) throws Exception {
        Dump d = sb.dump(null);
        long missC = 0, missM = 0;
        for (int i = 0; i < gen.unique(); i++) {
            String e = gen.email(i);
            if (!d.copperEmails.contains(e)) {
                missC++;
            }
            if (!"subscribed".equals(d.mailchimpStatus.get(e))) {
                missM++;
            }
            // the mapped fields reached both sides (every contact starts with them on the side it is on)
            String want = gen.phone(i) + "|" + gen.company(i) + "|" + gen.sector(i);
            if (d.copperEmails.contains(e) && !want.equals(d.copperFields.get(e))) {
                missC++;
            }
            if (d.mailchimpStatus.containsKey(e) && !want.equals(d.mailchimpFields.get(e))) {
                missM++;
            }
        }
        return new Verification(gen.unique(), missC, missM, d.copperPeople, d.mailchimpMembers);
    }

    /** The changed contacts carry the changed last name on both sides. */
    private Verification verifyChanged(Sandbox sb, DataGenerator gen, Set<Integer> changed) throws Exception {
        Set<String> watch = new HashSet<>();
        for (int i : changed) {
            watch.add(gen.email(i));
        }
        Dump d = sb.dump(watch);
        long badC = 0, badM = 0;
        for (int i : changed) {
            String e = gen.email(i), want = changedLastName(gen, i);
            if (!want.equals(d.copperLastName.get(e))) {
                badC++;
            }
            if (!want.equals(d.mailchimpLastName.get(e))) {
                badM++;
            }
        }
        return new Verification(changed.size(), badC, badM, d.copperPeople, d.mailchimpMembers);
    }

    static String changedLastName(DataGenerator gen, int i) {
        return gen.lastName(i) + "-Modifié";
    }

    record Verification(long expected, long wrongCopper, long wrongMailchimp, long copperPeople, long mailchimpMembers) {
        boolean ok() {
            return wrongCopper == 0 && wrongMailchimp == 0;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "dump: %,d people / %,d members; of %,d expected, %,d wrong or missing in Copper, "
                    + "%,d in Mailchimp", copperPeople, mailchimpMembers, expected, wrongCopper, wrongMailchimp);
        }
    }

    static final class Dump {
        final Set<String> copperEmails = new HashSet<>();
        final Map<String, String> mailchimpStatus = new HashMap<>();
        final Map<String, String> copperLastName = new HashMap<>();
        final Map<String, String> mailchimpLastName = new HashMap<>();
        /** "phone|company|sector" per e-mail, as each side holds the mapped fields. */
        final Map<String, String> copperFields = new HashMap<>();
        final Map<String, String> mailchimpFields = new HashMap<>();
        long copperPeople;
        long mailchimpMembers;
    }

    // ------------------------------------------------------------------ the sandbox process and its admin API

    final class Sandbox implements AutoCloseable {
        final Process process;
        final String base;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Sandbox(Process process, String base) {
            this.process = process;
            this.base = base;
        }

        Map<String, Long> calls() throws IOException, InterruptedException {
            return counters("/_sandbox/calls");
        }

        /** API answers per HTTP status since the last reset. */
        Map<String, Long> responses() throws IOException, InterruptedException {
            return counters("/_sandbox/responses");
        }

        private Map<String, Long> counters(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + path + ": " + r.statusCode());
            }
            Map<String, Long> m = new TreeMap<>();
            JSON.readTree(r.body()).fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
            return m;
        }

        void resetCalls() throws IOException, InterruptedException {
            admin("DELETE", "/_sandbox/calls", null);
        }

        void faults(String json) throws IOException, InterruptedException {
            admin("PUT", "/_sandbox/faults", json);
        }

        private String admin(String method, String path, String body) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IOException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return r.body();
        }

        private JsonNode api(String method, String path, JsonNode body, String... headers) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IOException(method + " " + path + ": " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body());
        }

        /** Through the Copper API (bulk_update, 10 a call), as a Copper user would edit people. Not counted: reset after. */
        void changeCopperLastNames(DataGenerator gen, List<Integer> contacts) throws IOException, InterruptedException {
            for (int from = 0; from < contacts.size(); from += 10) {
                ArrayNode people = JSON.createArrayNode();
                for (int i : contacts.subList(from, Math.min(contacts.size(), from + 10))) {
                    people.addObject().put("id", DataGenerator.copperId(i)).put("last_name", changedLastName(gen, i));
                }
                ObjectNode body = JSON.createObjectNode();
                body.set("people", people);
                JsonNode res = api("POST", "/developer_api/v1/people/bulk_update", body,
                        "X-PW-AccessToken", SandboxServer.COPPER_API_KEY, "X-PW-UserEmail", SandboxServer.COPPER_USER_EMAIL,
                        "X-PW-Application", "developer_api");
                for (JsonNode item : res) {
                    if (item.has("success") && !item.path("success").asBoolean(true)) {
                        throw new IOException("bulk_update refused: " + item);
                    }
                }
            }
        }

        /** Through the Mailchimp API (batch subscribe, 500 a call, update_existing), as a marketer's import would. */
        void changeMailchimpLastNames(DataGenerator gen, List<Integer> contacts) throws IOException, InterruptedException {
            String auth = "Basic " + java.util.Base64.getEncoder().encodeToString(("bench:" + SandboxServer.MAILCHIMP_API_KEY)
                    .getBytes(StandardCharsets.UTF_8));
            for (int from = 0; from < contacts.size(); from += 500) {
                ArrayNode members = JSON.createArrayNode();
                for (int i : contacts.subList(from, Math.min(contacts.size(), from + 500))) {
                    ObjectNode m = members.addObject().put("email_address", gen.email(i));
                    m.putObject("merge_fields").put("LNAME", changedLastName(gen, i));
                }
                ObjectNode body = JSON.createObjectNode().put("update_existing", true);
                body.set("members", members);
                JsonNode res = api("POST", "/3.0/lists/" + SandboxServer.LIST_ID, body, "Authorization", auth);
                if (res.path("error_count").asInt() != 0) {
                    throw new IOException("batch subscribe errors: " + res.path("errors"));
                }
            }
        }

        /** Streams GET /_sandbox/state; keeps e-mails and statuses, and last names of the {@code watch} addresses. */
        Dump dump(Set<String> watch) throws IOException, InterruptedException {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/_sandbox/state"))
                    .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            Dump d = new Dump();
            try (InputStream in = r.body(); JsonParser p = JSON.getFactory().createParser(in)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t != JsonToken.FIELD_NAME) {
                        continue;
                    }
                    String f = p.currentName();
                    if (("people".equals(f) || "members".equals(f)) && p.nextToken() == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            JsonNode rec = p.readValueAsTree();
                            if ("people".equals(f)) {
                                d.copperPeople++;
                                for (JsonNode e : rec.path("emails")) {
                                    String email = e.path("email").asText().toLowerCase(Locale.ROOT);
                                    d.copperEmails.add(email);
                                    d.copperFields.put(email, rec.path("phone_numbers").path(0).path("number").asText()
                                            + "|" + rec.path("company_name").asText() + "|"
                                            + DataGenerator.sectorOf(rec.path("custom_fields")));
                                    if (watch != null && watch.contains(email)) {
                                        d.copperLastName.put(email, rec.path("last_name").asText(null));
                                    }
                                }
                            } else {
                                d.mailchimpMembers++;
                                String email = rec.path("email_address").asText().toLowerCase(Locale.ROOT);
                                d.mailchimpStatus.put(email, rec.path("status").asText("subscribed"));
                                JsonNode mf = rec.path("merge_fields");
                                d.mailchimpFields.put(email, mf.path("PHONE").asText() + "|" + mf.path("COMPANY").asText()
                                        + "|" + mf.path("SECTEUR").asText());
                                if (watch != null && watch.contains(email)) {
                                    d.mailchimpLastName.put(email, rec.path("merge_fields").path("LNAME").asText(null));
                                }
                            }
                        }
                    }
                }
            }
            return d;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            children.remove(process);
        }
    }

    // ------------------------------------------------------------------ results

    record Run(Integer exit, long wallMillis, long peakHeapBytes, long syncMillis, long count429, boolean oom, JsonNode report,
               Path log) {
        boolean completed() {
            return exit != null && exit == 0;
        }

        String notes() {
            StringBuilder s = new StringBuilder(exit == null ? "TIMED OUT (killed)" : "exit " + exit);
            if (oom) {
                s.append(", OutOfMemoryError");
            }
            if (report != null) {
                JsonNode sum = report.path("summary");
                s.append(String.format(Locale.ROOT, ", report: %d operations, %d errors", sum.path("totalOperations").asLong(),
                        sum.path("errors").asLong()));
                if (!report.path("abortedReason").isNull() && !report.path("abortedReason").isMissingNode()) {
                    s.append(", aborted: ").append(report.path("abortedReason").asText());
                }
            } else {
                s.append(", no report");
            }
            s.append(", log ").append(log.getParent().getFileName()).append('/').append(log.getFileName());
            return s.toString();
        }
    }

    record Row(String scenario, int perSide, Map<String, Long> calls, LowerBound lb, Run run, String target, boolean met,
               String notes) {
    }

    /** "POST /developer_api/v1/people/search" → "C POST people/search"; "GET /3.0/lists/{list_id}/members" → "M GET members". */
    static String shortEndpoint(String key) {
        String[] mp = key.split(" ", 2);
        if (mp.length < 2) {
            return key;
        }
        String path = mp[1];
        String side;
        if (path.startsWith("/developer_api/v1")) {
            side = "C";
            path = path.substring("/developer_api/v1".length());
        } else if (path.startsWith("/3.0")) {
            side = "M";
            path = path.substring("/3.0".length());
        } else {
            return key;
        }
        path = path.replace("/lists/{list_id}", "").replace("{subscriber_hash}", "{h}").replace("{segment_id}", "{s}");
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        return side + " " + mp[0] + (path.isEmpty() ? " list" : " " + path);
    }

    static String compactCalls(Map<String, Long> calls) {
        Map<String, Long> m = new LinkedHashMap<>();
        calls.forEach((k, v) -> {
            if (!"total".equals(k) && v > 0) {
                m.put(shortEndpoint(k), v);
            }
        });
        StringBuilder s = new StringBuilder();
        m.forEach((k, v) -> s.append(s.length() == 0 ? "" : "; ").append(k).append(' ').append(String.format(Locale.ROOT, "%,d", v)));
        return s.length() == 0 ? "–" : s.toString();
    }

    static String mb(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%,d MB", (bytes + (1 << 19)) >> 20);
    }

    String table() {
        StringBuilder s = new StringBuilder();
        s.append("| Scenario | Contacts/side | API calls per endpoint | Total | Lower bound (C+M) | Ratio | Wall (process) "
                + "| Sync run (report) | Peak heap | 429s | Target | Met |\n");
        s.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (Row r : rows) {
            long total = r.calls.getOrDefault("total", 0L);
            String lb = r.lb == null ? "?" : String.format(Locale.ROOT, "%,d (%,d+%,d)", r.lb.total(), r.lb.copper(), r.lb.mailchimp());
            String ratio = r.lb == null || r.lb.total() == 0 ? "?" : String.format(Locale.ROOT, "%.2f", total / (double) r.lb.total());
            s.append(String.format(Locale.ROOT, "| %s | %,d | %s | %,d | %s | %s | %.1f s | %s | %s | %d | %s | %s |%n",
                    r.scenario, r.perSide, compactCalls(r.calls), total, lb, ratio, r.run.wallMillis() / 1000.0,
                    r.run.syncMillis() < 0 ? "?" : String.format(Locale.ROOT, "%.1f s", r.run.syncMillis() / 1000.0),
                    mb(r.run.peakHeapBytes()), r.run.count429(), r.target, r.met ? "yes" : "**no**"));
        }
        s.append("\nNotes:\n");
        for (Row r : rows) {
            s.append("- ").append(r.scenario).append(": ").append(r.notes).append('\n');
        }
        s.append("\nC = Copper, M = Mailchimp (`M POST list` = batch subscribe, `C POST people/bulk_*` = bulk endpoints). "
                + "Lower bound: ⌈read/200⌉ Copper + ⌈read/1000⌉ Mailchimp pages, ⌈changes/500⌉ Mailchimp batches, "
                + "⌈changes/10⌉ Copper bulk calls (docs/benchmark.md).\n");
        return s.toString();
    }
}

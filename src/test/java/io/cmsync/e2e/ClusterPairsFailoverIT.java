package io.cmsync.e2e;

import static io.cmsync.e2e.ClusterNodes.freePort;
import static io.cmsync.e2e.ClusterNodes.get;
import static io.cmsync.e2e.ClusterNodes.jar;
import static io.cmsync.e2e.ClusterNodes.kill;
import static io.cmsync.e2e.ClusterNodes.nodeId;
import static io.cmsync.e2e.ClusterNodes.read;
import static io.cmsync.e2e.ClusterNodes.rowsOf;
import static io.cmsync.e2e.ClusterNodes.technicalLog;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;
import io.cmsync.state.RunLock;
import io.cmsync.state.StateDatabase;
import io.cmsync.testsupport.PostgresServer;

/**
 * Issue 16, « Prove it », with several pairs: two daemons (the packaged jar, separate JVMs and working folders), one
 * PostgreSQL, the sandbox with two audiences and two pairs (Copper tag « Newsletter FR » → audience FR, « Newsletter
 * EN » → audience EN, one Copper account), each pair on sync.cron every 6 s. Per pair: the node running the pair is
 * SIGKILLed in the middle of a run (first the long first sync of one pair; after the restart, with slower answers, a
 * run of the other pair); the other node recovers that pair's run (its own trigger {@code sync-<pair>}, for its fire
 * time) within the recovery bound, and Copper and both audiences end as after an uninterrupted run; the killed node
 * restarted rejoins; over ten schedule periods each pair runs once per period, never twice at once (the nodes' logs,
 * and the sandbox's timed call log: every call to a pair's audience lies in exactly one run of that pair), no fire
 * time run twice but the killed ones. Different pairs run side by side (on one node or two); each pair's lock is its
 * own. Health and metrics name the pair a node runs; the shared schedule is the deployment's, not a pair's schema.
 */
class ClusterPairsFailoverIT {
    private static final String FR_LIST = "fr00000001";
    private static final String EN_LIST = "en00000001";
    private static final Map<String, String> LIST_OF = Map.of("fr", FR_LIST, "en", EN_LIST);
    private static final int CONTACTS = 150;
    private static final int PERIOD_SECONDS = 6;
    private static final int PERIODS = 10;
    private static final int CHECKIN_SECONDS = 2;
    /** Quartz declares a node dead after its interval + 7.5 s, seen at the survivor's next check-in. */
    private static final long RECOVERY_BOUND_MS = 2 * CHECKIN_SECONDS * 1000L + 7_500;
    private static final Pattern STARTED = Pattern.compile("Run (\\S+) started on node (\\S+): pair (\\S+), trigger "
            + "(\\S+), scheduled (\\S+), recovering (true|false), started (\\S+)");
    private static final Pattern ENDED = Pattern.compile(
            "Run (\\S+) ended on node (\\S+): pair (\\S+), exit code (\\d+), finished (\\S+)");

    /** The seed's Mailchimp-only members: c<i> with i % 5 == 2. */
    private static final Pattern MAILCHIMP_ONLY = Pattern.compile("c\\d*[27]@exemple\\.fr");

    @TempDir
    Path tmp;

    /** One run as the nodes' technical logs tell it (a killed run has no end). */
    record Run(String id, String node, String pair, String trigger, Instant scheduled, boolean recovering,
               Instant started, Instant ended, int exitCode) {
        /** When it ended, or for a killed run when its node was killed; null while it goes on. */
        Instant end(Map<String, Instant> killTimes) {
            return ended != null ? ended : killTimes.get(id);
        }

        boolean overlaps(Run other, Map<String, Instant> killTimes) {
            Instant far = Instant.MAX;
            Instant end = end(killTimes) == null ? far : end(killTimes);
            Instant otherEnd = other.end(killTimes) == null ? far : other.end(killTimes);
            return started.isBefore(otherEnd) && other.started.isBefore(end);
        }
    }

    /** Copper people tagged for FR, EN or both; each audience with members of every kind the sync handles. */
    static ObjectNode seed() {
        Random r = new Random(1616);
        String[] first = {"Anna", "Bruno", "Céline", "Denis", "Élodie", "Hugo", "Inès", "Léo"};
        String[] last = {"Martin", "Bernard", "Dubois", "Thomas", "Petit", "Durand", "Leroy", "Moreau"};
        Seed people = new Seed();
        Seed fr = new Seed();
        Seed en = new Seed();
        for (int i = 0; i < CONTACTS; i++) {
            String email = "c" + i + "@exemple.fr";
            String f = first[r.nextInt(first.length)];
            String l = last[r.nextInt(last.length)];
            String[] tags = switch (i % 3) {
                case 0 -> new String[] {"Newsletter FR"};
                case 1 -> new String[] {"Newsletter EN", "client"};
                default -> new String[] {"Newsletter FR", "Newsletter EN"};
            };
            List<Seed> audiences = switch (i % 3) {
                case 0 -> List.of(fr);
                case 1 -> List.of(en);
                default -> List.of(fr, en);
            };
            switch (i % 5) {
                case 0, 1 -> people.person(email, f, l, tags);
                case 2 -> (i % 2 == 0 ? fr : en).member(email, "subscribed", f, l); // Mailchimp only
                case 3 -> {
                    people.person(email, f, l, tags);
                    audiences.forEach(a -> a.member(email, "subscribed", f, l));
                }
                default -> {
                    // one status in both audiences: the Copper tag « Mailchimp: désabonné » is one per person, and
                    // two audiences disagreeing on it make the pairs' runs disagree (see docs/deployment.md)
                    String status = r.nextBoolean() ? "subscribed" : "unsubscribed";
                    people.person(email, f, l, tags);
                    audiences.forEach(a -> a.member(email, status, f + "x", l));
                }
            }
        }
        ObjectNode root = people.build();
        ArrayNode lists = ((ObjectNode) root.get("mailchimp")).putArray("lists");
        for (var audience : List.of(Map.entry(FR_LIST, fr), Map.entry(EN_LIST, en))) {
            ObjectNode list = (ObjectNode) audience.getValue().build().path("mailchimp").path("lists").get(0);
            list.put("id", audience.getKey()).put("name", "Newsletter " + audience.getKey().substring(0, 2)
                    .toUpperCase(Locale.ROOT));
            lists.add(list);
        }
        return root;
    }

    private static SandboxServer sandbox() throws IOException {
        SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, null, false));
        s.load(seed());
        // some latency: the first syncs last long enough to be killed in their middle
        s.faults(new FaultConfig(30, 0, 0, 0, 0, 0, 30_000, 1));
        return s;
    }

    /**
     * An audience's members by e-mail: status, names and sorted tags. A member the pair imported into Copper (a
     * Mailchimp-only member of the seed) is shown without its pair's scope tag: Copper's person gets that tag at the
     * import, its member only at the pair's next run that reads the person again, which depends on the other pair's
     * timing (see docs/deployment.md, « Failover with several pairs »).
     */
    static Map<String, String> members(SandboxServer s, String listId) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode l : s.dump().path("mailchimp").path("lists")) {
            if (!l.path("id").asText().equals(listId)) {
                continue;
            }
            for (JsonNode m : l.path("members")) {
                List<String> tags = new ArrayList<>(Seed.tagNames(m));
                if (MAILCHIMP_ONLY.matcher(m.path("email_address").asText()).matches()) {
                    tags.removeIf(t -> t.equals("Newsletter " + listId.substring(0, 2).toUpperCase(Locale.ROOT)));
                }
                tags.sort(null);
                out.put(m.path("email_address").asText().toLowerCase(Locale.ROOT), m.path("status").asText() + "|"
                        + m.path("merge_fields").path("FNAME").asText("") + "|"
                        + m.path("merge_fields").path("LNAME").asText("") + "|" + tags);
            }
        }
        return out;
    }

    private static Path workdir(Path dir, StateDatabase db, int healthPort, Path reports) throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Path props = dir.resolve("config/application.properties");
        Files.copy(Path.of("config/application.properties"), props);
        List<String> lines = new ArrayList<>(List.of("",
                "pairs=fr,en",
                "pair.fr.scope.copper-tag=Newsletter FR",
                "pair.en.scope.copper-tag=Newsletter EN",
                "paths.data-dir=" + dir.resolve("data"),
                "paths.reports-dir=" + reports,
                "paths.archive-dir=" + dir.resolve("archive"),
                "copper.page-size=20", "mailchimp.page-size=20", "mailchimp.batch-size=10",
                "http.max-attempts=2", "safety.update-grace=40",
                "sync.cron=0/" + PERIOD_SECONDS + " * * * * ?",
                "camel.main.routes-reload-enabled=false",
                "camel.management.port=" + healthPort));
        if (db != null) {
            lines.add("state.jdbc-url=" + db.jdbcUrl());
            lines.add("cluster.checkin-interval-seconds=" + CHECKIN_SECONDS);
        }
        lines.add("");
        Files.writeString(props, String.join("\n", lines), StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(".env"), "COPPER_API_KEY=" + SandboxServer.COPPER_API_KEY
                + "\nCOPPER_API_EMAIL=" + SandboxServer.COPPER_USER_EMAIL
                + "\nMAILCHIMP_API_KEY=" + SandboxServer.MAILCHIMP_API_KEY
                + "\nFR_MAILCHIMP_LIST_ID=" + FR_LIST
                + "\nEN_MAILCHIMP_LIST_ID=" + EN_LIST
                + (db == null ? "" : "\n" + StateDatabase.USER_ENV + "=" + db.user()
                + "\n" + StateDatabase.PASSWORD_ENV + "=" + db.password()) + "\n");
        return dir;
    }

    private static Process start(Path dir, SandboxServer s, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dcmsync.logs-dir=" + dir.resolve("logs"), "-jar", jar().toString(),
                "--config", dir.resolve("config/application.properties").toString(),
                "--env-file", dir.resolve(".env").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(Path.of("").toAbsolutePath().toFile()); // routes/ is read from the working directory
        pb.environment().put("COPPER_BASE_URL", s.copperBaseUrl());
        pb.environment().put("MAILCHIMP_BASE_URL", s.mailchimpBaseUrl());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        return pb.start();
    }

    /** The lines of a technical log that belong to one run (its id in the MDC), WARN and above of any other. */
    private static String linesOf(String log, String runId) {
        return log.lines().filter(l -> l.contains(runId) || l.contains(" WARN ") || l.contains(" ERROR "))
                .collect(Collectors.joining("\n"));
    }

    /** Every run the nodes' logs tell of, by start time. */
    private static List<Run> runs(Path... dirs) throws IOException {
        Map<String, Run> runs = new LinkedHashMap<>();
        for (Path dir : dirs) {
            String log = technicalLog(dir);
            Matcher m = STARTED.matcher(log);
            while (m.find()) {
                runs.put(m.group(1), new Run(m.group(1), m.group(2), m.group(3), m.group(4),
                        m.group(5).equals("-") ? null : Instant.parse(m.group(5)), Boolean.parseBoolean(m.group(6)),
                        Instant.parse(m.group(7)), null, -1));
            }
            Matcher e = ENDED.matcher(log);
            while (e.find()) {
                Run r = runs.get(e.group(1));
                if (r != null) {
                    runs.put(r.id(), new Run(r.id(), r.node(), r.pair(), r.trigger(), r.scheduled(), r.recovering(),
                            r.started(), Instant.parse(e.group(5)), Integer.parseInt(e.group(4))));
                }
            }
        }
        List<Run> list = new ArrayList<>(runs.values());
        list.sort(Comparator.comparing(Run::started));
        return list;
    }

    private static String story(List<Run> runs) {
        return runs.stream().map(r -> r.pair() + " " + r.node() + " " + r.id() + " scheduled " + r.scheduled()
                + (r.recovering() ? " (recovery of " + r.trigger() + ")" : "") + " " + r.started() + " → " + r.ended()
                + " exit " + r.exitCode()).collect(Collectors.joining("\n"));
    }

    private static boolean eachPairRanOnce(Path... dirs) throws IOException {
        List<Run> runs = runs(dirs);
        return LIST_OF.keySet().stream().allMatch(pair -> runs.stream()
                .anyMatch(r -> r.pair().equals(pair) && r.ended() != null && r.exitCode() == 0));
    }

    /**
     * A call of the run itself to a pair's audience: anything under {@code /lists/<id>/…} or a write to the audience
     * (a health probe may read {@code GET /lists/<id>} at any time).
     */
    private static boolean runCall(SandboxServer.Call c, String listId) {
        return listId.equals(c.listId()) && (c.path().matches(".*/lists/[^/]+/.+") || !"GET".equals(c.method()));
    }

    /** One failover: the node killed, the runs it was doing, their recoveries on the other node. */
    record Failover(Path victim, Path survivor, Instant killedAt, List<Run> killed, Map<String, Run> recovered,
                    Map<String, Long> recoveryMs, Map<String, Long> recoveredRunMs, String healthWhileRecovering) {
    }

    /**
     * SIGKILLs the node running {@code target}; the other node must recover every run the dead node was doing (each
     * by its pair's own trigger, for its fire time, within the bound), its health naming the pair while it runs it,
     * its console saying which pair it takes over.
     */
    private static Failover failover(SandboxServer s, Run target, Map<String, Path> dirOf, Map<Path, Process> nodes,
                                     Map<Path, Integer> portOf, Path a, Path b, Map<String, Instant> killTimes,
                                     Map<Path, String> outName) throws Exception {
        Path victim = dirOf.get(target.node());
        Path survivor = victim.equals(a) ? b : a;
        Instant killedAt = Instant.now();
        kill(nodes.get(victim));
        // every run going on the victim when it died (one pair or both)
        List<Run> killed = runs(victim).stream().filter(r -> r.ended() == null).toList();
        killed.forEach(k -> killTimes.put(k.id(), killedAt));
        if (killed.stream().noneMatch(r -> r.pair().equals(target.pair()))) {
            return null; // the target's run ended between seen and killed (a loaded machine): the caller tries again
        }

        String runningHealth = "";
        Map<String, Run> recovered = new TreeMap<>();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && recovered.size() < killed.size()) {
            for (Run r : runs(survivor)) {
                if (!r.recovering() || !r.started().isAfter(killedAt)) {
                    continue;
                }
                if (r.ended() == null && runningHealth.isEmpty()) {
                    String h = get(portOf.get(survivor), "/observe/health?data=true");
                    if (Pattern.compile("\"node\\.pair\\." + r.pair() + "\\.running\\.recovering\"\\s*:\\s*\"?true")
                            .matcher(h).find()) {
                        runningHealth = h;
                    }
                }
                if (r.ended() != null) {
                    recovered.put(r.pair(), r);
                }
            }
            Thread.sleep(100);
        }
        String afterKill = story(runs(a, b));
        assertThat(recovered.keySet()).as("pairs recovered on the survivor:\n" + afterKill + "\n"
                + technicalLog(survivor)).containsExactlyInAnyOrderElementsOf(killed.stream().map(Run::pair).toList());
        Map<String, Long> recoveryMs = new TreeMap<>();
        Map<String, Long> recoveredRunMs = new TreeMap<>();
        for (Run k : killed) {
            Run rec = recovered.get(k.pair());
            assertThat(rec.exitCode()).as(afterKill + "\nthe survivor's lines of run " + rec.id() + ":\n"
                    + linesOf(technicalLog(survivor), rec.id())).isZero();
            assertThat(rec.scheduled()).as("the recovery is of the killed run's fire time").isEqualTo(k.scheduled());
            assertThat(rec.trigger()).as("the pair's own trigger is recovered")
                    .isEqualTo("copper-mailchimp-sync.sync-" + k.pair());
            long ms = Duration.between(killedAt, rec.started()).toMillis();
            assertThat(ms).as("from the kill to the recovered run's start").isLessThanOrEqualTo(RECOVERY_BOUND_MS
                    + 5_000);
            recoveryMs.put(k.pair(), ms);
            recoveredRunMs.put(k.pair(), Duration.between(rec.started(), rec.ended()).toMillis());
        }
        String survivorOut = read(survivor.resolve(outName.get(survivor) + ".out"));
        for (String pair : recovered.keySet()) {
            assertThat(survivorOut).contains("↪ Paire " + pair + " : reprise sur ce nœud");
        }
        return new Failover(victim, survivor, killedAt, killed, recovered, recoveryMs, recoveredRunMs, runningHealth);
    }

    /** Starts the killed node again ({@code out}.out): it rejoins the cluster with a new instance id. */
    private static String restart(SandboxServer s, Path victim, Map<Path, Process> nodes, List<Process> alive,
                                  Map<String, Path> dirOf, Map<Path, String> outName, String out) throws Exception {
        Process restarted = start(victim, s, out);
        alive.add(restarted);
        nodes.put(victim, restarted);
        outName.put(victim, out);
        String id = nodeId(victim, out + ".out");
        dirOf.put(id, victim);
        return id;
    }

    @Test
    void perPairAKilledNodesRunIsRecoveredAndEachPeriodRunsOncePerPair() throws Exception {
        // the state an uninterrupted run of both pairs reaches (one process, H2 state)
        Map<String, List<String>> refPeople;
        Map<String, Map<String, String>> refMembers = new TreeMap<>();
        Map<String, Long> refListCalls = new TreeMap<>();
        try (SandboxServer ref = sandbox()) {
            Path dir = workdir(tmp.resolve("ref"), null, 0, tmp.resolve("ref/reports"));
            Process p = start(dir, ref, "ref", "--once");
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(read(dir.resolve("ref.out"))).isZero();
            refPeople = SandboxDumps.people(ref);
            LIST_OF.forEach((pair, list) -> refMembers.put(pair, members(ref, list)));
            LIST_OF.forEach((pair, list) -> refListCalls.put(pair, ref.callLog().stream()
                    .filter(c -> runCall(c, list)).count()));
        }
        assertThat(refMembers.get("fr")).isNotEqualTo(refMembers.get("en"));

        StateDatabase db = PostgresServer.get().newDatabase("pairs_failover_it");
        List<Process> alive = new ArrayList<>();
        try (SandboxServer s = sandbox()) {
            int portA = freePort();
            int portB = freePort();
            Path reports = Files.createDirectories(tmp.resolve("shared-reports"));
            Path a = workdir(tmp.resolve("node-a"), db, portA, reports);
            Path b = workdir(tmp.resolve("node-b"), db, portB, reports);
            Map<Path, Process> nodes = new LinkedHashMap<>();
            nodes.put(a, start(a, s, "daemon1"));
            nodes.put(b, start(b, s, "daemon1"));
            alive.addAll(nodes.values());
            String idA = nodeId(a, "daemon1.out");
            String idB = nodeId(b, "daemon1.out");
            assertThat(idA).isNotEqualTo(idB);
            Map<String, Path> dirOf = new java.util.HashMap<>(Map.of(idA, a, idB, b));
            Map<Path, Integer> portOf = Map.of(a, portA, b, portB);

            // failover 1: the first syncs (long ones): kill the node of the first pair to have made half its calls
            long deadline = System.currentTimeMillis() + 120_000;
            Run first = null;
            while (System.currentTimeMillis() < deadline && first == null) {
                for (Run r : runs(a, b)) {
                    String list = LIST_OF.get(r.pair());
                    long calls = s.callLog().stream().filter(c -> runCall(c, list)).count();
                    if (r.ended() == null && calls >= refListCalls.get(r.pair()) / 2) {
                        first = r;
                        break;
                    }
                }
                Thread.sleep(20);
            }
            assertThat(first).as("a first run made half its audience's calls:\n" + story(runs(a, b))).isNotNull();
            Map<String, Instant> killTimes = new TreeMap<>();
            List<Failover> failovers = new ArrayList<>();
            Map<Path, String> outName = new java.util.HashMap<>(Map.of(a, "daemon1", b, "daemon1"));
            Failover one = failover(s, first, dirOf, nodes, portOf, a, b, killTimes, outName);
            // null: that first sync ended between being seen and the kill (a loaded machine); its pair is then
            // killed later, like the other one
            Path firstVictim = dirOf.get(first.node());
            if (one != null) {
                failovers.add(one);
            }
            // both pairs' first syncs done: the state of an uninterrupted run
            deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !eachPairRanOnce(a, b)) {
                Thread.sleep(200);
            }
            assertThat(SandboxDumps.duplicatePeople(s)).isZero();
            assertThat(SandboxDumps.people(s)).as("Copper as after an uninterrupted run").isEqualTo(refPeople);
            for (String pair : LIST_OF.keySet()) {
                assertThat(members(s, LIST_OF.get(pair))).as("audience of pair " + pair + " as after an uninterrupted run")
                        .isEqualTo(refMembers.get(pair));
            }
            // the killed node restarted: it rejoins the cluster
            String idRestarted = restart(s, firstVictim, nodes, alive, dirOf, outName, "daemon2");

            // failover 2, for each pair not killed yet: slower answers so that its (incremental) run can be killed in
            // its middle, on whichever node runs it now
            List<String> notYet = LIST_OF.keySet().stream().filter(pair -> failovers.stream()
                    .noneMatch(f -> f.recovered().containsKey(pair))).toList();
            for (String pair : notYet) {
                Instant from = Instant.now();
                s.faults(new FaultConfig(250, 0, 0, 0, 0, 0, 30_000, 1));
                Failover two = null;
                for (int attempt = 1; attempt <= 4 && two == null; attempt++) {
                    deadline = System.currentTimeMillis() + 60_000;
                    Run second = null;
                    while (System.currentTimeMillis() < deadline && second == null) {
                        for (Run r : runs(a, b)) {
                            if (r.pair().equals(pair) && r.ended() == null && r.started().isAfter(from)
                                    && s.callLog().stream().filter(c -> runCall(c, LIST_OF.get(pair))
                                    && c.startMillis() >= r.started().toEpochMilli()).count() >= 2) {
                                second = r;
                                break;
                            }
                        }
                        Thread.sleep(20);
                    }
                    assertThat(second).as("a run of " + pair + " going:\n" + story(runs(a, b))).isNotNull();
                    two = failover(s, second, dirOf, nodes, portOf, a, b, killTimes, outName);
                    if (two == null) {
                        // killed just after that run ended: bring the node back and kill the pair's next run
                        restart(s, dirOf.get(second.node()), nodes, alive, dirOf, outName,
                                "daemon3-" + pair + "-" + attempt);
                        from = Instant.now();
                    }
                }
                assertThat(two).as("a run of " + pair + " killed in its middle").isNotNull();
                failovers.add(two);
                s.faults(new FaultConfig(30, 0, 0, 0, 0, 0, 30_000, 1));
                idRestarted = restart(s, two.victim(), nodes, alive, dirOf, outName, "daemon3-" + pair);
            }
            Set<String> recoveredPairs = new java.util.TreeSet<>();
            failovers.forEach(f -> recoveredPairs.addAll(f.recovered().keySet()));
            assertThat(recoveredPairs).as("each pair killed and recovered").containsExactlyInAnyOrder("fr", "en");
            Path victim = failovers.get(failovers.size() - 1).victim();
            Path survivor = victim.equals(a) ? b : a;
            Instant rejoined = Instant.now();

            // ten schedule periods with both nodes up, per pair
            deadline = System.currentTimeMillis() + ((PERIODS + 2L) * PERIOD_SECONDS + 60) * 1000;
            Map<String, List<Run>> window;
            do {
                Thread.sleep(500);
                window = runs(a, b).stream().filter(r -> r.scheduled() != null && r.scheduled().isAfter(rejoined)
                        && r.ended() != null).collect(Collectors.groupingBy(Run::pair, TreeMap::new,
                        Collectors.toList()));
            } while ((window.getOrDefault("fr", List.of()).size() < PERIODS
                    || window.getOrDefault("en", List.of()).size() < PERIODS)
                    && System.currentTimeMillis() < deadline);
            List<Run> all = runs(a, b);
            String story = story(all);
            System.out.println("ClusterPairsFailoverIT runs:\n" + story);
            Map<String, Map<String, Long>> perNode = new TreeMap<>();
            for (String pair : LIST_OF.keySet()) {
                List<Run> w = window.getOrDefault(pair, List.of());
                assertThat(w).as(pair + "\n" + story).hasSizeGreaterThanOrEqualTo(PERIODS);
                List<Run> ten = w.subList(0, PERIODS);
                for (int i = 0; i < ten.size(); i++) {
                    assertThat(ten.get(i).scheduled()).as(pair + " once per period\n" + story)
                            .isEqualTo(ten.get(0).scheduled().plusSeconds((long) i * PERIOD_SECONDS));
                    assertThat(ten.get(i).exitCode()).as(story).isZero();
                }
                perNode.put(pair, ten.stream().collect(Collectors.groupingBy(Run::node, TreeMap::new,
                        Collectors.counting())));
                // never two runs of one pair at once (the killed run counts until the kill), never a fire time twice
                // but the recovery of the killed run
                List<Run> ofPair = all.stream().filter(r -> r.pair().equals(pair)).toList();
                for (int i = 0; i < ofPair.size(); i++) {
                    for (int j = i + 1; j < ofPair.size(); j++) {
                        assertThat(ofPair.get(i).overlaps(ofPair.get(j), killTimes)).as(pair + " runs overlap\n"
                                + story).isFalse();
                    }
                }
                Map<Instant, Long> perFire = ofPair.stream().filter(r -> r.scheduled() != null)
                        .collect(Collectors.groupingBy(Run::scheduled, TreeMap::new, Collectors.counting()));
                Set<Instant> killedFires = failovers.stream().flatMap(f -> f.killed().stream())
                        .filter(k -> k.pair().equals(pair)).map(Run::scheduled).collect(Collectors.toSet());
                perFire.forEach((fire, n) -> assertThat(n).as(pair + " runs for fire time " + fire + "\n" + story)
                        .isEqualTo(killedFires.contains(fire) ? 2 : 1));
            }

            // the sandbox's call log: every call to a pair's audience falls in one run of that pair (a run of the
            // killed node until the kill): no call of the pair outside its runs, no two of its runs interleaving
            Map<String, Long> callsPerPair = new TreeMap<>();
            // a killed node's run: until the kill, and the sandbox's answers to its last calls in flight
            Map<String, Instant> killedEnds = new TreeMap<>();
            killTimes.forEach((id, at) -> killedEnds.put(id, at.plusSeconds(1)));
            for (String pair : LIST_OF.keySet()) {
                List<Run> ofPair = all.stream().filter(r -> r.pair().equals(pair) && r.end(killedEnds) != null)
                        .toList();
                Instant lastEnd = ofPair.stream().map(r -> r.end(killedEnds)).max(Comparator.naturalOrder())
                        .orElseThrow();
                List<SandboxServer.Call> calls = s.callLog().stream().filter(c -> runCall(c, LIST_OF.get(pair)))
                        .filter(c -> c.endMillis() <= lastEnd.toEpochMilli()).toList();
                callsPerPair.put(pair, (long) calls.size());
                for (SandboxServer.Call c : calls) {
                    long in = ofPair.stream().filter(r -> r.started().toEpochMilli() <= c.startMillis()
                            && c.endMillis() <= r.end(killedEnds).toEpochMilli()).count();
                    assertThat(in).as(pair + ": runs holding call " + c + "\n" + story).isEqualTo(1);
                }
            }

            // different pairs do run at the same time (their locks differ): runs of fr and en overlapping
            List<Run> ended = all.stream().filter(r -> r.ended() != null).toList();
            long sideBySide = 0;
            long sideBySideOnTwoNodes = 0;
            for (Run fr : ended.stream().filter(r -> r.pair().equals("fr")).toList()) {
                for (Run en : ended.stream().filter(r -> r.pair().equals("en")).toList()) {
                    if (fr.overlaps(en, killTimes)) {
                        sideBySide++;
                        if (!fr.node().equals(en.node())) {
                            sideBySideOnTwoNodes++;
                        }
                    }
                }
            }
            assertThat(sideBySide).as("fr and en runs at the same time\n" + story).isPositive();
            // while a node recovered a pair, its node check named the pair it ran and said it was a recovery
            assertThat(failovers.stream().map(Failover::healthWhileRecovering).filter(h -> !h.isEmpty()).findFirst())
                    .as("the survivor's node check while it recovers").hasValueSatisfying(h -> assertThat(h)
                            .contains("node.running.pairs").contains("(recovered from a dead node)"));

            // health and metrics say which node runs which pair, and when the cluster last fired each pair
            int restartedPort = portOf.get(victim);
            int survivorPort = portOf.get(survivor);
            String health = get(restartedPort, "/observe/health?data=true");
            assertThat(health).contains("\"status\":\"UP\"").contains(idRestarted).contains("cluster.nodes.alive")
                    .contains("node.pair.fr.runs.started").contains("node.pair.en.runs.started")
                    .contains("pair.fr.cluster.last.fire").contains("pair.en.cluster.last.fire");
            // the last failover's survivor (still the same process) counts the pair(s) it recovered
            Failover last = failovers.get(failovers.size() - 1);
            String survivorHealth = get(survivorPort, "/observe/health?data=true");
            for (String pair : last.recovered().keySet()) {
                assertThat(survivorHealth).contains("\"node.pair." + pair + ".runs.recovered\":1");
            }
            String metrics = get(restartedPort, "/observe/metrics");
            assertThat(metrics).contains("cmsync_node_info{").contains(idRestarted)
                    .contains("cmsync_cluster_nodes_alive 2.0").contains("cmsync_node_pair_running{pair=\"fr\"}")
                    .contains("cmsync_node_pair_running{pair=\"en\"}");
            String survivorMetrics = get(survivorPort, "/observe/metrics");
            for (String pair : last.recovered().keySet()) {
                assertThat(survivorMetrics).containsPattern("cmsync_node_pair_runs_recovered_total\\{pair=\"" + pair
                        + "\"} 1\\.0");
            }

            // the schedule is the deployment's (the database's own schema, not a pair's): one trigger per pair
            assertThat(rowsOf(db, "SELECT trigger_group || '.' || trigger_name FROM qrtz_triggers"))
                    .contains("copper-mailchimp-sync.sync-fr", "copper-mailchimp-sync.sync-en",
                            "copper-mailchimp-sync.report-retention");
            assertThat(rowsOf(db, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'qrtz_triggers'"))
                    .containsExactly("public");
            assertThat(rowsOf(db, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'synced_contact'"
                    + " ORDER BY 1")).containsExactly("cmsync_en", "cmsync_fr");

            // each pair's lock is its own (schema cmsync_<pair>): fr's held here blocks fr only, never en
            StateDatabase frDb = db.withSchema("cmsync_fr");
            StateDatabase enDb = db.withSchema("cmsync_en");
            java.util.Optional<RunLock> frLock = java.util.Optional.empty();
            for (int i = 0; i < 100 && frLock.isEmpty(); i++) {
                frLock = RunLock.tryAcquireAdvisory(frDb, RunLock.DEFAULT_SCOPE);
                if (frLock.isEmpty()) {
                    Thread.sleep(100); // an fr run is going: take the lock between two runs
                }
            }
            boolean enTaken = false;
            try (RunLock held = frLock.orElseThrow()) {
                assertThat(RunLock.tryAcquireAdvisory(frDb, RunLock.DEFAULT_SCOPE)).as("fr's lock twice").isEmpty();
                for (int i = 0; i < 100 && !enTaken; i++) {
                    var en = RunLock.tryAcquireAdvisory(enDb, RunLock.DEFAULT_SCOPE);
                    enTaken = en.isPresent();
                    en.ifPresent(RunLock::close);
                    if (!enTaken) {
                        Thread.sleep(100);
                    }
                }
            }
            assertThat(enTaken).as("en's lock while fr's is held").isTrue();

            // the final state is still the uninterrupted run's
            assertThat(SandboxDumps.people(s)).as("Copper, final").isEqualTo(refPeople);
            for (String pair : LIST_OF.keySet()) {
                assertThat(members(s, LIST_OF.get(pair))).as("audience of pair " + pair + ", final")
                        .isEqualTo(refMembers.get(pair));
            }
            for (Path node : List.of(a, b)) {
                assertThat(technicalLog(node)).doesNotContain(db.password());
            }
            String told = failovers.stream().map(f -> "killed " + f.killed().get(0).node() + " during "
                    + f.killed().stream().map(Run::pair).toList() + ", recovered on the other node after (ms, from the"
                    + " kill) " + f.recoveryMs() + ", recovered runs lasted (ms) " + f.recoveredRunMs())
                    .collect(Collectors.joining("; "));
            System.out.println("ClusterPairsFailoverIT: reference calls per audience " + refListCalls + "; " + told
                    + " (bound " + RECOVERY_BOUND_MS + " ms); last restarted as " + idRestarted
                    + "; ten periods per pair after the last restart, runs per node: " + perNode + "; fr/en runs side by"
                    + " side: " + sideBySide + " (on two nodes: " + sideBySideOnTwoNodes + "); audience calls checked"
                    + " inside their pair's runs: " + callsPerPair + "; runs in all: " + all.size());
        } finally {
            for (Process p : alive) {
                kill(p);
            }
        }
    }
}

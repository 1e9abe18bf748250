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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;
import io.cmsync.state.StateDatabase;
import io.cmsync.testsupport.PostgresServer;

/**
 * Issue 16, the Quartz cluster: two daemons (the packaged jar, separate JVMs and working folders, as on two machines)
 * share one PostgreSQL state, hence one clustered Quartz schedule, and one sandbox. The first sync is killed (SIGKILL)
 * on the node that runs it; the other node recovers it (Quartz recovery) within the check-in interval's bound and ends
 * in the state of an uninterrupted run; the killed node restarted rejoins; then over ten schedule periods each fire
 * time runs exactly once, on one node, and no two runs ever overlap. Each node's technical log says which run it
 * started for which fire time (ClusterNode), which is what this test reads.
 */
class ClusterFailoverIT {
    private static final int CONTACTS = 150;
    private static final long DATA_SEED = 16;
    private static final int PERIOD_SECONDS = 6;
    private static final int CHECKIN_SECONDS = 2;
    /** Quartz declares a node dead after its interval + 7.5 s, seen at the survivor's next check-in. */
    private static final long RECOVERY_BOUND_MS = 2 * CHECKIN_SECONDS * 1000L + 7_500;
    private static final Pattern STARTED = Pattern.compile(
            "Run (\\S+) started on node (\\S+): pair default, trigger (\\S+), scheduled (\\S+), recovering (true|false), started (\\S+)");
    private static final Pattern ENDED = Pattern.compile(
            "Run (\\S+) ended on node (\\S+): pair default, exit code (\\d+), finished (\\S+)");

    @TempDir
    Path tmp;

    /** One run as the nodes' technical logs tell it. */
    record Run(String id, String node, Instant scheduled, boolean recovering, Instant started, Instant ended,
               int exitCode) {
    }

    private static SandboxServer sandbox() throws IOException {
        SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, null, false));
        s.load(SandboxDumps.mixed(CONTACTS, DATA_SEED).build());
        // some latency: the first sync lasts long enough to be killed in its middle
        s.faults(new FaultConfig(30, 0, 0, 0, 0, 0, 30_000, 1));
        return s;
    }

    private static Path workdir(Path dir, StateDatabase db, int healthPort) throws IOException {
        return workdir(dir, db, healthPort, dir.resolve("reports"));
    }

    private static Path workdir(Path dir, StateDatabase db, int healthPort, Path reports) throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Path props = dir.resolve("config/application.properties");
        Files.copy(Path.of("config/application.properties"), props);
        List<String> lines = new ArrayList<>(List.of("",
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
            lines.add("report.retention-cron=0/3 * * * * ?");
        }
        lines.add("");
        Files.writeString(props, String.join("\n", lines), StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(".env"), "COPPER_API_KEY=" + SandboxServer.COPPER_API_KEY
                + "\nCOPPER_API_EMAIL=" + SandboxServer.COPPER_USER_EMAIL
                + "\nMAILCHIMP_API_KEY=" + SandboxServer.MAILCHIMP_API_KEY
                + "\nMAILCHIMP_LIST_ID=" + SandboxServer.LIST_ID
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

    /** Every run the two nodes' logs tell of, by start time (a killed run has no end). */
    private static List<Run> runs(Path... dirs) throws IOException {
        Map<String, Run> runs = new LinkedHashMap<>();
        for (Path dir : dirs) {
            String log = technicalLog(dir);
            Matcher m = STARTED.matcher(log);
            while (m.find()) {
                runs.put(m.group(1), new Run(m.group(1), m.group(2), m.group(4).equals("-") ? null
                        : Instant.parse(m.group(4)), Boolean.parseBoolean(m.group(5)), Instant.parse(m.group(6)),
                        null, -1));
            }
            Matcher e = ENDED.matcher(log);
            while (e.find()) {
                Run r = runs.get(e.group(1));
                if (r != null) {
                    runs.put(r.id(), new Run(r.id(), r.node(), r.scheduled(), r.recovering(), r.started(),
                            Instant.parse(e.group(4)), Integer.parseInt(e.group(3))));
                }
            }
        }
        List<Run> list = new ArrayList<>(runs.values());
        list.sort(Comparator.comparing(Run::started));
        return list;
    }

    @Test
    void aKilledNodesRunIsRecoveredAndEachPeriodRunsOnceOnOneNode() throws Exception {
        // the state an uninterrupted run reaches (one process, H2 state)
        Map<String, List<String>> refPeople;
        Map<String, String> refMembers;
        long refCalls;
        try (SandboxServer ref = sandbox()) {
            Path dir = workdir(tmp.resolve("ref"), null, 0);
            Process p = start(dir, ref, "ref", "--once");
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(read(dir.resolve("ref.out"))).isZero();
            refPeople = SandboxDumps.people(ref);
            refMembers = SandboxDumps.members(ref);
            refCalls = ref.totalCalls();
        }

        StateDatabase db = PostgresServer.get().newDatabase("failover_it");
        List<Process> alive = new ArrayList<>();
        try (SandboxServer s = sandbox()) {
            int portA = freePort();
            int portB = freePort();
            // one reports folder for the cluster, as deployment.md advises: the retention runs on one node
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
            Map<String, Path> dirOf = Map.of(idA, a, idB, b);

            // the first sync (a long one): kill its node in its middle
            long deadline = System.currentTimeMillis() + 120_000;
            Run first = null;
            while (System.currentTimeMillis() < deadline) {
                List<Run> now = runs(a, b);
                if (!now.isEmpty() && s.totalCalls() >= refCalls / 2) {
                    first = now.get(0);
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(first).as("a first run started and made half its calls").isNotNull();
            assertThat(first.ended()).as("the first run is still going when its node is killed").isNull();
            Path victim = dirOf.get(first.node());
            Path survivor = victim.equals(a) ? b : a;
            long callsAtKill = s.totalCalls();
            Instant killedAt = Instant.now();
            kill(nodes.get(victim));

            // the other node recovers the killed run (Quartz recovery) and completes it
            Run recovered = null;
            deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && recovered == null) {
                recovered = runs(survivor).stream().filter(r -> r.recovering() && r.ended() != null).findFirst()
                        .orElse(null);
                Thread.sleep(200);
            }
            assertThat(recovered).as("recovered run on the survivor:\n" + technicalLog(survivor)).isNotNull();
            assertThat(recovered.exitCode()).isZero();
            assertThat(recovered.scheduled()).as("the recovery is of the killed run's fire time")
                    .isEqualTo(first.scheduled());
            long recoveryMs = Duration.between(killedAt, recovered.started()).toMillis();
            assertThat(recoveryMs).as("from the kill to the recovered run's start")
                    .isLessThanOrEqualTo(RECOVERY_BOUND_MS + 5_000);
            assertThat(SandboxDumps.duplicatePeople(s)).isZero();
            assertThat(SandboxDumps.people(s)).as("same state as an uninterrupted run").isEqualTo(refPeople);
            assertThat(SandboxDumps.members(s)).isEqualTo(refMembers);
            assertThat(read(survivor.resolve("daemon1.out"))).contains("↪ Reprise sur ce nœud");

            // the killed node restarted: it rejoins the cluster
            Process restarted = start(victim, s, "daemon2");
            alive.add(restarted);
            nodes.put(victim, restarted);
            String idRestarted = nodeId(victim, "daemon2.out");
            Instant rejoined = Instant.now();

            // ten schedule periods with both nodes up
            List<Run> window;
            deadline = System.currentTimeMillis() + (12L * PERIOD_SECONDS + 60) * 1000;
            do {
                Thread.sleep(500);
                window = runs(a, b).stream().filter(r -> r.scheduled() != null && r.scheduled().isAfter(rejoined)
                        && r.ended() != null).toList();
            } while (window.size() < 10 && System.currentTimeMillis() < deadline);
            List<Run> all = runs(a, b);
            String story = all.stream().map(r -> r.node() + " " + r.id() + " scheduled " + r.scheduled()
                    + (r.recovering() ? " (recovery)" : "") + " " + r.started() + " → " + r.ended() + " exit "
                    + r.exitCode()).collect(Collectors.joining("\n"));
            System.out.println("ClusterFailoverIT runs:\n" + story);
            assertThat(window).as(story).hasSizeGreaterThanOrEqualTo(10);
            List<Run> ten = window.subList(0, 10);
            // once per period: ten consecutive fire times, each run once
            for (int i = 0; i < ten.size(); i++) {
                assertThat(ten.get(i).scheduled()).as(story)
                        .isEqualTo(ten.get(0).scheduled().plusSeconds((long) i * PERIOD_SECONDS));
                assertThat(ten.get(i).exitCode()).as(story).isZero();
            }
            // never two runs at once, never one fire time run twice (but the recovery of the killed run)
            for (int i = 1; i < all.size(); i++) {
                Run previous = all.get(i - 1);
                if (previous.ended() != null) {
                    assertThat(all.get(i).started()).as(story).isAfterOrEqualTo(previous.ended());
                }
            }
            Map<Instant, Long> perFire = all.stream().filter(r -> r.scheduled() != null)
                    .collect(Collectors.groupingBy(Run::scheduled, TreeMap::new, Collectors.counting()));
            Instant killedFire = first.scheduled();
            perFire.forEach((fire, n) -> assertThat(n).as("runs for fire time " + fire + "\n" + story)
                    .isEqualTo(fire.equals(killedFire) ? 2 : 1));
            String logs = technicalLog(a) + technicalLog(b);
            long skipped = Pattern.compile("Trigger skipped on node").matcher(logs).results().count();
            Map<String, Long> perNode = ten.stream().collect(Collectors.groupingBy(Run::node, TreeMap::new,
                    Collectors.counting()));

            // health and metrics say which node this is and what the cluster holds
            Path restartedDir = victim;
            int restartedPort = restartedDir.equals(a) ? portA : portB;
            String health = get(restartedPort, "/observe/health?data=true");
            assertThat(health).contains("\"status\":\"UP\"").contains(idRestarted).contains("cluster.nodes.alive");
            String metrics = get(restartedPort, "/observe/metrics");
            assertThat(metrics).contains("cmsync_node_info{").contains(idRestarted)
                    .contains("cmsync_cluster_nodes_alive 2.0");
            String survivorMetrics = get(survivor.equals(a) ? portA : portB, "/observe/metrics");
            assertThat(survivorMetrics).containsPattern("cmsync_node_runs_recovered_total(\\{[^}]*\\})? 1\\.0");

            // a trigger that finds the run lock held elsewhere (here this test's JVM, as a --once run would) skips
            // cleanly: a log line, no run, no API call; the next period runs again
            long skippedBefore = skipped;
            Instant heldFrom;
            Instant heldUntil;
            java.util.Optional<io.cmsync.state.RunLock> lock = java.util.Optional.empty();
            for (int i = 0; i < 100 && lock.isEmpty(); i++) {
                lock = io.cmsync.state.RunLock.tryAcquireAdvisory(db, io.cmsync.state.RunLock.DEFAULT_SCOPE);
                if (lock.isEmpty()) {
                    Thread.sleep(100); // a run is going: take the lock between two runs
                }
            }
            try (var held = lock.orElseThrow()) {
                s.resetCalls();
                heldFrom = Instant.now();
                long until = System.currentTimeMillis() + 30_000;
                while (System.currentTimeMillis() < until && Pattern.compile("Trigger skipped on node")
                        .matcher(technicalLog(a) + technicalLog(b)).results().count() == skippedBefore) {
                    Thread.sleep(200);
                }
                heldUntil = Instant.now();
                // (the health page's own API probes aside)
                assertThat(s.calls().entrySet().stream().filter(e -> !e.getKey().endsWith("/account")
                        && !e.getKey().endsWith("/ping")).mapToLong(Map.Entry::getValue).sum())
                        .as("sync API calls while the lock was held elsewhere: %s", s.calls()).isZero();
            }
            long skippedAfter = Pattern.compile("Trigger skipped on node").matcher(technicalLog(a) + technicalLog(b))
                    .results().count();
            assertThat(skippedAfter).as("a trigger skipped while the lock was held").isGreaterThan(skippedBefore);
            assertThat(runs(a, b)).as("no run started while the lock was held")
                    .noneMatch(r -> r.started().isAfter(heldFrom) && r.started().isBefore(heldUntil));
            deadline = System.currentTimeMillis() + (3L * PERIOD_SECONDS + 30) * 1000;
            while (System.currentTimeMillis() < deadline
                    && runs(a, b).stream().noneMatch(r -> r.started().isAfter(heldUntil) && r.ended() != null)) {
                Thread.sleep(200);
            }
            assertThat(runs(a, b)).as("the next period runs again")
                    .anyMatch(r -> r.started().isAfter(heldUntil) && r.exitCode() == 0);

            // the report retention is a trigger of the shared job store: one node polls the shared folder per fire
            assertThat(rowsOf(db, "SELECT trigger_group || '.' || trigger_name FROM qrtz_triggers"))
                    .contains("copper-mailchimp-sync.report-retention", "copper-mailchimp-sync.sync");
            Path expired = Files.writeString(reports.resolve("sync_log_2020-01-01_00-00-00.txt"), "old");
            deadline = System.currentTimeMillis() + 30_000;
            while (Files.exists(expired) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(expired).as("deleted by the retention").doesNotExist();
            Thread.sleep(4_000); // one more retention fire: nobody deletes it twice, nobody fails on it
            String bothLogs = technicalLog(a) + technicalLog(b);
            assertThat(Pattern.compile("Ancien fichier supprimé.*sync_log_2020-01-01_00-00-00.txt")
                    .matcher(bothLogs).results().count()).as("deletions of the expired file").isEqualTo(1);
            String deleter = technicalLog(a).contains("sync_log_2020-01-01_00-00-00.txt") ? "node-a" : "node-b";

            // the state's password reaches Quartz's data source, never a log line, a console line or a page
            for (Path node : List.of(a, b)) {
                try (var files = Files.list(node)) {
                    for (Path out : files.filter(f -> f.toString().endsWith(".out")).toList()) {
                        assertThat(read(out)).as(out.toString()).doesNotContain(db.password());
                    }
                }
                assertThat(technicalLog(node)).doesNotContain(db.password());
            }
            assertThat(health + metrics).doesNotContain(db.password());

            // the final state is still the uninterrupted run's
            assertThat(SandboxDumps.people(s)).isEqualTo(refPeople);
            assertThat(SandboxDumps.members(s)).isEqualTo(refMembers);
            System.out.println("ClusterFailoverIT: reference run " + refCalls + " calls; killed " + first.node()
                    + " after " + callsAtKill + " calls; recovered on the other node " + recoveryMs
                    + " ms after the kill (bound " + RECOVERY_BOUND_MS + " ms), recovered run "
                    + Duration.between(recovered.started(), recovered.ended()).toMillis() + " ms; restarted as "
                    + idRestarted + "; ten periods after the restart: " + perNode + "; triggers skipped on the lock: "
                    + skipped + " (then " + (skippedAfter - skippedBefore) + " while this test held the lock); expired report deleted once, by " + deleter
                    + "; runs in all: "
                    + all.size() + "\n" + story);
        } finally {
            for (Process p : alive) {
                kill(p);
            }
        }
    }
}

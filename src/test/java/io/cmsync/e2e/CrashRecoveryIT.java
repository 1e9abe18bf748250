package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.sandbox.FaultConfig;
import io.cmsync.sandbox.SandboxOptions;
import io.cmsync.sandbox.SandboxServer;
import io.cmsync.state.StateStore;
import io.cmsync.sync.SyncedRecord;

/**
 * The packaged jar ({@code --once}) killed with SIGKILL at random points of a run (fixed-seed delays), then run again
 * to completion: same final state as an uncrashed run, no person created twice, a synced state that never claims what
 * did not happen, and the lock of a killed run taken over. Runs in {@code mvn verify} (failsafe), after package.
 */
class CrashRecoveryIT {
    private static final int CONTACTS = 150;
    private static final long DATA_SEED = 11;
    private static final long KILL_SEED = 20_260_101L;

    @TempDir
    Path tmp;

    private static Path jar() {
        Path jar = Path.of(System.getProperty("cmsync.jar", "target/copper-mailchimp-sync.jar"));
        assertThat(jar).as("run mvn package first").exists();
        return jar;
    }

    private static SandboxServer sandbox() throws IOException {
        SandboxServer s = SandboxServer.start(new SandboxOptions(0, null, null, false));
        s.load(SandboxDumps.mixed(CONTACTS, DATA_SEED).build());
        s.faults(new FaultConfig(30, 0, 0, 0, 0, 0, 30_000, 1));
        return s;
    }

    /** A working folder for the product: its settings (small pages and batches: many calls) and .env. */
    private static Path workdir(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Path props = dir.resolve("config/application.properties");
        Files.copy(Path.of("config/application.properties"), props);
        Files.writeString(props, String.join("\n", "",
                "paths.data-dir=" + dir.resolve("data"),
                "paths.reports-dir=" + dir.resolve("reports"),
                "paths.archive-dir=" + dir.resolve("archive"),
                "copper.page-size=20", "mailchimp.page-size=20", "mailchimp.batch-size=10",
                // the safety brake as shipped, but for its grace: the first sync's own name updates (a fifth of the
                // contacts) pass; a killed run's leftover (tags of 60 new members…) would not without the journal
                "http.max-attempts=2", "safety.update-grace=40", ""),
                StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(".env"), "COPPER_API_KEY=" + SandboxServer.COPPER_API_KEY
                + "\nCOPPER_API_EMAIL=" + SandboxServer.COPPER_USER_EMAIL
                + "\nMAILCHIMP_API_KEY=" + SandboxServer.MAILCHIMP_API_KEY
                + "\nMAILCHIMP_LIST_ID=" + SandboxServer.LIST_ID + "\n");
        return dir;
    }

    private static Process start(Path dir, SandboxServer s, String name) throws IOException {
        // the technical log in the run's own folder, where the kill points read it (a JVM option: the run stays in
        // this one JVM, so that a kill stops it exactly there; LauncherIT covers a killed two-JVM run)
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcmsync.logs-dir=" + dir.resolve("logs"), "-jar", jar().toAbsolutePath().toString(), "--once",
                "--config", dir.resolve("config/application.properties").toString(),
                "--env-file", dir.resolve(".env").toString());
        // routes/ is read from the working directory: the project's
        pb.directory(Path.of("").toAbsolutePath().toFile());
        pb.environment().put("COPPER_BASE_URL", s.copperBaseUrl());
        pb.environment().put("MAILCHIMP_BASE_URL", s.mailchimpBaseUrl());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        return pb.start();
    }

    /**
     * SIGKILL to the process and to the JVM it runs the sync in (a plain {@code java -jar … --once} starts a second
     * JVM with the class-data archive, see Launcher), as a supervisor kills a control group: the run stops where it is.
     */
    private static void killTree(Process p) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        for (ProcessHandle h : tree) {
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
        }
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** What the run wrote to its technical log so far (the console no longer shows the technical lines). */
    private static String technicalLog(Path dir) throws IOException {
        Path log = dir.resolve("logs/copper-mailchimp-sync.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static int runToEnd(Path dir, SandboxServer s, String name) throws Exception {
        Process p = start(dir, s, name);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(name + " finished").isTrue();
        return p.exitValue();
    }

    @Test
    void killedRunsThenOneCompleteRunReachTheUncrashedState() throws Exception {
        Map<String, List<String>> refPeople;
        Map<String, String> refMembers;
        long refMs;
        long firstCallMs;
        try (SandboxServer ref = sandbox()) {
            Path dir = workdir(tmp.resolve("ref"));
            long t0 = System.nanoTime();
            Process p = start(dir, ref, "ref");
            while (ref.totalCalls() == 0 && p.isAlive()) {
                Thread.sleep(10);
            }
            firstCallMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            refMs = (System.nanoTime() - t0) / 1_000_000;
            refPeople = SandboxDumps.people(ref);
            refMembers = SandboxDumps.members(ref);
            System.out.println("uncrashed run: " + refMs + " ms, first API call after " + firstCallMs + " ms, "
                    + ref.totalCalls() + " calls");
        }

        Random kills = new Random(KILL_SEED);
        try (SandboxServer s = sandbox()) {
            Path dir = workdir(tmp.resolve("crashed"));
            List<String> log = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // kill somewhere between the first API call and the end of an uncrashed run
                long delay = firstCallMs + (long) (kills.nextDouble() * (refMs - firstCallMs));
                long before = s.totalCalls();
                Process p = start(dir, s, "crash" + i);
                boolean ended = p.waitFor(delay, TimeUnit.MILLISECONDS);
                if (!ended) {
                    killTree(p);
                }
                log.add("kill " + i + " after " + delay + " ms: " + (ended ? "had already ended (" + p.exitValue() + ")"
                        : "killed after " + (s.totalCalls() - before) + " API calls"));
                assertThat(SandboxDumps.duplicatePeople(s)).as("duplicate Copper people after kill %d", i).isZero();
                assertStateClaimsOnlyWhatHappened(dir, s);
            }
            System.out.println(String.join("\n", log));

            assertThat(runToEnd(dir, s, "final")).as("the run after the crashes").isZero();
            String out = Files.readString(dir.resolve("final.out"), StandardCharsets.UTF_8);
            assertThat(out).as("the lock of a killed run is taken over").doesNotContain("Une autre synchronisation est en cours")
                    .contains("▶ Synchronisation du");
            assertThat(SandboxDumps.duplicatePeople(s)).isZero();
            assertThat(SandboxDumps.people(s)).isEqualTo(refPeople);
            assertThat(SandboxDumps.members(s)).isEqualTo(refMembers);
            assertStateClaimsOnlyWhatHappened(dir, s);

            s.resetCalls();
            assertThat(runToEnd(dir, s, "after")).isZero();
            long writes = s.calls().entrySet().stream()
                    .filter(e -> !e.getKey().startsWith("GET ") && !e.getKey().endsWith("/search"))
                    .mapToLong(Map.Entry::getValue).sum();
            assertThat(writes).as("nothing left to write: %s", s.calls()).isZero();
        }
    }

    /** Where a run is killed: a condition on the calls the sandbox counted, or on the run's output so far. */
    private record KillPoint(String name, java.util.function.BiPredicate<Map<String, Long>, String> reached) {
    }

    private static long calls(Map<String, Long> calls, java.util.function.Predicate<String> endpoint) {
        return calls.entrySet().stream().filter(e -> endpoint.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * Issue 13 §2: SIGKILL at six points of a first sync (reading, Copper bulk creates, batch subscribe, tag calls,
     * batch operations polling, state commit); after each, ONE plain {@code --once} (no --confirm-plan, the brake as
     * shipped) ends with exit 0 in the uncrashed state, with no duplicate, and the next run writes nothing.
     */
    @Test
    void killedAtEachStageThenOnePlainRunFinishesThePlan() throws Exception {
        Map<String, List<String>> refPeople;
        Map<String, String> refMembers;
        try (SandboxServer ref = sandbox()) {
            assertThat(runToEnd(workdir(tmp.resolve("stage-ref")), ref, "ref")).isZero();
            refPeople = SandboxDumps.people(ref);
            refMembers = SandboxDumps.members(ref);
        }
        List<KillPoint> points = List.of(
                new KillPoint("reading", (c, out) -> calls(c, k -> k.endsWith("/people/search")) >= 2),
                new KillPoint("Copper bulk creates", (c, out) -> calls(c, k -> k.endsWith("/people/bulk_create")) >= 1),
                new KillPoint("batch subscribe", (c, out) -> calls(c, "POST /3.0/lists/{list_id}"::equals) >= 1),
                new KillPoint("tag calls", (c, out) -> calls(c, k -> k.startsWith("POST") && k.contains("/segments")) >= 1),
                new KillPoint("batch polling", (c, out) -> calls(c, k -> k.startsWith("GET /3.0/batches")) >= 1),
                new KillPoint("state commit", (c, out) -> out.contains("Synced state:")));
        List<String> log = new ArrayList<>();
        for (KillPoint point : points) {
            try (SandboxServer s = sandbox()) {
                Path dir = workdir(tmp.resolve("stage-" + point.name().replace(' ', '-')));
                Process p = start(dir, s, "killed");
                Path out = dir.resolve("killed.out");
                long deadline = System.currentTimeMillis() + 120_000;
                boolean reached = false;
                while (p.isAlive() && System.currentTimeMillis() < deadline) {
                    if (point.reached().test(s.calls(), (Files.exists(out) ? Files.readString(out) : "")
                            + technicalLog(dir))) {
                        killTree(p);
                        reached = true;
                        break;
                    }
                    Thread.sleep(2);
                }
                p.waitFor(30, TimeUnit.SECONDS);
                assertThat(reached).as("the run reached %s before it ended", point.name()).isTrue();
                assertThat(SandboxDumps.duplicatePeople(s)).as("duplicates after a kill at %s", point.name()).isZero();
                assertStateClaimsOnlyWhatHappened(dir, s);

                int code = runToEnd(dir, s, "after-kill");
                String after = Files.readString(dir.resolve("after-kill.out"), StandardCharsets.UTF_8);
                log.add("killed at " + point.name() + ": the next plain run exited " + code
                        + (after.contains("Reprise de l'exécution interrompue") ? " (resumed)" : ""));
                assertThat(code).as("one plain run after a kill at %s:%n%s", point.name(), after).isZero();
                assertThat(SandboxDumps.duplicatePeople(s)).isZero();
                assertThat(SandboxDumps.people(s)).as("Copper after a kill at %s", point.name()).isEqualTo(refPeople);
                assertThat(SandboxDumps.members(s)).as("Mailchimp after a kill at %s", point.name()).isEqualTo(refMembers);
                assertStateClaimsOnlyWhatHappened(dir, s);
                s.resetCalls();
                assertThat(runToEnd(dir, s, "check")).isZero();
                assertThat(calls(s.calls(), k -> !k.startsWith("GET ") && !k.endsWith("/search")))
                        .as("nothing left to write after a kill at %s: %s", point.name(), s.calls()).isZero();
            }
        }
        System.out.println(String.join("\n", log));
    }

    @Test
    void onlyOneRunAtATimeAcrossProcesses() throws Exception {
        try (SandboxServer s = sandbox()) {
            Path dir = workdir(tmp.resolve("lock"));
            Process first = start(dir, s, "first");
            Path out = dir.resolve("first.out");
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline
                    && !(Files.exists(out) && Files.readString(out).contains("▶ Synchronisation du"))) {
                Thread.sleep(50);
            }
            assertThat(runToEnd(dir, s, "second")).as("skipped: its own exit code").isEqualTo(4);
            assertThat(Files.readString(dir.resolve("second.out"))).contains("Une autre synchronisation est en cours");
            assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isZero();
        }
    }

    /** Every synced record matches both sides: the state never records a write that did not happen. */
    private static void assertStateClaimsOnlyWhatHappened(Path dir, SandboxServer s) {
        Path db = dir.resolve("data/sync-state.mv.db");
        if (!Files.exists(db)) {
            return;
        }
        Map<String, List<String>> people = SandboxDumps.people(s);
        Map<String, String> members = SandboxDumps.members(s);
        try (StateStore store = StateStore.open("jdbc:h2:file:" + dir.resolve("data/sync-state"))) {
            for (String email : people.keySet()) {
                store.find(email).ifPresent(r -> check(r, people.get(email), members.get(email)));
            }
            for (String email : members.keySet()) {
                store.find(email).ifPresent(r -> check(r, people.get(email), members.get(email)));
            }
        }
    }

    private static void check(SyncedRecord r, List<String> person, String member) {
        assertThat(person).as("Copper person of synced %s", r.email()).isNotNull().hasSize(1);
        assertThat(member).as("Mailchimp member of synced %s", r.email()).isNotNull();
        String[] p = person.get(0).split("\\|", -1);
        String[] m = member.split("\\|", -1);
        assertThat(p[0] + "|" + p[1]).as("Copper names of synced %s", r.email()).isEqualTo(r.firstName() + "|" + r.lastName());
        assertThat(m[1] + "|" + m[2]).as("Mailchimp names of synced %s", r.email()).isEqualTo(r.firstName() + "|" + r.lastName());
        for (String tag : r.pushedTags()) {
            assertThat(m[3]).as("pushed tag %s of %s", tag, r.email()).contains(tag);
        }
    }
}

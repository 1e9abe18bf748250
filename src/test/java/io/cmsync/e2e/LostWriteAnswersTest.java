package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.sandbox.FaultConfig;

/**
 * Issue 13 §6: every POST the sync sends (Copper bulk creates and updates, Mailchimp batch subscribe, tag creation and
 * tag members, batch operations) may be applied while its answer is lost (the sandbox then answers 503, as a proxy
 * would). The retries must end in the state a fault-free sync reaches: no duplicate person, no member lost, nothing
 * left to write.
 */
class LostWriteAnswersTest {
    private static final int CONTACTS = 60;
    private static final long DATA_SEED = 11;

    @TempDir
    Path tmp;

    /** First sync, then 12 people renamed in Copper (their members are renamed through one batch operation). */
    private static void sync(SyncHarness h, int maxRuns) throws Exception {
        runUntilClean(h, maxRuns);
        rename(h, 12);
        runUntilClean(h, maxRuns);
    }

    private static void runUntilClean(SyncHarness h, int maxRuns) throws Exception {
        int code = -1;
        for (int i = 0; i < maxRuns && code != 0; i++) {
            code = h.run();
        }
        assertThat(code).as("a plain run ends clean within %d runs", maxRuns).isZero();
    }

    private static void rename(SyncHarness h, int n) {
        ObjectNode state = h.sandbox.dump();
        int renamed = 0;
        for (JsonNode p : state.path("copper").path("people")) {
            String email = p.path("emails").path(0).path("email").asText("");
            if (renamed < n && h.member(email) != null) {
                ((ObjectNode) p).put("last_name", p.path("last_name").asText() + "-Renommé")
                        .put("name", p.path("first_name").asText() + " " + p.path("last_name").asText() + "-Renommé")
                        .put("date_modified", Seed.now());
                renamed++;
            }
        }
        h.sandbox.load(state);
    }

    @Test
    void writesWhoseAnswersAreLostEndInTheFaultFreeStateWithoutDuplicates() throws Exception {
        Map<String, List<String>> refPeople;
        Map<String, String> refMembers;
        try (SyncHarness ref = new SyncHarness(Files.createDirectories(tmp.resolve("ref")),
                SandboxDumps.mixed(CONTACTS, DATA_SEED).build())) {
            sync(ref, 1);
            refPeople = SandboxDumps.people(ref.sandbox);
            refMembers = SandboxDumps.members(ref.sandbox);
        }
        try (SyncHarness h = new SyncHarness(Files.createDirectories(tmp.resolve("lost")),
                SandboxDumps.mixed(CONTACTS, DATA_SEED).build())) {
            h.properties.put("http.max-attempts", "4");
            h.properties.put("mailchimp.batch-size", "5"); // many writes, so that many answers are lost
            h.sandbox.faults(new FaultConfig(0, 0, 0, 0, 0, 0, 1_000, 5, 0.3));
            sync(h, 3);
            assertThat(h.sandbox.statuses()).as("answers were lost").containsKey(503);

            assertThat(SandboxDumps.duplicatePeople(h.sandbox)).as("duplicate Copper people").isZero();
            assertThat(SandboxDumps.people(h.sandbox)).isEqualTo(refPeople);
            assertThat(SandboxDumps.members(h.sandbox)).isEqualTo(refMembers);
            h.sandbox.faults(FaultConfig.none());
            h.sandbox.resetCalls();
            assertThat(h.run()).isZero();
            assertThat(h.writeCalls()).as("nothing left to write: %s", h.sandbox.calls()).isZero();
        }
    }
}

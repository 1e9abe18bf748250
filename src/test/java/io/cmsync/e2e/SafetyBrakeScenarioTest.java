package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.app.SyncApplication;

/** The safety brake end to end: a plan over the limits writes nothing, says why, exits 1, runs once confirmed. */
class SafetyBrakeScenarioTest {
    @TempDir
    Path dir;
    SyncHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private void setting(String line) throws Exception {
        Files.writeString(h.dir.resolve("config/application.properties"), "\n" + line + "\n", StandardOpenOption.APPEND);
    }

    private int run(boolean confirm) throws Exception {
        return new SyncApplication(h.settings(), false, false, confirm).runOnceStandalone();
    }

    @Test
    void massRenameInCopperIsStoppedUntilConfirmed() throws Exception {
        Seed seed = new Seed();
        for (int i = 0; i < 40; i++) {
            seed.person("p" + i + "@exemple.fr", "Prénom" + i, "Nom").member("p" + i + "@exemple.fr", "subscribed", "Prénom" + i, "Nom");
        }
        h = new SyncHarness(dir, seed.build());
        assertThat(h.run()).isZero();
        // someone renames 30 of 40 people in Copper (75% of the audience)
        ObjectNode state = h.sandbox.dump();
        int n = 0;
        for (JsonNode p : state.path("copper").path("people")) {
            if (n++ < 30) {
                ((ObjectNode) p).put("last_name", "ERREUR").put("name", p.path("first_name").asText() + " ERREUR")
                        .put("date_modified", Seed.now());
            }
        }
        h.sandbox.load(state);
        h.sandbox.resetCalls();

        assertThat(run(false)).as("exit code of a braked run").isEqualTo(3);

        assertThat(h.writeCalls()).as("writes: %s", h.sandbox.calls()).isZero();
        assertThat(h.member("p0@exemple.fr").path("merge_fields").path("LNAME").asText()).isEqualTo("Nom");
        String report = h.latestReport();
        assertThat(report).contains("⚠️ PLAN BLOQUÉ PAR LE FREIN DE SÉCURITÉ", "30 mises à jour Mailchimp sur 40",
                "--confirm-plan", "safety.max-update-ratio", "Mode: TEST (plan bloqué, aucune écriture)", "p0@exemple.fr");
        assertThat(Files.readString(h.latest("sync_log_"))).contains("PLAN BLOQUÉ PAR LE FREIN DE SÉCURITÉ");
        Path json = h.latest("import_report_").resolveSibling(h.latest("import_report_").getFileName().toString()
                .replace(".txt", ".json"));
        assertThat(Files.readString(json)).contains("\"safetyBrake\"", "safety.max-update-ratio");

        // a run without confirmation is stopped again (it waits); with --confirm-plan it goes through
        assertThat(run(false)).isEqualTo(3);
        assertThat(run(true)).isZero();
        assertThat(h.member("p0@exemple.fr").path("merge_fields").path("LNAME").asText()).isEqualTo("ERREUR");
        h.sandbox.resetCalls();
        assertThat(run(false)).isZero();
        assertThat(h.writeCalls()).isZero();
    }

    @Test
    void raisingTheSettingAlsoLetsThePlanThrough() throws Exception {
        Seed seed = new Seed();
        for (int i = 0; i < 30; i++) {
            seed.person("q" + i + "@exemple.fr", "Q" + i, "Nom", "vip");
        }
        h = new SyncHarness(dir, seed.build());
        setting("safety.update-grace=0");
        setting("safety.max-update-ratio=0.05");
        assertThat(h.run()).isZero(); // creations are not updates
        ObjectNode state = h.sandbox.dump();
        for (JsonNode p : state.path("copper").path("people")) {
            ((ObjectNode) p).putArray("tags");
            ((ObjectNode) p).put("date_modified", Seed.now());
        }
        h.sandbox.load(state);
        assertThat(h.run()).isEqualTo(3);
        assertThat(h.latestReport()).contains("PLAN BLOQUÉ", "30 mises à jour Mailchimp sur 30");
        assertThat(Seed.tagNames(h.member("q0@exemple.fr"))).contains("vip");
        setting("safety.max-removals=1000");
        setting("safety.max-update-ratio=1");
        assertThat(h.run()).isZero();
        assertThat(Seed.tagNames(h.member("q0@exemple.fr"))).doesNotContain("vip");
    }

    @Test
    void theFirstProductionRunOnlyShowsItsPlan() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud")
                .member("bob@exemple.fr", "subscribed", "Bob", "Bernard").build());
        setting("safety.first-production-run-needs-confirmation=true");
        h.properties.put("sync.mode", "PRODUCTION");

        assertThat(h.run()).isEqualTo(3);
        assertThat(h.writeCalls()).isZero();
        assertThat(h.latestReport()).contains("⚠️ PLAN BLOQUÉ PAR LE FREIN DE SÉCURITÉ", "PRODUCTION",
                "anna@exemple.fr", "bob@exemple.fr");

        assertThat(run(true)).isZero();
        assertThat(h.member("anna@exemple.fr")).isNotNull();
        assertThat(h.copperPerson("bob@exemple.fr")).isNotNull();
        // later production runs need no confirmation
        h.sandbox.load(h.sandbox.dump());
        assertThat(h.run()).isZero();
        assertThat(h.latestReport()).doesNotContain("PLAN BLOQUÉ");
    }

    /**
     * Going live (issue 13 §1): after TEST runs, the state's watermarks and records were made for the marked addresses
     * only. The first PRODUCTION run reads the whole base again, its dry run shows the whole plan, a plain run is
     * braked showing it, and the confirmed run syncs every contact.
     */
    @Test
    void goingLiveReadsTheWholeBaseAndShowsItsWholePlanBeforeWriting() throws Exception {
        h = new SyncHarness(dir, new Seed().person("anna@exemple.fr", "Anna", "Arnaud")
                .person("real.customer@client.com", "Rémi", "Réel")
                .member("marc@exemple.fr", "subscribed", "Marc", "Martin")
                .member("vraie.cliente@client.com", "subscribed", "Valérie", "Vrai").build());
        setting("safety.first-production-run-needs-confirmation=true");
        assertThat(h.run()).isZero(); // TEST: the marked addresses only
        assertThat(h.run()).isZero(); // an incremental TEST run: nothing new
        assertThat(h.member("real.customer@client.com")).isNull();

        h.properties.put("sync.mode", "PRODUCTION"); // what `mode production --yes` writes
        assertThat(h.run(true)).as("dry run").isZero();
        String dryRun = h.latestReport();
        assertThat(dryRun).contains("real.customer@client.com", "vraie.cliente@client.com");
        assertThat(h.member("real.customer@client.com")).isNull();

        h.sandbox.resetCalls();
        assertThat(run(false)).as("a plain run is braked, showing the plan").isEqualTo(3);
        assertThat(h.writeCalls()).isZero();
        assertThat(h.latestReport()).contains("⚠️ PLAN BLOQUÉ PAR LE FREIN DE SÉCURITÉ", "périmètre changé",
                "mode TEST → PRODUCTION", "real.customer@client.com", "vraie.cliente@client.com");

        assertThat(run(true)).as("confirmed").isZero();
        assertThat(h.member("real.customer@client.com")).isNotNull();
        assertThat(h.copperPerson("vraie.cliente@client.com")).isNotNull();
        h.sandbox.resetCalls();
        assertThat(h.run()).as("later runs need no confirmation").isZero();
        assertThat(h.latestReport()).doesNotContain("PLAN BLOQUÉ");
        assertThat(h.writeCalls()).isZero();
    }
}

package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.state.RunLock;
import io.cmsync.state.StateStore;

/** The sync end to end: the YAML routes, the clients and the state against the sandbox, one scenario each. */
class SyncScenariosTest {
    @TempDir
    Path dir;
    SyncHarness h;

    @AfterEach
    void stopSandbox() {
        if (h != null) {
            h.close();
        }
    }

    private SyncHarness harness(Seed seed) throws Exception {
        h = new SyncHarness(dir, seed.build());
        return h;
    }

    private void editPerson(String email, Consumer<ObjectNode> edit) {
        ObjectNode state = h.sandbox.dump();
        for (JsonNode p : state.path("copper").path("people")) {
            if (p.path("emails").path(0).path("email").asText().equalsIgnoreCase(email)) {
                edit.accept((ObjectNode) p);
            }
        }
        h.sandbox.load(state);
    }

    private void editMember(String email, Consumer<ObjectNode> edit) {
        ObjectNode state = h.sandbox.dump();
        for (JsonNode m : state.path("mailchimp").path("lists").get(0).path("members")) {
            if (m.path("email_address").asText().equalsIgnoreCase(email)) {
                edit.accept((ObjectNode) m);
            }
        }
        h.sandbox.load(state);
    }

    private String syncLog() throws Exception {
        return Files.readString(h.latest("sync_log_"), StandardCharsets.UTF_8);
    }

    @Test
    void firstSyncGoesBothWays() throws Exception {
        harness(new Seed()
                .person("anna@exemple.fr", "Anna", "Arnaud", "vip", "newsletter")
                .member("bob@exemple.fr", "subscribed", "Bob", "Bernard")
                .person("cora@exemple.fr", "Cora", "Colin")
                .member("cora@exemple.fr", "subscribed", "Cora", "Colin"));

        assertThat(h.run()).isZero();

        JsonNode anna = h.member("anna@exemple.fr");
        assertThat(anna).isNotNull();
        assertThat(anna.path("status").asText()).isEqualTo("subscribed");
        assertThat(anna.path("merge_fields").path("FNAME").asText()).isEqualTo("Anna");
        assertThat(anna.path("merge_fields").path("LNAME").asText()).isEqualTo("Arnaud");
        assertThat(Seed.tagNames(anna)).contains("vip", "newsletter");
        JsonNode bob = h.copperPerson("bob@exemple.fr");
        assertThat(bob).isNotNull();
        assertThat(bob.path("first_name").asText()).isEqualTo("Bob");
        assertThat(bob.path("last_name").asText()).isEqualTo("Bernard");
        assertThat(bob.path("emails").get(0).path("category").asText()).isEqualTo("work");

        String report = h.latestReport();
        assertThat(report).contains("RAPPORT D'IMPORTATION COPPER ↔ MAILCHIMP", "Mode: TEST", "Total d'opérations: 2",
                "✅ SUCCÈS | anna@exemple.fr", "Direction: Copper → Mailchimp", "Nom: Anna Arnaud",
                "✅ SUCCÈS | bob@exemple.fr", "Direction: Mailchimp → Copper", "📊 Taux de réussite: 100.0%");
        assertThat(report).containsPattern("Tags synchronisés: .*vip");
        assertThat(syncLog()).contains("⏭️ Contact identique ignoré: cora@exemple.fr");
        assertThat(Files.readString(h.latest("import_report_").resolveSibling(
                h.latest("import_report_").getFileName().toString().replace(".txt", ".json")))).contains("anna@exemple.fr");
    }

    @Test
    void secondRunWritesNothing() throws Exception {
        harness(new Seed()
                .person("anna@exemple.fr", "Anna", "Arnaud", "vip")
                .member("bob@exemple.fr", "subscribed", "Bob", "Bernard")
                .person("cora@exemple.fr", "Cora", "Colin")
                .member("cora@exemple.fr", "subscribed", "Cora", "Colin"));
        assertThat(h.run()).isZero();
        h.sandbox.resetCalls();

        assertThat(h.run()).isZero();

        assertThat(h.writeCalls()).as("write calls on the second run: %s", h.sandbox.calls()).isZero();
        // incremental: one page per side (plus Mailchimp's archived pass), the first run's own writes not read again
        assertThat(h.sandbox.totalCalls()).as("calls: %s", h.sandbox.calls()).isLessThanOrEqualTo(4);
        assertThat(h.latestReport()).contains("Aucune synchronisation nécessaire - tous les contacts sont à jour",
                "Total d'opérations: 0");
    }

    @Test
    void incrementalRunsReadOnlyChangesAndAFullReconciliationReadsEverything() throws Exception {
        Seed seed = new Seed();
        for (int i = 0; i < 450; i++) {
            seed.person("p" + i + "@exemple.fr", "Prenom" + i, "Nom" + i).member("p" + i + "@exemple.fr", "subscribed",
                    "Prenom" + i, "Nom" + i);
        }
        harness(seed);
        assertThat(h.run()).isZero();
        assertThat(h.sandbox.calls().get("POST /developer_api/v1/people/search"))
                .as("full read: 3 pages of 200; the count of its own writes is left to the next run").isEqualTo(3);

        editPerson("p7@exemple.fr", p -> p.put("first_name", "Septime").put("date_modified", System.currentTimeMillis() / 1000));
        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.member("p7@exemple.fr").path("merge_fields").path("FNAME").asText()).isEqualTo("Septime");
        assertThat(h.sandbox.calls().get("POST /developer_api/v1/people/search"))
                .as("the count of the last run's window, a second count bounded at its end (p7 changed since), and "
                        + "the incremental read").isLessThanOrEqualTo(3);

        // a reconciliation cron that fired since the last full sync: everything is read again
        h.properties.put("sync.full-reconciliation-cron", "* * * * * ?");
        // runs take well under a second now: let the every-second cron fire after the last full sync
        Thread.sleep(1_100);
        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.sandbox.calls().get("POST /developer_api/v1/people/search")).isGreaterThanOrEqualTo(3);
        assertThat(Files.readString(h.latest("sync_log_"))).contains("réconciliation périodique");
    }

    @Test
    void aChangeSomeoneMakesWhileTheRunWritesIsReadByTheNextRun() throws Exception {
        harness(new Seed()
                .person("anna@exemple.fr", "Anna", "Arnaud") // Copper only: the run writes (a new member)
                .person("dan@exemple.fr", "Dan", "Dupont").member("dan@exemple.fr", "subscribed", "Dan", "Dupont")
                // modified after Dan: Dan is outside the last overlap second read, whose later edits no count can see
                .person("zoe@exemple.fr", "Zoé", "Zola").member("zoe@exemple.fr", "subscribed", "Zoé", "Zola"));
        long danId = h.copperPerson("dan@exemple.fr").path("id").asLong();
        // a Copper user edits Dan after the run read him, while it writes (before it counts the changes)
        java.util.concurrent.CompletableFuture<Integer> edit = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                        .pollInterval(java.time.Duration.ofMillis(20))
                        .until(() -> h.sandbox.calls().keySet().stream().anyMatch(k -> k.startsWith("POST /3.0/lists/")));
                java.net.http.HttpRequest put = java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(h.sandbox.copperBaseUrl() + "/people/" + danId))
                        .header("X-PW-AccessToken", io.cmsync.sandbox.SandboxServer.COPPER_API_KEY)
                        .header("X-PW-UserEmail", io.cmsync.sandbox.SandboxServer.COPPER_USER_EMAIL)
                        .header("X-PW-Application", "developer_api").header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"Daniel Dupont\",\"first_name\":\"Daniel\"}"))
                        .build();
                return java.net.http.HttpClient.newHttpClient()
                        .send(put, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(h.run()).isZero();
        assertThat(edit.get()).isEqualTo(200);
        assertThat(h.member("anna@exemple.fr")).isNotNull();
        assertThat(h.member("dan@exemple.fr").path("merge_fields").path("FNAME").asText())
                .as("read before the edit").isEqualTo("Dan");

        // the next run counts the first run's window (or reads it again if the overlap has not passed): Dan's edit,
        // later than Copper's last answer to the first run, is left out of the count and read after the watermark
        assertThat(h.run()).isZero();
        assertThat(h.member("dan@exemple.fr").path("merge_fields").path("FNAME").asText())
                .as("the watermark did not move past the edit").isEqualTo("Daniel");
    }

    @Test
    void aRunThatWritesEndsWithoutWaitingAndTheNextRunCountsItsChangesInstead() throws Exception {
        harness(new Seed()
                .person("anna@exemple.fr", "Anna", "Arnaud") // Copper only: the first run creates the member
                .member("bob@exemple.fr", "subscribed", "Bob", "Bernard") // Mailchimp only: the person
                .person("cora@exemple.fr", "Cora", "Colin").member("cora@exemple.fr", "subscribed", "Cora", "Colin"));
        h.properties.put("sync.incremental-overlap-seconds", "5"); // the shipped value
        long started = System.nanoTime();
        assertThat(h.run()).isZero();
        long firstRunMillis = (System.nanoTime() - started) / 1_000_000;
        // the run used to wait out the overlap after its last write, then count: at least 5 s
        assertThat(firstRunMillis).as("first run, ms").isLessThan(5_000);
        assertThat(h.sandbox.calls().get("POST /developer_api/v1/people/search")).as("one page read, no count").isEqualTo(1);

        Thread.sleep(5_000); // what the run no longer waits: the next run can count the window
        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.writeCalls()).as("the first run's own writes are not applied again: %s", h.sandbox.calls()).isZero();
        // one count per listing tells that the window holds only the first run's writes and nothing newer: no read
        assertThat(h.sandbox.totalCalls()).as("calls: %s", h.sandbox.calls()).isEqualTo(3);
        assertThat(h.latestReport()).contains("Total d'opérations: 0");

        // an edit made afterwards (stamped by the server's clock) is read by the next run, after the settled mark
        editPerson("cora@exemple.fr", p -> p.put("first_name", "Coralie").put("name", "Coralie Colin")
                .put("date_modified", Seed.now()));
        assertThat(h.run()).isZero();
        assertThat(h.member("cora@exemple.fr").path("merge_fields").path("FNAME").asText()).isEqualTo("Coralie");
        assertThat(h.member("anna@exemple.fr")).isNotNull();
        assertThat(h.copperPeopleWith("bob@exemple.fr")).isEqualTo(1);
    }

    @Test
    void aChangeStampedWithinTheRunIsFoundByTheNextRunsCountAndRead() throws Exception {
        harness(new Seed()
                .person("anna@exemple.fr", "Anna", "Arnaud") // Copper only: the run writes
                .person("dan@exemple.fr", "Dan", "Dupont").member("dan@exemple.fr", "subscribed", "Dan", "Dupont")
                // modified after Dan: Dan is outside the last overlap second read, whose later edits no count can see
                .person("zoe@exemple.fr", "Zoé", "Zola").member("zoe@exemple.fr", "subscribed", "Zoé", "Zola"));
        long duringTheRun = java.time.Instant.now().getEpochSecond();
        assertThat(h.run()).isZero();
        // a Copper edit stamped while the run was going on, visible only now (commit lag): not the run's own change
        editPerson("dan@exemple.fr", p -> p.put("first_name", "Daniel").put("name", "Daniel Dupont")
                .put("date_modified", duringTheRun));
        Thread.sleep(1_100); // the overlap (1 s here) has passed: the next run counts the window

        assertThat(h.run()).isZero();

        assertThat(syncLog()).contains("Changements faits par d'autres pendant la synchronisation précédente (Copper)");
        assertThat(h.member("dan@exemple.fr").path("merge_fields").path("FNAME").asText()).isEqualTo("Daniel");
    }

    @Test
    void nameChangedInCopperReachesMailchimp() throws Exception {
        harness(new Seed().person("dan@exemple.fr", "Dan", "Dupont").member("dan@exemple.fr", "subscribed", "Dan", "Dupont"));
        assertThat(h.run()).isZero();
        editPerson("dan@exemple.fr", p -> p.put("first_name", "Daniel").put("name", "Daniel Dupont")
                .put("date_modified", Seed.now()));

        assertThat(h.run()).isZero();

        assertThat(h.member("dan@exemple.fr").path("merge_fields").path("FNAME").asText()).isEqualTo("Daniel");
        assertThat(h.copperPerson("dan@exemple.fr").path("first_name").asText()).isEqualTo("Daniel");
        assertThat(h.latestReport()).contains("✅ SUCCÈS | dan@exemple.fr", "Direction: Copper → Mailchimp",
                "Nom: Daniel Dupont");
    }

    @Test
    void nameChangedInMailchimpReachesCopper() throws Exception {
        harness(new Seed().person("dan@exemple.fr", "Dan", "Dupont").member("dan@exemple.fr", "subscribed", "Dan", "Dupont"));
        assertThat(h.run()).isZero();
        editMember("dan@exemple.fr", m -> {
            ((ObjectNode) m.path("merge_fields")).put("LNAME", "Durand-Dupont");
            m.put("last_changed", Seed.nowIso(0));
        });

        assertThat(h.run()).isZero();

        assertThat(h.copperPerson("dan@exemple.fr").path("last_name").asText()).isEqualTo("Durand-Dupont");
        assertThat(h.member("dan@exemple.fr").path("merge_fields").path("LNAME").asText()).isEqualTo("Durand-Dupont");
        assertThat(h.latestReport()).contains("✅ SUCCÈS | dan@exemple.fr", "Direction: Mailchimp → Copper");
    }

    @Test
    void bothChangedTheMostRecentWinsAndTheConflictIsReported() throws Exception {
        harness(new Seed().person("eva@exemple.fr", "Eva", "Egal").member("eva@exemple.fr", "subscribed", "Eva", "Egal"));
        assertThat(h.run()).isZero();
        editPerson("eva@exemple.fr", p -> p.put("first_name", "Evelyne").put("name", "Evelyne Egal")
                .put("date_modified", Seed.now()));
        editMember("eva@exemple.fr", m -> {
            ((ObjectNode) m.path("merge_fields")).put("FNAME", "Eve");
            m.put("last_changed", Seed.nowIso(1)); // the most recent
        });

        assertThat(h.run()).isZero();

        assertThat(h.copperPerson("eva@exemple.fr").path("first_name").asText()).isEqualTo("Eve");
        assertThat(h.member("eva@exemple.fr").path("merge_fields").path("FNAME").asText()).isEqualTo("Eve");
        String report = h.latestReport();
        assertThat(report).contains("CONFLITS:", "eva@exemple.fr", "Evelyne", "Eve");
    }

    @Test
    void copperTagsFollowWhileMarketerTagsSurvive() throws Exception {
        harness(new Seed().person("fab@exemple.fr", "Fabien", "Faure", "alpha")
                .member("fab@exemple.fr", "subscribed", "Fabien", "Faure", "Webinar 2025"));
        assertThat(h.run()).isZero();
        assertThat(Seed.tagNames(h.member("fab@exemple.fr"))).contains("alpha", "Webinar 2025");

        editPerson("fab@exemple.fr", p -> {
            p.putArray("tags").add("beta");
            p.put("date_modified", Seed.now());
        });
        assertThat(h.run()).isZero();

        assertThat(Seed.tagNames(h.member("fab@exemple.fr")))
                .contains("beta", "Webinar 2025")
                .doesNotContain("alpha");
    }

    @Test
    void unsubscribedCleanedAndArchivedMembersAreNeverResubscribed() throws Exception {
        harness(new Seed()
                .person("unsub@exemple.fr", "Ursule", "Nouveau-Nom").member("unsub@exemple.fr", "unsubscribed", "Ursule", "Ancien")
                .person("clean@exemple.fr", "Claude", "Nouveau-Nom").member("clean@exemple.fr", "cleaned", "Claude", "Ancien")
                .person("arch@exemple.fr", "Arthur", "Nouveau-Nom").member("arch@exemple.fr", "archived", "Arthur", "Ancien"));

        h.run();
        h.run();

        assertThat(h.member("unsub@exemple.fr").path("status").asText()).isEqualTo("unsubscribed");
        assertThat(h.member("clean@exemple.fr").path("status").asText()).isEqualTo("cleaned");
        assertThat(h.member("arch@exemple.fr").path("status").asText()).isEqualTo("archived");
        // the status is mirrored in Copper as a tag
        assertThat(Seed.tagNames(h.copperPerson("unsub@exemple.fr"))).contains("Mailchimp: désabonné");
        assertThat(Seed.tagNames(h.copperPerson("clean@exemple.fr"))).contains("Mailchimp: nettoyé");
    }

    @Test
    void deletionTagVariantsAreExcludedAndSentToTheArchiveChannel() throws Exception {
        harness(new Seed()
                .person("del1@exemple.fr", "Denis", "Un", "🗑️ À SUPPRIMER")
                .person("del2@exemple.fr", "Denis", "Deux", "🗑 a supprimer")
                .person("del3@exemple.fr", "Denis", "Trois", "DELETE")
                .person("keep@exemple.fr", "Kevin", "Garde", "NE PAS SUPPRIMER LE DEVIS"));

        assertThat(h.run()).isZero();
        assertThat(h.run()).isZero(); // seen again: refreshed, not duplicated

        assertThat(h.member("del1@exemple.fr")).isNull();
        assertThat(h.member("del2@exemple.fr")).isNull();
        assertThat(h.member("del3@exemple.fr")).isNull();
        assertThat(h.member("keep@exemple.fr")).isNotNull();
        assertThat(h.latestReport()).contains("CONTACTS MARQUÉS POUR SUPPRESSION:", "del1@exemple.fr", "del2@exemple.fr",
                "del3@exemple.fr", "Tag détecté: 🗑 a supprimer");
        try (StateStore store = StateStore.open(h.settings().stateJdbcUrl())) {
            assertThat(store.pending()).extracting(StateStore.PendingFlagged::email)
                    .containsExactly("del1@exemple.fr", "del2@exemple.fr", "del3@exemple.fr");
            assertThat(store.pending().get(0).copperJson()).contains("Denis");
        }
    }

    @Test
    void inactiveContactsAreExcluded() throws Exception {
        harness(new Seed().person("ina@exemple.fr", "Ines", "Inactive", "📥 INACTIF"));

        assertThat(h.run()).isZero();

        assertThat(h.member("ina@exemple.fr")).isNull();
        assertThat(h.latestReport()).contains("CONTACTS EXCLUS:", "ina@exemple.fr");
    }

    @Test
    void removingTheInactiveTagBringsBackAMemberTheDeletionWorkflowArchived() throws Exception {
        harness(new Seed()
                .person("revient@exemple.fr", "Renée", "Retour", "📥 INACTIF", "client")
                .member("revient@exemple.fr", "archived", "Renee", "Ancienne")
                .person("autre@exemple.fr", "Autre", "Archive")
                .member("autre@exemple.fr", "archived", "Autre", "Archive"));
        // what `flagged archive` leaves in the synced state for the member it archived
        try (StateStore store = StateStore.open(h.settings().stateJdbcUrl())) {
            store.save(new io.cmsync.sync.SyncedRecord("revient@exemple.fr", null, "Renée", "Retour",
                    java.util.Set.of("client"), java.util.Set.of("client"), io.cmsync.sync.Planner.ARCHIVED_BY_SYNC_STATUS,
                    java.time.Instant.now()));
        }
        assertThat(h.run()).isZero();
        assertThat(h.member("revient@exemple.fr").path("status").asText()).as("inactive: excluded").isEqualTo("archived");

        editPerson("revient@exemple.fr", p -> {
            p.putArray("tags").add("client");
            p.put("date_modified", System.currentTimeMillis() / 1000);
        });
        assertThat(h.run()).isZero();

        JsonNode back = h.member("revient@exemple.fr");
        assertThat(back.path("status").asText()).isEqualTo("subscribed");
        assertThat(back.path("merge_fields").path("FNAME").asText()).isEqualTo("Renée");
        assertThat(back.path("merge_fields").path("LNAME").asText()).isEqualTo("Retour");
        assertThat(Seed.tagNames(back)).contains("client");
        assertThat(h.member("autre@exemple.fr").path("status").asText())
                .as("archived by someone else: never brought back").isEqualTo("archived");
        assertThat(h.latestReport()).contains("✅ SUCCÈS | revient@exemple.fr");
    }

    @Test
    void testModeWritesNothingOutsideTheMarker() throws Exception {
        harness(new Seed()
                .person("t1@exemple.fr", "Tina", "Test")
                .person("real.person@acme-corp.fr", "Real", "Person")
                .member("other@acme-corp.fr", "subscribed", "Other", "Member"));

        assertThat(h.run()).isZero();

        assertThat(h.member("t1@exemple.fr")).isNotNull();
        assertThat(h.member("real.person@acme-corp.fr")).isNull();
        assertThat(h.copperPerson("other@acme-corp.fr")).isNull();
        assertThat(h.latestReport()).doesNotContain("acme-corp");
    }

    @Test
    void invalidDuplicateAndMissingEmailsAreReportedAndSkipped() throws Exception {
        harness(new Seed()
                .person("ok@acme-corp.fr", "Olivier", "Ok")
                .person("jean.dupont@", "Jean", "Dupont")
                .person("dup@acme-corp.fr", "Denise", "Double")
                .person("DUP@acme-corp.fr", "Denis", "Double")
                .person(null, "Sans", "Adresse"));
        h.properties.put("sync.mode", "PRODUCTION");

        assertThat(h.run()).isZero();

        assertThat(h.member("ok@acme-corp.fr")).isNotNull();
        assertThat(h.member("dup@acme-corp.fr")).isNull();
        String report = h.latestReport();
        assertThat(report).contains("Mode: PRODUCTION", "CONTACTS NON SYNCHRONISÉS (À CORRIGER):", "adresse e-mail invalide",
                "adresse e-mail partagée par plusieurs personnes Copper", "pas d'adresse e-mail", "✅ SUCCÈS | ok@acme-corp.fr");
    }

    /**
     * Issue 14: the two people sharing an address are one entry naming both Copper ids (before: two identical lines
     * with no id), fixed in Copper; and a member archived in Mailchimp whose Copper person is active has its own
     * section and advice (before: « Contact identique ignoré » and nowhere in the report).
     */
    @Test
    void sharedAddressesNameEveryCopperIdAndArchivedMembersOfActivePeopleAreReported() throws Exception {
        harness(new Seed()
                .person("dup@acme-corp.fr", "Denise", "Double")
                .person("DUP@acme-corp.fr", "Denis", "Double")
                .person("sylvie@acme-corp.fr", "Sylvie", "Simon")
                .member("sylvie@acme-corp.fr", "archived", "Sylvie", "Simon"));
        h.properties.put("sync.mode", "PRODUCTION");
        h.properties.put("safety.first-production-run-needs-confirmation", "false");

        assertThat(h.run()).isZero();

        String report = h.latestReport();
        assertThat(report).containsOnlyOnce("dup@acme-corp.fr")
                .containsPattern("  1\\. dup@acme-corp\\.fr\n     À corriger dans: Copper\n     Personnes Copper n° \\d+, \\d+\n");
        assertThat(report).contains("MEMBRES ARCHIVÉS DANS MAILCHIMP, ACTIFS DANS COPPER:", "  1. sylvie@acme-corp.fr",
                "désarchivez-le dans Mailchimp");
        assertThat(syncLog()).contains("Membre archivé dans Mailchimp, personne active dans Copper: sylvie@acme-corp.fr")
                .doesNotContain("Contact identique ignoré: sylvie@acme-corp.fr");
        // never unarchived by the sync
        assertThat(h.member("sylvie@acme-corp.fr").path("status").asText()).isEqualTo("archived");
    }

    @Test
    void oneRejectedMemberIsReportedWhileTheRestOfTheBatchSucceeds() throws Exception {
        harness(new Seed()
                .person("good1@acme-corp.fr", "Gaspard", "Un")
                .person("fake@example.com", "Faux", "Contact")
                .person("good2@acme-corp.fr", "Gaspard", "Deux"));
        h.properties.put("sync.mode", "PRODUCTION");

        assertThat(h.run()).as("some contacts failed").isEqualTo(1);

        assertThat(h.member("good1@acme-corp.fr")).isNotNull();
        assertThat(h.member("good2@acme-corp.fr")).isNotNull();
        assertThat(h.member("fake@example.com")).isNull();
        String report = h.latestReport();
        assertThat(report).contains("❌ ERREUR | fake@example.com", "Erreur:", "✅ SUCCÈS | good1@acme-corp.fr",
                "✅ SUCCÈS | good2@acme-corp.fr", "❌ Erreurs: 1");
        // not recorded as synced: the next run tries it again, and only it
        h.sandbox.resetCalls();
        assertThat(h.run()).isEqualTo(1);
        assertThat(h.latestReport()).contains("Total d'opérations: 1", "❌ ERREUR | fake@example.com");
    }

    @Test
    void forgottenAddressIsTaggedRememberedAndClearedWhenBack() throws Exception {
        harness(new Seed().person("gone@exemple.fr", "Gaston", "Oublie").forgotten("gone@exemple.fr")
                .person("ok@exemple.fr", "Octave", "Ok"));

        assertThat(h.run()).as("a forgotten address is not a failure").isZero();
        assertThat(Seed.tagNames(h.copperPerson("gone@exemple.fr"))).contains("Réinscription requise");
        assertThat(h.member("ok@exemple.fr")).isNotNull();
        String first = h.latestReport();
        assertThat(first).contains("EMAILS SUPPRIMÉS DÉFINITIVEMENT", "gone@exemple.fr", "MERGE0=gone%40exemple.fr",
                "❌ Erreurs: 0");

        h.sandbox.resetCalls();
        assertThat(h.run()).isZero();
        assertThat(h.writeCalls()).as("remembered: Mailchimp is not asked again: %s", h.sandbox.calls()).isZero();
        assertThat(h.latestReport()).contains("gone@exemple.fr", "MERGE0=gone%40exemple.fr");

        // the person resubscribed through the hosted form
        ObjectNode state = h.sandbox.dump();
        ObjectNode list = (ObjectNode) state.path("mailchimp").path("lists").get(0);
        list.putArray("forgotten");
        ObjectNode back = ((com.fasterxml.jackson.databind.node.ArrayNode) list.path("members")).addObject();
        back.put("id", io.cmsync.mailchimp.MailchimpMapping.subscriberHash("gone@exemple.fr"));
        back.put("email_address", "gone@exemple.fr");
        back.put("status", "subscribed");
        back.putObject("merge_fields").put("FNAME", "Gaston").put("LNAME", "Oublie");
        back.putArray("tags");
        back.put("last_changed", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString());
        h.sandbox.load(state);

        assertThat(h.run()).isZero();
        assertThat(Seed.tagNames(h.copperPerson("gone@exemple.fr"))).doesNotContain("Réinscription requise");
        assertThat(h.latestReport()).contains("RÉINSCRITS", "gone@exemple.fr");
    }

    @Test
    void dryRunPlansAndReportsButWritesNothing() throws Exception {
        harness(new Seed()
                .person("anna@exemple.fr", "Anna", "Arnaud", "vip")
                .member("bob@exemple.fr", "subscribed", "Bob", "Bernard"));

        assertThat(h.run(true)).isZero();

        assertThat(h.writeCalls()).as("calls: %s", h.sandbox.calls()).isZero();
        assertThat(h.member("anna@exemple.fr")).isNull();
        assertThat(h.copperPerson("bob@exemple.fr")).isNull();
        assertThat(h.latestReport()).contains("simulation", "anna@exemple.fr", "bob@exemple.fr");

        // nothing was recorded as synced either: a real run still does the work
        assertThat(h.run()).isZero();
        assertThat(h.member("anna@exemple.fr")).isNotNull();
    }

    @Test
    void aRunHeldByAnotherProcessIsSkipped() throws Exception {
        harness(new Seed().person("anna@exemple.fr", "Anna", "Arnaud"));
        try (RunLock held = RunLock.tryAcquire(h.settings().lockFile()).orElseThrow()) {
            assertThat(h.run()).as("skipped: its own exit code").isEqualTo(4);
        }
        assertThat(h.sandbox.totalCalls()).isZero();
        assertThat(h.member("anna@exemple.fr")).isNull();
    }

    @Test
    void reportsThatCannotBeWrittenExitWith5WhileTheSyncItselfCounts() throws Exception {
        harness(new Seed().person("anna@exemple.fr", "Anna", "Arnaud"));
        Path notAFolder = Files.writeString(dir.resolve("reports-is-a-file"), "x");
        h.properties.put("paths.reports-dir", notAFolder.toString());
        assertThat(h.run()).isEqualTo(5);
        assertThat(h.member("anna@exemple.fr")).isNotNull();
        h.sandbox.resetCalls();
        assertThat(h.run()).isEqualTo(5);
        assertThat(h.writeCalls()).as("the synced state was committed: nothing to write again").isZero();
    }

    @Test
    void aLockFileThatCannotBeUsedFailsTheRunInsteadOfSkippingIt() throws Exception {
        harness(new Seed().person("anna@exemple.fr", "Anna", "Arnaud"));
        // the data folder is a file: neither the lock nor the synced state can live there
        Path notAFolder = Files.writeString(dir.resolve("data-is-a-file"), "x");
        h.properties.put("paths.data-dir", notAFolder.toString());
        assertThat(h.run()).as("not 'another run holds the lock'").isEqualTo(2);
        assertThat(h.latestReport()).contains("SYNCHRONISATION INTERROMPUE", "sync.lock");
        assertThat(h.sandbox.totalCalls()).isZero();
    }

    @Test
    void rejectedCredentialsStopTheRunWithExitCode2AndNameTheKey() throws Exception {
        harness(new Seed().person("anna@exemple.fr", "Anna", "Arnaud"));
        h.properties.put("copper.base-url", h.sandbox.copperBaseUrl());
        // a wrong key, given the way a user would: in .env
        Files.writeString(dir.resolve(".env"), "COPPER_API_KEY=wrong-key-123\n");
        SyncHarness harness = h;
        int code = new io.cmsync.app.SyncApplication(withoutEnvCopperKey(harness), false, false).runOnceStandalone();
        assertThat(code).isEqualTo(2);
        String report = h.latestReport();
        assertThat(report).contains("COPPER_API_KEY").doesNotContain("wrong-key-123");
    }

    private static io.cmsync.config.Settings withoutEnvCopperKey(SyncHarness h) {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("COPPER_API_EMAIL", io.cmsync.sandbox.SandboxServer.COPPER_USER_EMAIL);
        env.put("MAILCHIMP_API_KEY", io.cmsync.sandbox.SandboxServer.MAILCHIMP_API_KEY);
        env.put("MAILCHIMP_LIST_ID", io.cmsync.sandbox.SandboxServer.LIST_ID);
        env.put("COPPER_BASE_URL", h.sandbox.copperBaseUrl());
        env.put("MAILCHIMP_BASE_URL", h.sandbox.mailchimpBaseUrl());
        return new io.cmsync.config.SettingsLoader(h.dir.resolve("config/application.properties"), h.dir.resolve(".env"),
                env, h.properties).load();
    }
}

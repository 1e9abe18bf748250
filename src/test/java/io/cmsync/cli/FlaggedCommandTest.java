package io.cmsync.cli;

import static io.cmsync.cli.FlaggedHarness.DELETION;
import static io.cmsync.cli.FlaggedHarness.INACTIVE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.cmsync.api.ApiClients;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.sandbox.SandboxServer;

/** The flagged commands against the sandbox, after a real sync has put contacts in the archive channel. */
class FlaggedCommandTest {
    @TempDir
    Path dir;
    FlaggedHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    private FlaggedHarness synced(FlaggedHarness.Seed seed) throws Exception {
        h = new FlaggedHarness(dir, seed.build());
        assertThat(h.sync()).isZero();
        h.sandbox.resetCalls();
        return h;
    }

    @Test
    void listShowsPendingContactsWithTheMatchedTag() throws Exception {
        synced(new FlaggedHarness.Seed()
                .flagged("del1@exemple.fr", "Denis", "Un", DELETION)
                .flagged("del2@exemple.fr", "Denis", "Deux", "🗑 a supprimer")
                .person("keep@exemple.fr", "Kevin", "Garde"));
        // through the real command line: settings from the files only
        Files.writeString(h.config(), "\ncopper.base-url=" + h.sandbox.copperBaseUrl()
                + "\nmailchimp.base-url=" + h.sandbox.mailchimpBaseUrl() + "\n"
                + h.properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().replace("\\", "/"))
                .reduce("", (a, b) -> a + b + "\n"), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve(".env"), "COPPER_API_KEY=" + SandboxServer.COPPER_API_KEY + "\nCOPPER_API_EMAIL="
                + SandboxServer.COPPER_USER_EMAIL + "\nMAILCHIMP_API_KEY=" + SandboxServer.MAILCHIMP_API_KEY
                + "\nMAILCHIMP_LIST_ID=" + SandboxServer.LIST_ID + "\n");
        StringWriter out = new StringWriter();
        int code = Application.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "--config", h.config().toString(), "--env-file", dir.resolve(".env").toString(), "flagged", "list");

        assertThat(code).isZero();
        java.time.Instant firstSeen = h.pending().get(0).firstSeen();
        java.time.format.DateTimeFormatter minute = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
        assertThat(out.toString()).contains("EN ATTENTE : 2", "del1@exemple.fr", "Tag détecté : " + DELETION,
                "del2@exemple.fr", "Tag détecté : 🗑 a supprimer", "Mailchimp : abonné",
                // the settings' zone (Europe/Paris by default), named
                "En attente depuis le " + minute.format(firstSeen.atZone(java.time.ZoneId.of("Europe/Paris")))
                        + " (Europe/Paris)").doesNotContain("keep@", "subscribed");
        assertThat(h.writeCalls()).isZero();

        // in English, in another zone
        Files.writeString(h.config(), "\nlanguage=en\ntimezone=America/New_York\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        out.getBuffer().setLength(0);
        assertThat(Application.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "--config", h.config().toString(), "--env-file", dir.resolve(".env").toString(), "flagged", "list"))
                .isZero();
        assertThat(out.toString()).contains("WAITING: 2", "Tag found: " + DELETION, "Mailchimp: subscribed",
                "Waiting since " + minute.format(firstSeen.atZone(java.time.ZoneId.of("America/New_York")))
                        + " (America/New_York)").doesNotContain("Tag détecté");
    }

    @Test
    void archiveWithConfirmAllWritesTheArchiveThenTagsInactiveAndArchivesTheMember() throws Exception {
        synced(new FlaggedHarness.Seed().flagged("del1@exemple.fr", "Denis", "Un", DELETION));
        assertThat(h.pendingEmails()).containsExactly("del1@exemple.fr");

        assertThat(h.flagged("archive", "--confirm", "--all")).isZero();

        List<JsonNode> lines = h.archiveLines();
        assertThat(lines).hasSize(1);
        JsonNode line = lines.get(0);
        assertThat(line.path("action").asText()).isEqualTo("archive");
        assertThat(line.path("email").asText()).isEqualTo("del1@exemple.fr");
        assertThat(line.path("archived_at").asText()).isNotBlank();
        // written before anything changed: the full records as they were
        assertThat(line.path("copper_person").path("tags").toString()).contains(DELETION);
        assertThat(line.path("copper_person").path("first_name").asText()).isEqualTo("Denis");
        assertThat(line.path("mailchimp_member").path("status").asText()).isEqualTo("subscribed");
        assertThat(line.path("pending_record").path("copper").path("email").asText()).isEqualTo("del1@exemple.fr");

        assertThat(h.tags("del1@exemple.fr")).containsExactly("client", INACTIVE);
        assertThat(h.status("del1@exemple.fr")).isEqualTo("archived");
        assertThat(h.pendingEmails()).isEmpty();
        assertThat(h.lastFlaggedReport()).contains("RAPPORT DES CONTACTS MARQUÉS POUR SUPPRESSION",
                "✅ SUCCÈS | del1@exemple.fr", "Action : Archivage", "Mailchimp : membre archivé (il était : abonné)", "Date : ");

        // the next sync leaves the now inactive person alone
        h.sandbox.resetCalls();
        assertThat(h.sync()).isZero();
        assertThat(h.status("del1@exemple.fr")).isEqualTo("archived");
        assertThat(h.pendingEmails()).isEmpty();
    }

    @Test
    void anArchivedContactComesBackWhenItsInactiveTagIsRemoved() throws Exception {
        synced(new FlaggedHarness.Seed().flagged("del1@exemple.fr", "Denis", "Un", DELETION));
        assertThat(h.flagged("archive", "--confirm", "--all")).isZero();
        assertThat(h.status("del1@exemple.fr")).isEqualTo("archived");

        // someone removes the inactive tag in Copper
        com.fasterxml.jackson.databind.node.ObjectNode state = h.sandbox.dump();
        for (JsonNode p : state.path("copper").path("people")) {
            if (p.path("emails").path(0).path("email").asText().equals("del1@exemple.fr")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) p).putArray("tags").add("client");
                ((com.fasterxml.jackson.databind.node.ObjectNode) p).put("date_modified", System.currentTimeMillis() / 1000);
            }
        }
        h.sandbox.load(state);
        assertThat(h.sync()).isZero();

        assertThat(h.status("del1@exemple.fr")).isEqualTo("subscribed");
        assertThat(h.member("del1@exemple.fr").path("merge_fields").path("FNAME").asText()).isEqualTo("Denis");
    }

    @Test
    void archiveCanUnsubscribeInsteadBySetting() throws Exception {
        synced(new FlaggedHarness.Seed().flagged("del1@exemple.fr", "Denis", "Un", DELETION));
        h.properties.put("flagged.mailchimp-action", "unsubscribe");

        assertThat(h.flagged("archive", "--confirm", "--email", "DEL1@exemple.fr")).isZero();

        assertThat(h.status("del1@exemple.fr")).isEqualTo("unsubscribed");
        assertThat(h.tags("del1@exemple.fr")).containsExactly("client", INACTIVE);
        assertThat(h.archiveLines().get(0).path("mailchimp_action").asText()).isEqualTo("unsubscribe");
    }

    @Test
    void deleteByEmailDeletesThePersonAndArchivesTheMemberOnlyForThatContact() throws Exception {
        synced(new FlaggedHarness.Seed()
                .flagged("del1@exemple.fr", "Denis", "Un", DELETION)
                .flagged("del2@exemple.fr", "Denis", "Deux", "DELETE"));

        assertThat(h.flagged("delete", "--confirm", "--email", "del1@exemple.fr")).isZero();

        assertThat(h.person("del1@exemple.fr")).isNull();
        assertThat(h.status("del1@exemple.fr")).isEqualTo("archived");
        assertThat(h.archiveLines()).singleElement().satisfies(l -> {
            assertThat(l.path("action").asText()).isEqualTo("delete");
            assertThat(l.path("copper_person").path("id").asLong()).isPositive();
        });
        assertThat(h.pendingEmails()).containsExactly("del2@exemple.fr");
        assertThat(h.tags("del2@exemple.fr")).contains("DELETE");
        assertThat(h.status("del2@exemple.fr")).isEqualTo("subscribed");

        // a later sync does not bring the deleted person back
        assertThat(h.sync()).isZero();
        assertThat(h.person("del1@exemple.fr")).isNull();
        assertThat(h.status("del1@exemple.fr")).isEqualTo("archived");
    }

    @Test
    void permanentDeleteForgetsTheAddressForGood() throws Exception {
        synced(new FlaggedHarness.Seed().flagged("del1@exemple.fr", "Denis", "Un", DELETION));

        assertThat(h.flagged("delete", "--confirm", "--all", "--permanent")).isZero();

        assertThat(h.out).contains("SUPPRESSION DÉFINITIVE", "PLUS JAMAIS");
        assertThat(h.person("del1@exemple.fr")).isNull();
        assertThat(h.member("del1@exemple.fr")).isNull();
        assertThat(h.archiveLines().get(0).path("mailchimp_action").asText()).isEqualTo("delete-permanent");
        assertThat(h.pendingEmails()).isEmpty();
        try (ApiClients.Standalone api = ApiClients.standalone(h.settings())) {
            MailchimpClient.MemberResult again = api.clients().mailchimp()
                    .updateMember("del1@exemple.fr", "subscribed", "Denis", "Un");
            assertThat(again.ok()).isFalse();
            assertThat(again.error().title()).isEqualTo("Forgotten Email Not Subscribed");
        }
    }

    @Test
    void nothingChangesWhenTheArchiveCannotBeWritten() throws Exception {
        synced(new FlaggedHarness.Seed().flagged("del1@exemple.fr", "Denis", "Un", DELETION));
        // a regular file where the archive directory's parent should be: the directory cannot be created, even as root
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "not a directory");
        h.properties.put("paths.archive-dir", blocker.resolve("archive").toString());

        assertThat(h.flagged("delete", "--confirm", "--all")).isEqualTo(1);

        assertThat(h.writeCalls()).isZero();
        assertThat(h.person("del1@exemple.fr")).isNotNull();
        assertThat(h.tags("del1@exemple.fr")).containsExactly("client", DELETION);
        assertThat(h.status("del1@exemple.fr")).isEqualTo("subscribed");
        assertThat(h.pendingEmails()).containsExactly("del1@exemple.fr");
        assertThat(h.lastFlaggedReport()).contains("❌ ERREUR | del1@exemple.fr", "Écriture de l'archive impossible",
                "Rien n'a été modifié");
    }

    @Test
    void aCallActsOnAtMostLimitContacts() throws Exception {
        synced(new FlaggedHarness.Seed()
                .flagged("a@exemple.fr", "Anne", "A", DELETION)
                .flagged("b@exemple.fr", "Bert", "B", DELETION)
                .flagged("c@exemple.fr", "Carl", "C", DELETION));
        assertThat(h.pendingEmails()).hasSize(3);

        assertThat(h.flagged("archive", "--confirm", "--all", "--limit", "2")).isZero();

        assertThat(h.archiveLines()).hasSize(2);
        assertThat(h.status("a@exemple.fr")).isEqualTo("archived");
        assertThat(h.status("b@exemple.fr")).isEqualTo("archived");
        assertThat(h.status("c@exemple.fr")).isEqualTo("subscribed");
        assertThat(h.tags("c@exemple.fr")).contains(DELETION);
        assertThat(h.pendingEmails()).containsExactly("c@exemple.fr");
        assertThat(h.out).contains("… et 1 autre : relancez la commande");
    }

    @Test
    void theDefaultCapIsFifty() throws Exception {
        FlaggedHarness.Seed seed = new FlaggedHarness.Seed();
        for (int i = 0; i < 52; i++) {
            seed.person(String.format("p%02d@exemple.fr", i), "P", "N" + i, DELETION);
        }
        synced(seed);

        assertThat(h.flagged("archive", "--confirm", "--all")).isZero();

        assertThat(h.archiveLines()).hasSize(50);
        assertThat(h.pendingEmails()).containsExactly("p50@exemple.fr", "p51@exemple.fr");
    }

    @Test
    void interactiveOneByOneFollowsTheAnswers() throws Exception {
        synced(new FlaggedHarness.Seed()
                .flagged("a@exemple.fr", "Anne", "A", DELETION)
                .flagged("b@exemple.fr", "Bert", "B", DELETION)
                .flagged("c@exemple.fr", "Carl", "C", DELETION));

        // one by one; a: archive, "x" is not an answer (asked again), then words, whatever their case and accents:
        // delete, ignore; then confirm the deletion
        assertThat(h.flaggedTyping("Un par un\na\nx\nSupprimé\n IGNORER \nOui\n", "archive")).isZero();

        assertThat(h.out).contains("[a]rchiver / [s]upprimer / [i]gnorer", "Réponse non reconnue : x",
                "Que faire de ces 3 contacts ?", "1 personne sera supprimée de Copper", "Confirmer la suppression");
        assertThat(h.tags("a@exemple.fr")).containsExactly("client", INACTIVE);
        assertThat(h.status("a@exemple.fr")).isEqualTo("archived");
        assertThat(h.person("b@exemple.fr")).isNull();
        assertThat(h.status("b@exemple.fr")).isEqualTo("archived");
        assertThat(h.tags("c@exemple.fr")).containsExactly("client", DELETION);
        assertThat(h.status("c@exemple.fr")).isEqualTo("subscribed");
        assertThat(h.pendingEmails()).containsExactly("c@exemple.fr");
        assertThat(h.archiveLines()).extracting(l -> l.path("email").asText() + ":" + l.path("action").asText())
                .containsExactly("a@exemple.fr:archive", "b@exemple.fr:delete");
        assertThat(h.lastFlaggedReport()).contains("⏭️ IGNORÉ | c@exemple.fr", "⏭️ Ignorés : 1", "✅ Succès : 2");
    }

    @Test
    void interactivePromptsInEnglishAcceptTheEnglishWords() throws Exception {
        synced(new FlaggedHarness.Seed()
                .flagged("a@exemple.fr", "Anne", "A", DELETION)
                .flagged("b@exemple.fr", "Bert", "B", DELETION)
                .flagged("c@exemple.fr", "Carl", "C", DELETION));
        h.properties.put("language", "en");

        // "s" (French for supprimer) means nothing in English: asked again
        assertThat(h.flaggedTyping("one by one\nArchive\ns\nd\nskip\nYES\n", "archive")).isZero();

        assertThat(h.out).contains("What should be done with these 3 contacts?", "[a]rchive / [d]elete / [i]gnore",
                "Answer not recognised: s", "1 person will be deleted from Copper", "Confirm the deletion? [yes/no]",
                "a@exemple.fr — Archive", "b@exemple.fr — Deletion", "c@exemple.fr — Ignored")
                .doesNotContain("Que faire", "Suppression");
        // the report too
        assertThat(h.lastFlaggedReport()).contains("REPORT OF THE CONTACTS FLAGGED FOR DELETION", "Action: Archive",
                "Mailchimp: member archived (it was: subscribed)", "⏭️ IGNORED | c@exemple.fr", "✅ Succeeded: 2")
                .doesNotContain("RAPPORT", "Succès", "membre");
        assertThat(h.tags("a@exemple.fr")).containsExactly("client", INACTIVE);
        assertThat(h.person("b@exemple.fr")).isNull();
        assertThat(h.pendingEmails()).containsExactly("c@exemple.fr");
    }

    @Test
    void interactiveGroupChoiceAndRefusedDeletionConfirmation() throws Exception {
        synced(new FlaggedHarness.Seed()
                .flagged("a@exemple.fr", "Anne", "A", DELETION)
                .flagged("b@exemple.fr", "Bert", "B", DELETION));

        // 3 = delete all, then "non" at the confirmation: nothing happens
        assertThat(h.flaggedTyping("3\nnon\n", "delete")).isZero();
        assertThat(h.writeCalls()).isZero();
        assertThat(h.pendingEmails()).hasSize(2);
        assertThat(h.archiveLines()).isEmpty();

        // 2 = archive all
        assertThat(h.flaggedTyping("2\n", "delete")).isZero();
        assertThat(h.tags("a@exemple.fr")).containsExactly("client", INACTIVE);
        assertThat(h.tags("b@exemple.fr")).containsExactly("client", INACTIVE);
        assertThat(h.pendingEmails()).isEmpty();
    }

    @Test
    void withoutATerminalAndWithoutConfirmOnlyAPreviewIsShown() throws Exception {
        synced(new FlaggedHarness.Seed().flagged("del1@exemple.fr", "Denis", "Un", DELETION));

        assertThat(h.flagged("delete", "--all")).isZero();

        assertThat(h.out).contains("del1@exemple.fr", "Aperçu seulement", "--confirm");
        assertThat(h.writeCalls()).isZero();
        assertThat(h.person("del1@exemple.fr")).isNotNull();
        assertThat(h.status("del1@exemple.fr")).isEqualTo("subscribed");
        assertThat(h.pendingEmails()).containsExactly("del1@exemple.fr");
        assertThat(Files.exists(h.archiveFile())).isFalse();
        assertThat(h.flaggedReports()).isEmpty();

        // --preview never asks, even in a terminal
        assertThat(h.flaggedTyping("2\n", "archive", "--preview")).isZero();
        assertThat(h.writeCalls()).isZero();
        assertThat(h.pendingEmails()).containsExactly("del1@exemple.fr");
    }

    @Test
    void confirmNeedsToSayWhichContacts() throws Exception {
        synced(new FlaggedHarness.Seed().flagged("del1@exemple.fr", "Denis", "Un", DELETION));

        assertThat(h.flagged("archive", "--confirm")).isEqualTo(2);

        assertThat(h.err).contains("--confirm demande --all ou --email");
        assertThat(h.writeCalls()).isZero();
        assertThat(h.pendingEmails()).containsExactly("del1@exemple.fr");
    }

    @Test
    void aMemberAlreadyArchivedOrAbsentIsNotAnError() throws Exception {
        synced(new FlaggedHarness.Seed()
                .person("gone@exemple.fr", "Gil", "Absent", "client", DELETION)
                .person("arch@exemple.fr", "Ana", "Archivee", "client", DELETION)
                .member("arch@exemple.fr", "archived", "Ana", "Archivee"));

        assertThat(h.flagged("delete", "--confirm", "--all")).isZero();

        assertThat(h.person("gone@exemple.fr")).isNull();
        assertThat(h.person("arch@exemple.fr")).isNull();
        assertThat(h.status("arch@exemple.fr")).isEqualTo("archived");
        assertThat(h.pendingEmails()).isEmpty();
    }

    @Test
    void aContactWhoseTagWasRemovedInCopperIsLeftAlone() throws Exception {
        synced(new FlaggedHarness.Seed().flagged("oops@exemple.fr", "Olga", "Erreur", DELETION));
        long id = h.person("oops@exemple.fr").path("id").asLong();
        try (ApiClients.Standalone api = ApiClients.standalone(h.settings())) {
            api.clients().copper().updateTags(id, List.of("client"));
        }
        assertThat(h.tags("oops@exemple.fr")).containsExactly("client");
        h.sandbox.resetCalls();

        assertThat(h.flagged("delete", "--confirm", "--all")).isZero();

        assertThat(h.writeCalls()).as("%s %s", h.sandbox.calls(), h.out).isZero();
        assertThat(h.person("oops@exemple.fr")).isNotNull();
        assertThat(h.status("oops@exemple.fr")).isEqualTo("subscribed");
        assertThat(h.archiveLines()).isEmpty();
        assertThat(h.pendingEmails()).isEmpty();
        assertThat(h.lastFlaggedReport()).contains("le tag de suppression a été retiré");
    }

    @Test
    void aSyncRunWithFlaggedContactsNeverReadsStdin() throws Exception {
        h = new FlaggedHarness(dir, new FlaggedHarness.Seed()
                .flagged("del1@exemple.fr", "Denis", "Un", DELETION)
                .flagged("del2@exemple.fr", "Denis", "Deux", "REMOVE").build());
        AtomicInteger reads = new AtomicInteger();
        InputStream original = System.in;
        System.setIn(new InputStream() {
            @Override
            public int read() throws IOException {
                reads.incrementAndGet();
                throw new IOException("a sync run must never read the terminal");
            }
        });
        try {
            assertThat(h.sync()).isZero();
        } finally {
            System.setIn(original);
        }
        assertThat(reads).hasValue(0);
        assertThat(h.pendingEmails()).containsExactly("del1@exemple.fr", "del2@exemple.fr");
        assertThat(h.status("del1@exemple.fr")).isEqualTo("subscribed");
    }
}

package io.cmsync.report;

import io.cmsync.sync.Conflict;
import io.cmsync.sync.Direction;
import io.cmsync.sync.Planner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static io.cmsync.report.ReportFixtures.EXAMPLE_START;
import static io.cmsync.report.ReportFixtures.PARIS;
import static io.cmsync.report.ReportFixtures.failed;
import static io.cmsync.report.ReportFixtures.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextReportFormatterTest {

    /** Verbatim from ORIGINAL_TOOL_DOC_FR.md, "Exemple de rapport". */
    private static final String OLD_TOOL_EXAMPLE = """
            ================================================================================
            RAPPORT D'IMPORTATION COPPER ↔ MAILCHIMP
            ================================================================================
            Date: 2025-07-07 14:23:07
            Total d'opérations: 2

            ✅ Succès: 2
            ❌ Erreurs: 0
            📊 Taux de réussite: 100.0%

            DÉTAILS DES OPÉRATIONS:
            --------------------------------------------------
              1. ✅ SUCCÈS | test3@exemple.fr
                 Direction: Mailchimp → Copper
                 Nom: Test3 TEST3

              2. ✅ SUCCÈS | test4@exemple.fr
                 Direction: Mailchimp → Copper
                 Nom: Test4 TEST4
            """;

    private static String fr(RunReport report) {
        return TextReportFormatter.format(report, ReportLanguage.FR, PARIS);
    }

    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\n", -1));
    }

    /** Removes the two additions to the old layout: the Mode line and the statistics section. */
    private static List<String> withoutNewHeaderParts(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean inStats = false;
        for (String line : lines) {
            if (line.equals("STATISTIQUES DÉTAILLÉES:")) {
                inStats = true;
            }
            if (inStats) {
                if (line.isEmpty()) {
                    inStats = false;
                }
                continue;
            }
            if (!line.startsWith("Mode: ")) {
                out.add(line);
            }
        }
        return out;
    }

    @Test
    void reproducesTheOldToolsExampleLayout() {
        String text = fr(ReportFixtures.oldToolExample());

        List<String> expected = lines(OLD_TOOL_EXAMPLE.stripTrailing());
        List<String> actual = withoutNewHeaderParts(lines(text));
        assertThat(actual.subList(0, expected.size())).containsExactlyElementsOf(expected);
        // the additions sit where expected
        assertThat(lines(text).subList(3, 6))
                .containsExactly("Date: 2025-07-07 14:23:07", "Mode: TEST", "Total d'opérations: 2");
        assertThat(text).contains("""
                📊 Taux de réussite: 100.0%

                STATISTIQUES DÉTAILLÉES:
                --------------------------------------------------
                  Copper → Mailchimp: 0
                  Mailchimp → Copper: 2
                  Contacts identiques ignorés: 0
                  Contacts exclus: 0
                  Contacts marqués pour suppression: 0
                """);
    }

    @Test
    void rulesAreEightyEqualsAndFiftyDashes() {
        List<String> lines = lines(fr(ReportFixtures.oldToolExample()));
        assertThat(lines.get(0)).hasSize(80).matches("=+");
        assertThat(lines.get(2)).isEqualTo(lines.get(0));
        int ops = lines.indexOf("DÉTAILS DES OPÉRATIONS:");
        assertThat(lines.get(ops + 1)).hasSize(50).matches("-+");
    }

    @Test
    void productionAndDryRunModes() {
        RunReport prod = RunReport.builder("r", EXAMPLE_START).testMode(false)
                .operation(ok("a@b.fr", Direction.COPPER_TO_MAILCHIMP, "A B")).build();
        assertThat(lines(fr(prod))).contains("Mode: PRODUCTION");

        RunReport dry = RunReport.builder("r", EXAMPLE_START).testMode(true).dryRun(true)
                .operation(ok("a@b.fr", Direction.COPPER_TO_MAILCHIMP, "A B")).build();
        String text = fr(dry);
        assertThat(lines(text)).contains("Mode: TEST (simulation, aucune écriture)");
        // the exact command, and no --dry-run advice in words: the reader pastes it
        assertThat(text).contains("  - Simulation: pour appliquer l'opération prévue, lancez: "
                + "java -jar target/copper-mailchimp-sync.jar --once\n");
        assertThat(text).contains("  1. 📋 PRÉVU | a@b.fr\n").doesNotContain("✅", "SUCCÈS");
    }

    @Test
    void errorsAreCountedNumberedAndExplained() {
        RunReport report = RunReport.builder("r", EXAMPLE_START).testMode(true)
                .operation(ok("a@exemple.fr", Direction.COPPER_TO_MAILCHIMP, "Ann A"))
                .operation(failed("b@exemple.fr", Direction.COPPER_TO_MAILCHIMP, "Bob B",
                        "HTTP 400: Member Exists\nsecond line"))
                .operation(ok("c@exemple.fr", Direction.MAILCHIMP_TO_COPPER, "Cy C"))
                .generatedFile("reports/sync_log_2025-07-07_14-23-07.txt")
                .build();

        String text = fr(report);

        assertThat(text).contains("""
                Total d'opérations: 3

                ✅ Succès: 2
                ❌ Erreurs: 1
                📊 Taux de réussite: 66.7%
                """);
        assertThat(text).contains("  Copper → Mailchimp: 1 (+1 en erreur)\n  Mailchimp → Copper: 1\n");
        assertThat(text).contains("""
                  2. ❌ ERREUR | b@exemple.fr
                     Direction: Copper → Mailchimp
                     Nom: Bob B
                     Erreur: écriture dans Mailchimp en échec — détail: HTTP 400: Member Exists second line

                  3. ✅ SUCCÈS | c@exemple.fr
                """);
        assertThat(text).contains("ACTIONS RECOMMANDÉES:\n" + "-".repeat(50) + "\n"
                + "  - Consultez le journal reports/sync_log_2025-07-07_14-23-07.txt pour la raison de l'erreur\n");
    }

    @Test
    void successRateHasOneDecimalWithADot() {
        assertThat(TextReportFormatter.formatRate(200.0 / 3)).isEqualTo("66.7");
        assertThat(TextReportFormatter.formatRate(100.0 / 3)).isEqualTo("33.3");
        assertThat(TextReportFormatter.formatRate(0)).isEqualTo("0.0");
        assertThat(TextReportFormatter.formatRate(100)).isEqualTo("100.0");
    }

    @Test
    void tagsAndResubscribeLinkOnlyWhereThereAreSome() {
        RunReport report = RunReport.builder("r", EXAMPLE_START)
                .operation(OperationOutcome.success("a@exemple.fr", Direction.COPPER_TO_MAILCHIMP,
                        OperationOutcome.UPDATE, "Ann A", List.of("VIP", "Salon")))
                .operation(new OperationOutcome("b@exemple.fr", Direction.COPPER_TO_MAILCHIMP,
                        OperationOutcome.CREATE, true, "Bob B", List.of(), null, "https://link/b"))
                .build();
        String text = fr(report);
        assertThat(text).contains("""
                  1. ✅ SUCCÈS | a@exemple.fr
                     Direction: Copper → Mailchimp
                     Nom: Ann A
                     Tags synchronisés: VIP, Salon

                  2. ✅ SUCCÈS | b@exemple.fr
                     Direction: Copper → Mailchimp
                     Nom: Bob B
                     Lien de réinscription: https://link/b

                """);
        assertThat(text).containsOnlyOnce("Tags synchronisés:");
        assertThat(text).doesNotContain("Erreur:");
    }

    @Test
    void nothingToSyncSaysSoInsteadOfTheOperations() {
        RunReport report = RunReport.builder("r", EXAMPLE_START).testMode(true).identicalSkipped(12).build();
        String text = fr(report);

        assertThat(text).contains("Total d'opérations: 0\n");
        assertThat(text).contains("📊 Taux de réussite: 100.0%\n");
        assertThat(text).contains("  Contacts identiques ignorés: 12\n");
        assertThat(lines(text)).contains("ℹ️ Aucune synchronisation nécessaire - tous les contacts sont à jour");
        assertThat(text).doesNotContain("DÉTAILS DES OPÉRATIONS:");
        assertThat(text).contains("ACTIONS RECOMMANDÉES:\n" + "-".repeat(50) + "\n  - Aucune action requise\n");
        assertThat(text).doesNotContain("FICHIERS GÉNÉRÉS:");
    }

    @Test
    void everyOptionalSectionWithItsContent() {
        String text = fr(ReportFixtures.everything());
        String rule = "-".repeat(50);

        assertThat(text).contains("CONTACTS MARQUÉS POUR SUPPRESSION:\n" + rule + "\n"
                + "  1. del@exemple.fr\n"
                + "     Nom: Dan Elie\n"
                + "     Tag détecté: 🗑️ À SUPPRIMER\n\n");
        assertThat(text).contains("EMAILS SUPPRIMÉS DÉFINITIVEMENT / EN ATTENTE DE RÉINSCRIPTION:\n" + rule + "\n"
                + "  1. gone@exemple.fr\n"
                + "     Nom: Gon Zalez\n"
                + "     Lien de réinscription: https://exemple.us1.list-manage.com/subscribe?EMAIL=gone%40exemple.fr\n"
                + "     Copper: personne étiquetée « Réinscription requise »\n"
                + "     Statut: nouveau, détecté lors de cette exécution\n\n");
        assertThat(text).contains("RÉINSCRITS (tag retiré):\n" + rule + "\n"
                + "  1. back@exemple.fr\n"
                + "     Copper: étiquette « Réinscription requise » retirée\n\n");
        assertThat(text).contains("CONFLITS:\n" + rule + "\n"
                + "  1. eve@exemple.fr\n"
                + "     Champ: Prénom\n"
                + "     Valeur Copper: Eve\n"
                + "     Valeur Mailchimp: Eva\n"
                + "     Valeur retenue: Mailchimp\n\n");
        assertThat(text).contains("CONTACTS NON SYNCHRONISÉS (À CORRIGER):\n" + rule + "\n"
                + "  1. (sans e-mail)\n"
                + "     À corriger dans: Copper\n"
                + "     Personne Copper sans identifiant\n"
                + "     Pas de lien direct: cherchez le numéro ou l'e-mail dans Copper\n"
                + "     Raison: personne sans e-mail\n\n"
                + "  2. dup@exemple.fr\n"
                + "     À corriger dans: Copper\n"
                + "     Personne Copper sans identifiant\n"
                + "     Pas de lien direct: cherchez le numéro ou l'e-mail dans Copper\n"
                + "     Raison: e-mail en double (2 personnes)\n\n");
        assertThat(text).contains("CONTACTS EXCLUS:\n" + rule + "\n"
                + "  1. ina@exemple.fr\n"
                + "     Côté: Copper\n"
                + "     Raison: tag 📥 INACTIF\n\n");
        assertThat(text).contains("FICHIERS GÉNÉRÉS:\n" + rule + "\n"
                + "  - reports/sync_log_2025-07-07_14-23-07.txt\n"
                + "  - reports/import_report_2025-07-07_14-23-07.txt\n");
        assertThat(text).endsWith("import_report_2025-07-07_14-23-07.txt\n");
        assertThat(text).contains("  Durée: 1 min 23 s\n", "  Identifiant d'exécution: run-42\n",
                "  En attente de réinscription: 1 (dont 1 nouveau)\n");
    }

    @Test
    void sectionsComeInTheDocumentedOrder() {
        String text = fr(ReportFixtures.everything());
        List<String> headings = List.of("STATISTIQUES DÉTAILLÉES:", "DÉTAILS DES OPÉRATIONS:",
                "CONTACTS MARQUÉS POUR SUPPRESSION:",
                "EMAILS SUPPRIMÉS DÉFINITIVEMENT / EN ATTENTE DE RÉINSCRIPTION:", "RÉINSCRITS (tag retiré):",
                "CONFLITS:", "CONTACTS NON SYNCHRONISÉS (À CORRIGER):", "CONTACTS EXCLUS:", "ACTIONS RECOMMANDÉES:",
                "FICHIERS GÉNÉRÉS:");
        List<Integer> positions = headings.stream().map(h -> lines(text).indexOf(h)).toList();
        assertThat(positions).doesNotContain(-1).isSorted();
    }

    /** One optional section each: present when it has entries, absent otherwise. */
    enum Optional {
        FLAGGED("CONTACTS MARQUÉS POUR SUPPRESSION:",
                b -> b.flagged(new FlaggedEntry("x@exemple.fr", "X Y", "🗑️ À SUPPRIMER"))),
        FORGOTTEN("EMAILS SUPPRIMÉS DÉFINITIVEMENT / EN ATTENTE DE RÉINSCRIPTION:",
                b -> b.forgotten(new ForgottenEntry("x@exemple.fr", "X Y", "https://l", false))),
        RESUBSCRIBED("RÉINSCRITS (tag retiré):", b -> b.resubscribed(new ResubscribedEntry("x@exemple.fr"))),
        CONFLICTS("CONFLITS:", b -> b.conflict(new Conflict("x@exemple.fr", "tags", "a", "b", "copper"))),
        NOT_SYNCED("CONTACTS NON SYNCHRONISÉS (À CORRIGER):",
                b -> b.notSynced(new NotSyncedEntry("x@", "Copper", "e-mail invalide"))),
        EXCLUDED("CONTACTS EXCLUS:", b -> b.excluded(new ExcludedEntry("x@exemple.fr", "Mailchimp", "cleaned"))),
        FILES("FICHIERS GÉNÉRÉS:", b -> b.generatedFile("reports/x.txt"));

        final String heading;
        final UnaryOperator<RunReport.Builder> fill;

        Optional(String heading, UnaryOperator<RunReport.Builder> fill) {
            this.heading = heading;
            this.fill = fill;
        }
    }

    @ParameterizedTest
    @EnumSource(Optional.class)
    void optionalSectionAppearsOnlyWhenNonEmpty(Optional section) {
        RunReport empty = RunReport.builder("r", EXAMPLE_START)
                .operation(ok("a@exemple.fr", Direction.COPPER_TO_MAILCHIMP, "A B")).build();
        RunReport.Builder builder = RunReport.builder("r", EXAMPLE_START)
                .operation(ok("a@exemple.fr", Direction.COPPER_TO_MAILCHIMP, "A B"));
        RunReport filled = section.fill.apply(builder).build();

        assertThat(lines(fr(empty))).doesNotContain(section.heading);
        assertThat(lines(fr(filled))).containsOnlyOnce(section.heading);
        // every other optional heading stays absent
        for (Optional other : Optional.values()) {
            if (other != section) {
                assertThat(lines(fr(filled))).doesNotContain(other.heading);
            }
        }
    }

    @Test
    void recommendedActionsFollowTheContent() {
        String text = fr(ReportFixtures.everything());
        String actions = text.substring(text.indexOf("ACTIONS RECOMMANDÉES:"), text.indexOf("FICHIERS GÉNÉRÉS:"));
        List<String> items = lines(actions).stream().filter(l -> l.startsWith("  - ")).toList();

        assertThat(items).hasSize(5);
        assertThat(items.get(0)).contains("reports/sync_log_2025-07-07_14-23-07.txt", "chacune des 2 erreurs");
        assertThat(items.get(1)).contains("Corrigez dans Copper les 2 personnes listées");
        assertThat(items.get(2)).contains("autre moyen que l'e-mail", "Réinscription requise");
        assertThat(items.get(3)).contains("java -jar target/copper-mailchimp-sync.jar flagged list");
        assertThat(items.get(4)).contains("Vérifiez le conflit:");
        assertThat(actions).doesNotContain("(s)");
        assertThat(actions).doesNotContain("Aucune action requise");
    }

    @Test
    void longSectionsAreCappedAndPointToTheJson() {
        RunReport.Builder b = RunReport.builder("r", EXAMPLE_START);
        for (int i = 0; i < 5; i++) {
            b.excluded(new ExcludedEntry("u" + i + "@exemple.fr", "Mailchimp", "statut unsubscribed"));
        }
        String text = TextReportFormatter.format(b.build(), ReportLanguage.FR, PARIS, 3);
        assertThat(text).contains("  3. u2@exemple.fr").doesNotContain("u3@exemple.fr");
        assertThat(text).contains("  … et 2 autres: voir le rapport JSON\n");
        assertThat(text).contains("  Contacts exclus: 5\n");
        assertThatThrownBy(() -> TextReportFormatter.format(b.build(), ReportLanguage.FR, PARIS, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dateIsShownInTheGivenZone() {
        String utc = TextReportFormatter.format(ReportFixtures.oldToolExample(), ReportLanguage.FR,
                java.time.ZoneOffset.UTC);
        assertThat(lines(utc)).contains("Date: 2025-07-07 12:23:07");
    }

    @Test
    void englishVariant() {
        String text = TextReportFormatter.format(ReportFixtures.everything(), ReportLanguage.EN, PARIS);
        List<String> lines = lines(text);

        assertThat(lines.subList(0, 10)).containsExactly(
                "=".repeat(80),
                "COPPER ↔ MAILCHIMP IMPORT REPORT",
                "=".repeat(80),
                "Date: 2025-07-07 14:23:07",
                "Mode: PRODUCTION",
                "Total operations: 3",
                "",
                "✅ Success: 1",
                "❌ Errors: 2",
                "📊 Success rate: 33.3%");
        assertThat(lines).contains("DETAILED STATISTICS:", "OPERATION DETAILS:", "CONTACTS FLAGGED FOR DELETION:",
                "PERMANENTLY DELETED E-MAILS / AWAITING RESUBSCRIPTION:", "RESUBSCRIBED (tag removed):",
                "CONFLICTS:", "CONTACTS NOT SYNCED (TO FIX):", "EXCLUDED CONTACTS:", "RECOMMENDED ACTIONS:",
                "GENERATED FILES:");
        assertThat(text).contains("  1. ✅ SUCCESS | anne@exemple.fr\n     Direction: Copper → Mailchimp\n"
                + "     Name: Anne Martin\n     Tags synced: VIP, Salon 2025\n");
        assertThat(text).contains("  2. ❌ ERROR | bob@exemple.fr", "     Error: write to Copper failed — detail: HTTP 422: Invalid Resource",
                "     Detected tag: 🗑️ À SUPPRIMER", "  1. (no e-mail)", "     Field: First name",
                "     Kept: Mailchimp");
        // no French wording leaks into the English report (tag names and data excepted)
        assertThat(text).doesNotContain("Succès", "Erreur", "Nom:", "DÉTAILS", "Aucune", "Côté");

        RunReport nothing = RunReport.builder("r", EXAMPLE_START).build();
        assertThat(TextReportFormatter.format(nothing, ReportLanguage.EN, PARIS))
                .contains("ℹ️ No synchronisation needed - all contacts are up to date\n")
                .contains("  - No action required\n");
    }

    @Test
    void frenchIsTheDefaultWhenNoLanguageIsGiven() {
        assertThat(TextReportFormatter.format(ReportFixtures.oldToolExample(), null, PARIS))
                .isEqualTo(fr(ReportFixtures.oldToolExample()));
    }

    @Test
    void everyLineEndsWithANewlineAndHasNoTrailingSpaces() {
        String text = fr(ReportFixtures.everything());
        assertThat(text).endsWith("\n").doesNotContain("\r");
        assertThat(lines(text).stream().filter(l -> !l.equals(l.stripTrailing())).collect(Collectors.toList()))
                .isEmpty();
    }

    @Test
    void anAbortedRunNeverShowsASuccessRate() {
        String text = fr(RunReport.builder("run-x", ReportFixtures.EXAMPLE_START)
                .abortedReason("Mailchimp a refusé les identifiants (HTTP 401)").build());
        assertThat(text).contains("Taux de réussite: non calculé (synchronisation interrompue)")
                .doesNotContain("100.0%", "✅", "📊");
    }

    @Test
    void aPlanThatWroteNothingShowsPlannedOperationsNotSuccesses() {
        String text = fr(RunReport.builder("run-y", ReportFixtures.EXAMPLE_START).dryRun(true)
                .operation(ReportFixtures.ok("new@exemple.fr", Direction.COPPER_TO_MAILCHIMP, "New Person"))
                .build());
        assertThat(text).contains("📋 1 opération prévue: rien n'a été écrit")
                .doesNotContain("✅ Succès:", "Taux de réussite", "100.0%");
    }

    // ---- issue 14: reports that can be acted on

    @Test
    void everyFixItEntrySaysWhereToFixItWithTheRecordsIdAndDuplicatesAreOneGroup() {
        RunReport report = RunReport.builder("r", EXAMPLE_START)
                .notSynced(new NotSyncedEntry("nathalie@exemple.fr", "copper", Planner.REASON_DUPLICATE_COPPER, "101"))
                .notSynced(new NotSyncedEntry("nathalie@exemple.fr", "copper", Planner.REASON_DUPLICATE_COPPER, "102"))
                .notSynced(new NotSyncedEntry("anonyme@exemple.fr", "mailchimp", Planner.REASON_NO_NAME, "a1b2c3"))
                .notSynced(new NotSyncedEntry("test3@exemple.com", "mailchimp", Planner.REASON_NO_NAME, "d4e5f6"))
                .build();
        String text = fr(report);
        String rule = "-".repeat(50);

        assertThat(text).contains("CONTACTS NON SYNCHRONISÉS (À CORRIGER):\n" + rule + "\n"
                + "  1. nathalie@exemple.fr\n"
                + "     À corriger dans: Copper\n"
                + "     Personnes Copper n° 101, 102\n"
                + "     Pas de lien direct: cherchez le numéro ou l'e-mail dans Copper\n"
                + "     Raison: adresse e-mail partagée par plusieurs personnes Copper: gardez-en une (fusion ou "
                + "modification de l'e-mail)\n\n"
                + "  2. anonyme@exemple.fr\n"
                + "     À corriger dans: Mailchimp\n"
                + "     Membre Mailchimp anonyme@exemple.fr (identifiant a1b2c3)\n");
        assertThat(text).containsOnlyOnce("nathalie@exemple.fr").contains("  3. test3@exemple.com\n");
        assertThat(text).contains("  Contacts non synchronisés: 4\n");
        // one line per system, each with its own count: 2 in Copper, 2 in Mailchimp
        assertThat(text).contains("  - Corrigez dans Copper les 2 personnes listées sous « CONTACTS NON SYNCHRONISÉS »",
                "  - Corrigez dans Mailchimp les 2 membres listés sous « CONTACTS NON SYNCHRONISÉS »");
        assertThat(text).doesNotContain("(s)");
    }

    @Test
    void aMailchimpMemberArchivedWhileItsCopperPersonIsActiveHasItsOwnSectionAndAdvice() {
        RunReport report = RunReport.builder("r", EXAMPLE_START)
                .excluded(new ExcludedEntry("martine@exemple.fr", "mailchimp", Planner.REASON_ARCHIVED_ACTIVE, "777"))
                .excluded(new ExcludedEntry("alain@exemple.fr", "mailchimp", Planner.REASON_STATUS_PREFIX + "unsubscribed"))
                .build();
        String text = fr(report);

        assertThat(text).contains("MEMBRES ARCHIVÉS DANS MAILCHIMP, ACTIFS DANS COPPER:\n" + "-".repeat(50) + "\n"
                + "  1. martine@exemple.fr\n"
                + "     Mailchimp: membre archivé (il ne reçoit plus vos e-mails); Copper: personne active\n"
                + "     Personne Copper n° 777\n");
        assertThat(text).contains("  Membres archivés dans Mailchimp, actifs dans Copper: 1\n", "  Contacts exclus: 1\n");
        assertThat(text).contains("  - Pour le membre archivé: s'il doit recevoir vos e-mails, désarchivez-le dans "
                + "Mailchimp; sinon, mettez le tag « 📥 INACTIF » sur la personne Copper\n");
        // Mailchimp's status in words, in French
        assertThat(text).contains("     Raison: statut Mailchimp: désabonné\n").doesNotContain("unsubscribed");
        String excluded = text.substring(text.indexOf("CONTACTS EXCLUS:"));
        assertThat(excluded).doesNotContain("martine@exemple.fr");
        assertThat(TextReportFormatter.format(report, ReportLanguage.EN, PARIS))
                .contains("MEMBERS ARCHIVED IN MAILCHIMP, ACTIVE IN COPPER:", "Reason: Mailchimp status: unsubscribed",
                        "Copper person #777");
    }

    @Test
    void aBlockedPlanComesFirstWithTheCommandToRunAndNoSuccess() {
        RunReport report = RunReport.builder("r", EXAMPLE_START).testMode(false).dryRun(true)
                .operation(ok("a@exemple.fr", Direction.COPPER_TO_MAILCHIMP, "A B"))
                .generatedFile("reports/sync_log_2025-07-07_14-23-07.txt").build();
        ReportContext context = new ReportContext("première synchronisation en PRODUCTION: 1 création", null,
                "config/application.properties", Commands.REAL);
        String text = TextReportFormatter.format(report, ReportLanguage.FR, PARIS, 100, context);
        List<String> lines = lines(text);

        assertThat(lines).contains("Mode: PRODUCTION (plan bloqué, aucune écriture)",
                "  Pour l'exécuter tel quel, lancez: java -jar target/copper-mailchimp-sync.jar --once --confirm-plan");
        int blocked = lines.indexOf("⚠️ PLAN BLOQUÉ PAR LE FREIN DE SÉCURITÉ");
        assertThat(blocked).isPositive().isLessThan(lines.indexOf("STATISTIQUES DÉTAILLÉES:"));
        assertThat(lines.indexOf("FICHIERS GÉNÉRÉS:")).isGreaterThan(blocked);
        assertThat(text).doesNotContain("--dry-run", "✅", "100.0%", "SUCCÈS");
        assertThat(text).contains("  1. 📋 PRÉVU | a@exemple.fr\n", "  Copper → Mailchimp: 1 prévue\n");
        String actions = text.substring(text.indexOf("ACTIONS RECOMMANDÉES:"));
        assertThat(lines(actions).get(2)).isEqualTo("  - Vérifiez le plan bloqué (en tête du rapport), puis lancez: "
                + "java -jar target/copper-mailchimp-sync.jar --once --confirm-plan");
    }

    @Test
    void pluralsAreWordsNotParentheses() {
        RunReport one = RunReport.builder("r", EXAMPLE_START)
                .forgotten(new ForgottenEntry("g@exemple.fr", "G H", "https://l", true))
                .flagged(new FlaggedEntry("x@exemple.fr", "X Y", "🗑️ À SUPPRIMER"))
                .build();
        String text = fr(one);
        assertThat(text).contains("Envoyez le lien de réinscription au contact en attente",
                "Traitez le contact marqué pour suppression", "(dont 1 nouveau)");
        assertThat(text).doesNotContain("(s)", "(x)", "aux 1", "les 1");
        RunReport two = RunReport.builder("r", EXAMPLE_START)
                .flagged(new FlaggedEntry("x@exemple.fr", "X Y", "🗑️ À SUPPRIMER"))
                .flagged(new FlaggedEntry("z@exemple.fr", "Z Y", "🗑️ À SUPPRIMER")).build();
        assertThat(fr(two)).contains("Traitez les 2 contacts marqués pour suppression");
        assertThat(TextReportFormatter.format(one, ReportLanguage.EN, PARIS))
                .contains("Send the resubscribe link to the waiting contact", "Handle the contact flagged");
    }
}

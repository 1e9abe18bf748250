package io.cmsync.report;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every piece of report and run-log wording, one table per language. Templates use {@link String#format}
 * placeholders and are formatted with {@link Locale#ROOT} (dot as decimal separator, as in the old tool's
 * {@code 100.0%}). Adding a key without wording it in every language fails at class initialisation.
 */
public final class ReportMessages {

    /** Message keys. */
    public enum Key {
        TITLE, DATE, MODE, MODE_TEST, MODE_PRODUCTION, DRY_RUN_SUFFIX, TOTAL, SUCCESS_COUNT, ERROR_COUNT, PLANNED_COUNT,
        RATE_NOT_CALCULATED,
        SUCCESS_RATE,
        STATS_HEADING, STAT_DIRECTION, STAT_DIRECTION_ERRORS, STAT_IDENTICAL, STAT_EXCLUDED, STAT_FLAGGED,
        STAT_NOT_SYNCED, STAT_FORGOTTEN, STAT_RESUBSCRIBED, STAT_CONFLICTS, STAT_DURATION, STAT_RUN_ID,
        OPS_HEADING, OP_SUCCESS, OP_ERROR, DIRECTION, NAME, NO_NAME, NO_EMAIL, TAGS_SYNCED, ERROR, UNKNOWN_ERROR,
        RESUBSCRIBE_LINK, NO_RESUBSCRIBE_LINK, NOTHING_TO_SYNC, ABORTED, ACTION_FIX_ABORT_CAUSE,
        FLAGGED_HEADING, DETECTED_TAG,
        FORGOTTEN_HEADING, COPPER_TAG, FORGOTTEN_NEW, FORGOTTEN_KNOWN,
        RESUBSCRIBED_HEADING, RESUBSCRIBED_DETAIL,
        CONFLICTS_HEADING, FIELD, COPPER_VALUE, MAILCHIMP_VALUE, KEPT, EMPTY_VALUE,
        FIELD_FIRST_NAME, FIELD_LAST_NAME, FIELD_TAGS, FIELD_EMAIL,
        NOT_SYNCED_HEADING, SIDE, REASON,
        EXCLUDED_HEADING,
        MORE_ENTRIES, MORE_UNLISTED, OPS_UNLISTED,
        ACTIONS_HEADING, ACTION_CHECK_ERRORS, ACTION_FIX_NOT_SYNCED, ACTION_SEND_RESUBSCRIBE_LINKS,
        ACTION_REVIEW_FLAGGED, ACTION_REVIEW_CONFLICTS, ACTION_APPLY_DRY_RUN, ACTION_NONE,
        FILES_HEADING,
        LOG_TIMING
    }

    private static final Map<Key, String> FR = table(ReportLanguage.FR, Map.ofEntries(
            Map.entry(Key.TITLE, "RAPPORT D'IMPORTATION COPPER ↔ MAILCHIMP"),
            Map.entry(Key.DATE, "Date: %s"),
            Map.entry(Key.MODE, "Mode: %s"),
            Map.entry(Key.MODE_TEST, "TEST"),
            Map.entry(Key.MODE_PRODUCTION, "PRODUCTION"),
            Map.entry(Key.DRY_RUN_SUFFIX, " (simulation, aucune écriture)"),
            Map.entry(Key.TOTAL, "Total d'opérations: %d"),
            Map.entry(Key.SUCCESS_COUNT, "✅ Succès: %d"),
            Map.entry(Key.ERROR_COUNT, "❌ Erreurs: %d"),
            Map.entry(Key.SUCCESS_RATE, "📊 Taux de réussite: %s%%"),
            Map.entry(Key.PLANNED_COUNT, "📋 Opérations prévues: %d (rien n'a été écrit)"),
            Map.entry(Key.RATE_NOT_CALCULATED, "📊 Taux de réussite: non calculé (synchronisation interrompue)"),
            Map.entry(Key.STATS_HEADING, "STATISTIQUES DÉTAILLÉES:"),
            Map.entry(Key.STAT_DIRECTION, "%s: %d"),
            Map.entry(Key.STAT_DIRECTION_ERRORS, " (+%d en erreur)"),
            Map.entry(Key.STAT_IDENTICAL, "Contacts identiques ignorés: %d"),
            Map.entry(Key.STAT_EXCLUDED, "Contacts exclus: %d"),
            Map.entry(Key.STAT_FLAGGED, "Contacts marqués pour suppression: %d"),
            Map.entry(Key.STAT_NOT_SYNCED, "Contacts non synchronisés: %d"),
            Map.entry(Key.STAT_FORGOTTEN, "En attente de réinscription: %d (dont %d nouveau(x))"),
            Map.entry(Key.STAT_RESUBSCRIBED, "Réinscrits: %d"),
            Map.entry(Key.STAT_CONFLICTS, "Conflits: %d"),
            Map.entry(Key.STAT_DURATION, "Durée: %s"),
            Map.entry(Key.STAT_RUN_ID, "Identifiant d'exécution: %s"),
            Map.entry(Key.OPS_HEADING, "DÉTAILS DES OPÉRATIONS:"),
            Map.entry(Key.OP_SUCCESS, "✅ SUCCÈS"),
            Map.entry(Key.OP_ERROR, "❌ ERREUR"),
            Map.entry(Key.DIRECTION, "Direction: %s"),
            Map.entry(Key.NAME, "Nom: %s"),
            Map.entry(Key.NO_NAME, "(sans nom)"),
            Map.entry(Key.NO_EMAIL, "(sans e-mail)"),
            Map.entry(Key.TAGS_SYNCED, "Tags synchronisés: %s"),
            Map.entry(Key.ERROR, "Erreur: %s"),
            Map.entry(Key.UNKNOWN_ERROR, "cause inconnue"),
            Map.entry(Key.RESUBSCRIBE_LINK, "Lien de réinscription: %s"),
            Map.entry(Key.NO_RESUBSCRIBE_LINK, "(indisponible)"),
            Map.entry(Key.NOTHING_TO_SYNC, "ℹ️ Aucune synchronisation nécessaire - tous les contacts sont à jour"),
            Map.entry(Key.ABORTED, "❌ SYNCHRONISATION INTERROMPUE: %s"),
            Map.entry(Key.ACTION_FIX_ABORT_CAUSE,
                    "Corrigez la cause de l'interruption indiquée en tête du rapport, puis relancez la synchronisation"),
            Map.entry(Key.FLAGGED_HEADING, "CONTACTS MARQUÉS POUR SUPPRESSION:"),
            Map.entry(Key.DETECTED_TAG, "Tag détecté: %s"),
            Map.entry(Key.FORGOTTEN_HEADING, "EMAILS SUPPRIMÉS DÉFINITIVEMENT / EN ATTENTE DE RÉINSCRIPTION:"),
            Map.entry(Key.COPPER_TAG, "Copper: personne étiquetée « %s »"),
            Map.entry(Key.FORGOTTEN_NEW, "Statut: nouveau, détecté lors de cette exécution"),
            Map.entry(Key.FORGOTTEN_KNOWN, "Statut: déjà signalé, toujours en attente de réinscription"),
            Map.entry(Key.RESUBSCRIBED_HEADING, "RÉINSCRITS (tag retiré):"),
            Map.entry(Key.RESUBSCRIBED_DETAIL, "Copper: étiquette « %s » retirée"),
            Map.entry(Key.CONFLICTS_HEADING, "CONFLITS:"),
            Map.entry(Key.FIELD, "Champ: %s"),
            Map.entry(Key.COPPER_VALUE, "Valeur Copper: %s"),
            Map.entry(Key.MAILCHIMP_VALUE, "Valeur Mailchimp: %s"),
            Map.entry(Key.KEPT, "Valeur retenue: %s"),
            Map.entry(Key.EMPTY_VALUE, "(vide)"),
            Map.entry(Key.FIELD_FIRST_NAME, "Prénom"),
            Map.entry(Key.FIELD_LAST_NAME, "Nom"),
            Map.entry(Key.FIELD_TAGS, "Tags"),
            Map.entry(Key.FIELD_EMAIL, "E-mail"),
            Map.entry(Key.NOT_SYNCED_HEADING, "CONTACTS NON SYNCHRONISÉS:"),
            Map.entry(Key.SIDE, "Côté: %s"),
            Map.entry(Key.REASON, "Raison: %s"),
            Map.entry(Key.EXCLUDED_HEADING, "CONTACTS EXCLUS:"),
            Map.entry(Key.MORE_ENTRIES, "… et %d autre(s) : voir le rapport JSON"),
            Map.entry(Key.MORE_UNLISTED,
                    "… et %d autre(s), comptée(s) mais non détaillée(s) (réglage report.max-detailed-entries)"),
            Map.entry(Key.OPS_UNLISTED, "… et %d autre(s) opération(s), comptée(s) ci-dessus mais non détaillée(s) "
                    + "ici (réglage report.max-detailed-entries) : chacune a sa ligne dans le journal %s"),
            Map.entry(Key.ACTIONS_HEADING, "ACTIONS RECOMMANDÉES:"),
            Map.entry(Key.ACTION_CHECK_ERRORS,
                    "Consultez le journal %s pour la raison de chacune des %d erreur(s)"),
            Map.entry(Key.ACTION_FIX_NOT_SYNCED,
                    "Corrigez dans Copper l'e-mail (invalide, en double ou manquant) ou le nom des %d contact(s)"
                            + " non synchronisé(s)"),
            Map.entry(Key.ACTION_SEND_RESUBSCRIBE_LINKS,
                    "Envoyez le lien de réinscription aux %d contact(s) en attente par un autre moyen que"
                            + " l'e-mail (filtre Copper : étiquette « %s »)"),
            Map.entry(Key.ACTION_REVIEW_FLAGGED,
                    "Traitez les %d contact(s) marqué(s) pour suppression : %s"),
            Map.entry(Key.ACTION_REVIEW_CONFLICTS,
                    "Vérifiez les %d conflit(s) : la modification la plus récente a été retenue"),
            Map.entry(Key.ACTION_APPLY_DRY_RUN,
                    "Simulation : relancez sans --dry-run pour appliquer les %d opération(s)"),
            Map.entry(Key.ACTION_NONE, "Aucune action requise"),
            Map.entry(Key.FILES_HEADING, "FICHIERS GÉNÉRÉS:"),
            Map.entry(Key.LOG_TIMING, "Durée - %s: %s")));

    private static final Map<Key, String> EN = table(ReportLanguage.EN, Map.ofEntries(
            Map.entry(Key.TITLE, "COPPER ↔ MAILCHIMP IMPORT REPORT"),
            Map.entry(Key.DATE, "Date: %s"),
            Map.entry(Key.MODE, "Mode: %s"),
            Map.entry(Key.MODE_TEST, "TEST"),
            Map.entry(Key.MODE_PRODUCTION, "PRODUCTION"),
            Map.entry(Key.DRY_RUN_SUFFIX, " (dry run, nothing written)"),
            Map.entry(Key.TOTAL, "Total operations: %d"),
            Map.entry(Key.SUCCESS_COUNT, "✅ Success: %d"),
            Map.entry(Key.ERROR_COUNT, "❌ Errors: %d"),
            Map.entry(Key.SUCCESS_RATE, "📊 Success rate: %s%%"),
            Map.entry(Key.PLANNED_COUNT, "📋 Planned operations: %d (nothing was written)"),
            Map.entry(Key.RATE_NOT_CALCULATED, "📊 Success rate: not calculated (the sync was interrupted)"),
            Map.entry(Key.STATS_HEADING, "DETAILED STATISTICS:"),
            Map.entry(Key.STAT_DIRECTION, "%s: %d"),
            Map.entry(Key.STAT_DIRECTION_ERRORS, " (+%d failed)"),
            Map.entry(Key.STAT_IDENTICAL, "Identical contacts skipped: %d"),
            Map.entry(Key.STAT_EXCLUDED, "Excluded contacts: %d"),
            Map.entry(Key.STAT_FLAGGED, "Contacts flagged for deletion: %d"),
            Map.entry(Key.STAT_NOT_SYNCED, "Contacts not synced: %d"),
            Map.entry(Key.STAT_FORGOTTEN, "Awaiting resubscription: %d (%d new)"),
            Map.entry(Key.STAT_RESUBSCRIBED, "Resubscribed: %d"),
            Map.entry(Key.STAT_CONFLICTS, "Conflicts: %d"),
            Map.entry(Key.STAT_DURATION, "Duration: %s"),
            Map.entry(Key.STAT_RUN_ID, "Run id: %s"),
            Map.entry(Key.OPS_HEADING, "OPERATION DETAILS:"),
            Map.entry(Key.OP_SUCCESS, "✅ SUCCESS"),
            Map.entry(Key.OP_ERROR, "❌ ERROR"),
            Map.entry(Key.DIRECTION, "Direction: %s"),
            Map.entry(Key.NAME, "Name: %s"),
            Map.entry(Key.NO_NAME, "(no name)"),
            Map.entry(Key.NO_EMAIL, "(no e-mail)"),
            Map.entry(Key.TAGS_SYNCED, "Tags synced: %s"),
            Map.entry(Key.ERROR, "Error: %s"),
            Map.entry(Key.UNKNOWN_ERROR, "unknown cause"),
            Map.entry(Key.RESUBSCRIBE_LINK, "Resubscribe link: %s"),
            Map.entry(Key.NO_RESUBSCRIBE_LINK, "(unavailable)"),
            Map.entry(Key.NOTHING_TO_SYNC, "ℹ️ No synchronisation needed - all contacts are up to date"),
            Map.entry(Key.ABORTED, "❌ SYNCHRONISATION STOPPED: %s"),
            Map.entry(Key.ACTION_FIX_ABORT_CAUSE, "Fix the cause named at the top of this report, then run the sync again"),
            Map.entry(Key.FLAGGED_HEADING, "CONTACTS FLAGGED FOR DELETION:"),
            Map.entry(Key.DETECTED_TAG, "Detected tag: %s"),
            Map.entry(Key.FORGOTTEN_HEADING, "PERMANENTLY DELETED E-MAILS / AWAITING RESUBSCRIPTION:"),
            Map.entry(Key.COPPER_TAG, "Copper: person tagged \"%s\""),
            Map.entry(Key.FORGOTTEN_NEW, "Status: new, detected in this run"),
            Map.entry(Key.FORGOTTEN_KNOWN, "Status: already reported, still awaiting resubscription"),
            Map.entry(Key.RESUBSCRIBED_HEADING, "RESUBSCRIBED (tag removed):"),
            Map.entry(Key.RESUBSCRIBED_DETAIL, "Copper: tag \"%s\" removed"),
            Map.entry(Key.CONFLICTS_HEADING, "CONFLICTS:"),
            Map.entry(Key.FIELD, "Field: %s"),
            Map.entry(Key.COPPER_VALUE, "Copper value: %s"),
            Map.entry(Key.MAILCHIMP_VALUE, "Mailchimp value: %s"),
            Map.entry(Key.KEPT, "Kept: %s"),
            Map.entry(Key.EMPTY_VALUE, "(empty)"),
            Map.entry(Key.FIELD_FIRST_NAME, "First name"),
            Map.entry(Key.FIELD_LAST_NAME, "Last name"),
            Map.entry(Key.FIELD_TAGS, "Tags"),
            Map.entry(Key.FIELD_EMAIL, "E-mail"),
            Map.entry(Key.NOT_SYNCED_HEADING, "CONTACTS NOT SYNCED:"),
            Map.entry(Key.SIDE, "Side: %s"),
            Map.entry(Key.REASON, "Reason: %s"),
            Map.entry(Key.EXCLUDED_HEADING, "EXCLUDED CONTACTS:"),
            Map.entry(Key.MORE_ENTRIES, "… and %d more: see the JSON report"),
            Map.entry(Key.MORE_UNLISTED, "… and %d more, counted but not detailed (setting report.max-detailed-entries)"),
            Map.entry(Key.OPS_UNLISTED, "… and %d more operation(s), counted above but not detailed here (setting "
                    + "report.max-detailed-entries): each one has its line in the log %s"),
            Map.entry(Key.ACTIONS_HEADING, "RECOMMENDED ACTIONS:"),
            Map.entry(Key.ACTION_CHECK_ERRORS, "Read the log %s for the reason of each of the %d error(s)"),
            Map.entry(Key.ACTION_FIX_NOT_SYNCED,
                    "Fix in Copper the e-mail (invalid, duplicate or missing) or the name of the %d contact(s)"
                            + " not synced"),
            Map.entry(Key.ACTION_SEND_RESUBSCRIBE_LINKS,
                    "Send the resubscribe link to the %d waiting contact(s) by another channel than e-mail"
                            + " (Copper filter: tag \"%s\")"),
            Map.entry(Key.ACTION_REVIEW_FLAGGED, "Handle the %d contact(s) flagged for deletion: %s"),
            Map.entry(Key.ACTION_REVIEW_CONFLICTS,
                    "Check the %d conflict(s): the most recent change was kept"),
            Map.entry(Key.ACTION_APPLY_DRY_RUN, "Dry run: run again without --dry-run to apply the %d operation(s)"),
            Map.entry(Key.ACTION_NONE, "No action required"),
            Map.entry(Key.FILES_HEADING, "GENERATED FILES:"),
            Map.entry(Key.LOG_TIMING, "Duration - %s: %s")));

    private ReportMessages() {
    }

    private static Map<Key, String> table(ReportLanguage language, Map<Key, String> entries) {
        EnumMap<Key, String> map = new EnumMap<>(entries);
        for (Key key : Key.values()) {
            if (!map.containsKey(key)) {
                throw new IllegalStateException("Report message " + key + " has no " + language + " wording");
            }
        }
        return map;
    }

    /** The raw template of {@code key} in {@code language}. */
    public static String text(ReportLanguage language, Key key) {
        return (language == ReportLanguage.EN ? EN : FR).get(key);
    }

    /** {@code key}'s template in {@code language}, formatted with {@code args} (Locale.ROOT). */
    public static String format(ReportLanguage language, Key key, Object... args) {
        return String.format(Locale.ROOT, text(language, key), args);
    }
}

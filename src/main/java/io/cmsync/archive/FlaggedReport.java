package io.cmsync.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import io.cmsync.archive.FlaggedWorkflow.Decision;
import io.cmsync.archive.FlaggedWorkflow.Result;
import io.cmsync.report.Commands;

/**
 * The report of one {@code flagged archive|delete} command, {@code flagged_report_AAAA-MM-JJ_HH-MM-SS.txt}, in the
 * layout and words of the import report:
 * <pre>
 * ================================================================================
 * RAPPORT DES CONTACTS MARQUÉS POUR SUPPRESSION
 * ================================================================================
 * Date: 2025-07-07 14:23:07
 * Commande: flagged archive
 * Total d'opérations: 2
 *
 * ✅ Succès: 2
 * ❌ Erreurs: 0
 * ⏭️ Ignorés: 0
 * 📊 Taux de réussite: 100.0%
 *
 * DÉTAILS DES OPÉRATIONS:
 * --------------------------------------------------
 *   1. ✅ SUCCÈS | del1@exemple.fr
 *      Action: Archivage
 *      ...
 * </pre>
 */
public final class FlaggedReport {
    public static final String PREFIX = "flagged_report_";
    private static final String HEAVY_RULE = "=".repeat(80);
    private static final String LIGHT_RULE = "-".repeat(50);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss", Locale.ROOT);

    private FlaggedReport() {
    }

    public static String format(String command, String mode, Instant at, ZoneId zone, List<Result> results,
                                Path archiveFile, int stillPending) {
        return format(command, mode, at, zone, results, archiveFile, stillPending, Commands.REAL);
    }

    /** As above, the recommended command written by {@code commands} (with {@code --sandbox} in the sandbox). */
    public static String format(String command, String mode, Instant at, ZoneId zone, List<Result> results,
                                Path archiveFile, int stillPending, Commands commands) {
        long ignored = results.stream().filter(r -> r.decision() == Decision.IGNORE).count();
        List<Result> acted = results.stream().filter(r -> r.decision() != Decision.IGNORE).toList();
        long ok = acted.stream().filter(Result::success).count();
        long errors = acted.size() - ok;
        StringBuilder out = new StringBuilder();
        line(out, HEAVY_RULE);
        line(out, "RAPPORT DES CONTACTS MARQUÉS POUR SUPPRESSION");
        line(out, HEAVY_RULE);
        line(out, "Date: " + DATE.format(at.atZone(zone)));
        line(out, "Mode: " + mode);
        line(out, "Commande: " + command);
        line(out, "Total d'opérations: " + acted.size());
        line(out, "");
        line(out, "✅ Succès: " + ok);
        line(out, "❌ Erreurs: " + errors);
        line(out, "⏭️ Ignorés: " + ignored);
        double rate = acted.isEmpty() ? 100.0 : 100.0 * ok / acted.size();
        line(out, "📊 Taux de réussite: " + String.format(Locale.ROOT, "%.1f", rate) + "%");
        line(out, "");
        line(out, "DÉTAILS DES OPÉRATIONS:");
        line(out, LIGHT_RULE);
        int n = 0;
        for (Result r : results) {
            n++;
            String head = r.decision() == Decision.IGNORE ? "⏭️ IGNORÉ" : r.success() ? "✅ SUCCÈS" : "❌ ERREUR";
            line(out, "  " + n + ". " + head + " | " + r.pending().email());
            detail(out, "Action: " + r.decision().label() + (r.permanent() ? " (définitive dans Mailchimp)" : ""));
            String name = r.pending().displayName();
            detail(out, "Nom: " + (name == null || name.isBlank() ? "(sans nom)" : name));
            detail(out, "Tag détecté: " + r.pending().matchedTag());
            r.steps().forEach(s -> detail(out, s));
            if (!r.success()) {
                detail(out, "Erreur: " + r.error().replaceAll("\\s+", " "));
                detail(out, r.archived() ? "Le contact reste en attente: relancez la commande après correction"
                        : "Rien n'a été modifié; le contact reste en attente");
            }
            line(out, "");
        }
        line(out, "ACTIONS RECOMMANDÉES:");
        line(out, LIGHT_RULE);
        if (errors > 0) {
            line(out, "  • Corrigez les erreurs ci-dessus puis relancez la commande pour les contacts restés en attente");
        }
        if (stillPending > 0) {
            line(out, "  • " + stillPending + " contact(s) encore en attente: " + commands.flaggedList());
        }
        if (errors == 0 && stillPending == 0) {
            line(out, "  • Aucune");
        }
        line(out, "");
        line(out, "FICHIERS GÉNÉRÉS:");
        line(out, LIGHT_RULE);
        line(out, "  • " + archiveFile);
        return out.toString();
    }

    /** Writes the report under {@code dir}, never over an earlier one; returns its path. */
    public static Path write(Path dir, Instant at, ZoneId zone, String text) throws IOException {
        io.cmsync.config.PrivateFiles.directory(dir);
        String stamp = STAMP.format(at.atZone(zone));
        for (int i = 1; ; i++) {
            Path file = dir.resolve(PREFIX + stamp + (i == 1 ? "" : "_" + i) + ".txt");
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                io.cmsync.config.PrivateFiles.file(file);
                return file;
            } catch (FileAlreadyExistsException e) {
                // same second as an earlier command: next suffix
            }
        }
    }

    private static void line(StringBuilder out, String s) {
        out.append(s).append('\n');
    }

    private static void detail(StringBuilder out, String s) {
        out.append("     ").append(s).append('\n');
    }
}

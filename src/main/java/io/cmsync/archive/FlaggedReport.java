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
import io.cmsync.i18n.Messages;
import io.cmsync.report.Commands;

/**
 * The report of one {@code flagged archive|delete} command, {@code flagged_report_AAAA-MM-JJ_HH-MM-SS.txt}, in the
 * layout and words of the import report, in the person's language (catalogue {@code cli.flagged.report.*}):
 * <pre>
 * ================================================================================
 * RAPPORT DES CONTACTS MARQUÉS POUR SUPPRESSION
 * ================================================================================
 * Date : 2025-07-07 14:23:07 (Europe/Paris)
 * Commande : flagged archive
 * Total d'opérations : 2
 *
 * ✅ Succès : 2
 * ❌ Erreurs : 0
 * ⏭️ Ignorés : 0
 * 📊 Taux de réussite : 100.0 %
 *
 * DÉTAILS DES OPÉRATIONS :
 * --------------------------------------------------
 *   1. ✅ SUCCÈS | del1@exemple.fr
 *      Action : Archivage
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
        return format(Messages.of(Messages.Language.FR), command, mode, at, zone, results, archiveFile, stillPending,
                Commands.REAL);
    }

    /**
     * The report in the language of {@code m}; its date in {@code zone}, which is named; the recommended command
     * written by {@code commands} (with {@code --sandbox} in the sandbox).
     */
    public static String format(Messages m, String command, String mode, Instant at, ZoneId zone, List<Result> results,
                                Path archiveFile, int stillPending, Commands commands) {
        long ignored = results.stream().filter(r -> r.decision() == Decision.IGNORE).count();
        List<Result> acted = results.stream().filter(r -> r.decision() != Decision.IGNORE).toList();
        long ok = acted.stream().filter(Result::success).count();
        long errors = acted.size() - ok;
        StringBuilder out = new StringBuilder();
        line(out, HEAVY_RULE);
        line(out, m.get("cli.flagged.report.title"));
        line(out, HEAVY_RULE);
        line(out, m.get("cli.flagged.report.date", DATE.format(at.atZone(zone)), zone.getId()));
        line(out, m.get("cli.flagged.report.mode", mode));
        line(out, m.get("cli.flagged.report.command", command));
        line(out, m.get("cli.flagged.report.total", acted.size()));
        line(out, "");
        line(out, m.get("cli.flagged.report.success", ok));
        line(out, m.get("cli.flagged.report.errors", errors));
        line(out, m.get("cli.flagged.report.ignored", ignored));
        // no 100 % when nothing was done: there was nothing to succeed at
        line(out, acted.isEmpty() ? m.get("cli.flagged.report.rate-none")
                : m.get("cli.flagged.report.rate", String.format(Locale.ROOT, "%.1f", 100.0 * ok / acted.size())));
        line(out, "");
        line(out, m.get("cli.flagged.report.details"));
        line(out, LIGHT_RULE);
        int n = 0;
        for (Result r : results) {
            n++;
            String head = m.get(r.decision() == Decision.IGNORE ? "cli.flagged.report.head-ignored"
                    : r.success() ? "cli.flagged.report.head-success" : "cli.flagged.report.head-error");
            line(out, "  " + n + ". " + head + " | " + r.pending().email());
            String label = m.get("cli.flagged.decision." + r.decision().name().toLowerCase(Locale.ROOT));
            detail(out, m.get(r.permanent() ? "cli.flagged.report.action-permanent" : "cli.flagged.report.action",
                    label));
            String name = r.pending().displayName();
            detail(out, m.get("cli.flagged.report.name", name == null || name.isBlank()
                    ? m.get("cli.flagged.no-name") : name));
            detail(out, m.get("cli.flagged.report.tag", r.pending().matchedTag()));
            r.steps().forEach(s -> detail(out, s));
            if (!r.success()) {
                detail(out, m.get("cli.flagged.report.error", r.error().replaceAll("\\s+", " ")));
                detail(out, m.get(r.archived() ? "cli.flagged.report.still-pending-retry"
                        : "cli.flagged.report.nothing-changed"));
            }
            line(out, "");
        }
        line(out, m.get("cli.flagged.report.actions"));
        line(out, LIGHT_RULE);
        if (errors > 0) {
            line(out, "  • " + m.get("cli.flagged.report.fix-errors"));
        }
        if (stillPending > 0) {
            line(out, "  • " + m.get("cli.flagged.report.still-pending", stillPending, commands.flaggedList()));
        }
        if (errors == 0 && stillPending == 0) {
            line(out, "  • " + m.get("cli.flagged.report.no-action"));
        }
        line(out, "");
        line(out, m.get("cli.flagged.report.files"));
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

package io.cmsync.report;

import io.cmsync.sync.Conflict;
import io.cmsync.sync.Direction;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/** Shared test data. */
final class ReportFixtures {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** 2025-07-07 14:23:07 in Paris, the old tool's example date. */
    static final Instant EXAMPLE_START = LocalDateTime.of(2025, 7, 7, 14, 23, 7).atZone(PARIS).toInstant();

    private ReportFixtures() {
    }

    static OperationOutcome ok(String email, Direction direction, String name) {
        return OperationOutcome.success(email, direction, OperationOutcome.CREATE, name, List.of());
    }

    static OperationOutcome failed(String email, Direction direction, String name, String error) {
        return OperationOutcome.failure(email, direction, OperationOutcome.UPDATE, name, error);
    }

    /** The old tool's example: two successful Mailchimp → Copper creations. */
    static RunReport oldToolExample() {
        return RunReport.builder("run-1", EXAMPLE_START)
                .testMode(true)
                .operation(ok("test3@exemple.fr", Direction.MAILCHIMP_TO_COPPER, "Test3 TEST3"))
                .operation(ok("test4@exemple.fr", Direction.MAILCHIMP_TO_COPPER, "Test4 TEST4"))
                .build();
    }

    /** A report with every section filled. */
    static RunReport everything() {
        return new RunReport("run-42", EXAMPLE_START, EXAMPLE_START.plusSeconds(83), false, false,
                List.of(
                        OperationOutcome.success("anne@exemple.fr", Direction.COPPER_TO_MAILCHIMP,
                                OperationOutcome.UPDATE, "Anne Martin", List.of("VIP", "Salon 2025")),
                        failed("bob@exemple.fr", Direction.MAILCHIMP_TO_COPPER, "Bob Durand",
                                "HTTP 422: Invalid Resource"),
                        failed("carole@exemple.fr", Direction.COPPER_TO_MAILCHIMP, "Carole Petit",
                                "HTTP 503: Service Unavailable")),
                7,
                List.of(new ExcludedEntry("ina@exemple.fr", "Copper", "tag 📥 INACTIF")),
                List.of(new FlaggedEntry("del@exemple.fr", "Dan Elie", "🗑️ À SUPPRIMER")),
                List.of(new NotSyncedEntry("", "Copper", "personne sans e-mail"),
                        new NotSyncedEntry("dup@exemple.fr", "copper", "e-mail en double (2 personnes)")),
                List.of(new Conflict("eve@exemple.fr", "firstName", "Eve", "Eva", "mailchimp")),
                List.of(new ForgottenEntry("gone@exemple.fr", "Gon Zalez",
                        "https://exemple.us1.list-manage.com/subscribe?EMAIL=gone%40exemple.fr", true)),
                List.of(new ResubscribedEntry("back@exemple.fr")),
                List.of("reports/sync_log_2025-07-07_14-23-07.txt", "reports/import_report_2025-07-07_14-23-07.txt"));
    }
}

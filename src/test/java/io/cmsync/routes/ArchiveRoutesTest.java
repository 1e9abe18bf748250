package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.cmsync.report.FlaggedEntry;
import io.cmsync.run.SyncRun;
import io.cmsync.state.StateStore;
import io.cmsync.sync.Action;

/** routes/archive.yaml: archive-channel keeps a contact carrying the deletion tag as pending until someone decides. */
class ArchiveRoutesTest extends RouteTestSupport {
    private static final String DELETION_TAG = "🗑️ À SUPPRIMER";

    @Override
    List<String> routeFiles() {
        return List.of("archive.yaml");
    }

    private static Action.Flagged flagged(String email) {
        return new Action.Flagged(email, copperPerson(email, "Fred", "Flag", DELETION_TAG),
                member(email, "subscribed", "Fred", "Flag"), DELETION_TAG);
    }

    @Test
    void aFlaggedContactIsListedOnTheRunAndRecordedAsPendingInTheSyncedState() {
        startCamel();
        SyncRun run = beginRun();

        sendOk("direct:archive-channel", run, flagged("fred@exemple.fr"));

        assertThat(run.flagged()).containsExactly(new FlaggedEntry("fred@exemple.fr", "Fred Flag", DELETION_TAG));
        assertThat(run.store().pending()).singleElement().satisfies(p -> {
            assertThat(p.email()).isEqualTo("fred@exemple.fr");
            assertThat(p.matchedTag()).isEqualTo(DELETION_TAG);
            assertThat(p.displayName()).isEqualTo("Fred Flag");
            assertThat(p.copperJson()).contains("\"email\":\"fred@exemple.fr\"");
            assertThat(p.mailchimpJson()).contains("\"status\":\"subscribed\"");
        });
        runs.end(run);
        try (StateStore state = StateStore.open(settings.stateJdbcUrl())) {
            assertThat(state.pending()).as("still pending once the run is over").extracting(StateStore.PendingFlagged::email)
                    .containsExactly("fred@exemple.fr");
        }
    }

    @Test
    void aFlaggedContactSeenAgainIsRefreshedNotDuplicated() {
        startCamel();
        SyncRun run = beginRun();

        sendOk("direct:archive-channel", run, flagged("fred@exemple.fr"));
        sendOk("direct:archive-channel", run, flagged("fred@exemple.fr"));

        assertThat(run.store().pending()).hasSize(1);
    }

    @Test
    void aDryRunListsTheFlaggedContactButRecordsNothing() {
        startCamel();
        SyncRun run = beginDryRun();

        sendOk("direct:archive-channel", run, flagged("fred@exemple.fr"));

        assertThat(run.flagged()).extracting(FlaggedEntry::email).containsExactly("fred@exemple.fr");
        assertThat(run.store().pending()).isEmpty();
    }
}

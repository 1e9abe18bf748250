package io.cmsync.archive;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cmsync.report.FlaggedEntry;
import io.cmsync.run.SyncRun;
import io.cmsync.state.StateStore;
import io.cmsync.sync.Action;
import io.cmsync.sync.Contact;

/**
 * The archive channel: a contact flagged with the deletion tag is excluded from the sync and recorded as pending
 * (one record per contact, refreshed when seen again) until someone acts on it with the {@code flagged} commands.
 * Scheduled runs never prompt.
 */
public final class ArchiveChannel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    public ArchiveChannel(Clock clock) {
        this.clock = clock;
    }

    public void record(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body Action.Flagged flagged) {
        Contact copper = flagged.copper();
        run.flagged().add(new FlaggedEntry(flagged.email(), copper.displayName(), flagged.matchedTag()));
        run.log().warn(run.log().text("report.log.flagged", flagged.matchedTag(), flagged.email()));
        if (run.dryRun() || run.store() == null) {
            return;
        }
        run.store().savePending(new StateStore.PendingFlagged(flagged.email(), flagged.matchedTag(),
                copper.displayName(), json(copper), flagged.mailchimp() == null ? null : json(flagged.mailchimp()),
                clock.instant(), clock.instant()));
    }

    private static String json(Contact c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("email", c.rawEmail());
        m.put("first_name", c.firstName());
        m.put("last_name", c.lastName());
        m.put("tags", c.tags());
        m.put("status", c.status());
        m.put("id", c.sideId());
        m.put("modified_at", c.modifiedAt() == null ? null : c.modifiedAt().toString());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

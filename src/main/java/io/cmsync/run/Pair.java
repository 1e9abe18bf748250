package io.cmsync.run;

import io.cmsync.api.ApiClients;
import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mapping.FieldMapping;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SafetyBrake;

/**
 * One sync pair (a Copper account, a Mailchimp audience, a scope, a schedule, its own state and reports) and what its
 * runs are made with. The run carries its pair ({@link SyncRun#pair()}): the step beans are one set for every pair and
 * take the pair's collaborators from the run, never from their constructors.
 *
 * @param settings the pair's settings ({@link Settings#pair()} is its name, empty for today's single pair)
 * @param clients  the pair's API clients (shared rate limits with the pairs of the same accounts)
 * @param planner  its planner (tags, statuses, TEST marker, Copper tag filter)
 * @param brake    its safety brake
 * @param mapping  its field mapping, read from its mapping file before any API call
 * @param copperShared another declared pair syncs the same Copper account: its runs may write the same people at
 *                 the same time, so a tag change is applied to the person's tags read just before it is written
 */
public record Pair(Settings settings, ApiClients clients, Planner planner, SafetyBrake brake, FieldMapping mapping,
                   boolean copperShared) {

    /** A pair alone on its Copper account. */
    public Pair(Settings settings, ApiClients clients, Planner planner, SafetyBrake brake, FieldMapping mapping) {
        this(settings, clients, planner, brake, mapping, false);
    }

    /** The exchange property that names the pair a run is for (absent: the single implicit pair). */
    public static final String PROPERTY = "pair";

    public String name() {
        return settings.pair();
    }

    /** The name in labels (metrics, health, console): {@code default} for today's single pair. */
    public String label() {
        return settings.pairLabel();
    }

    public boolean implicit() {
        return settings.implicitPair();
    }

    public CopperClient copper() {
        return clients.copper();
    }

    public MailchimpClient mailchimp() {
        return clients.mailchimp();
    }
}

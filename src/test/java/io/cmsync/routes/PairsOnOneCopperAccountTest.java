package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cmsync.api.ApiClients;
import io.cmsync.copper.CopperMapping;
import io.cmsync.copper.CopperPerson;
import io.cmsync.execute.CopperWriter;
import io.cmsync.mapping.FieldMapping;
import io.cmsync.run.Pair;
import io.cmsync.run.SyncRun;
import io.cmsync.sync.Action;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SafetyBrake;

/**
 * Two pairs on one Copper account run at the same time and write the same people: Copper replaces a person's whole
 * tag list, so a run writing the list it read at its start undid the other pair's change made since (its status tag
 * « Mailchimp: désabonné (en) », a tag from its audience), which that pair then took for a removal. Seen in
 * ClusterPairsFailoverIT: two people without the « (fr) » status tag after both pairs' runs.
 */
class PairsOnOneCopperAccountTest extends RouteTestSupport {
    static final String EMAIL = "sophie.bernard@exemple.fr";
    static final String OTHER_PAIRS_TAG = "Mailchimp: désabonné (en)";

    @Override
    List<String> routeFiles() {
        return List.of("execute.yaml");
    }

    private void declarePair(boolean copperShared) {
        runs.pairs(List.of(new Pair(settings, new ApiClients(copper, mailchimp), new Planner(plannerSettings()),
                new SafetyBrake(io.cmsync.config.SafetySettings.load(settings.propertiesFile())),
                FieldMapping.defaults(), copperShared)));
    }

    /** This run read Sophie, then the other pair tagged her; this run now adds « vip ». */
    private Action.UpdateCopperPerson addVipAfterTheOtherPairsWrite() {
        CopperPerson read = copper.fetchByEmail(EMAIL).orElseThrow();
        List<String> readTags = read.tags() == null ? List.of() : read.tags();
        List<String> theirs = new ArrayList<>(readTags);
        theirs.add(OTHER_PAIRS_TAG);
        copper.bulkUpdate(List.of(CopperMapping.personUpdate(read.id(), null, null, false, theirs)));
        List<String> mine = new ArrayList<>(readTags);
        mine.add("vip");
        Contact copperSide = new Contact(EMAIL, EMAIL, read.firstName(), read.lastName(), readTags, null,
                String.valueOf(read.id()), null);
        return new Action.UpdateCopperPerson(EMAIL, read.id(), copperSide, null, read.firstName(), read.lastName(),
                false, mine, true, List.of(), Map.of());
    }

    @Test
    void aTagChangeIsAppliedToThePersonsTagsAsTheyAreNowWhenAnotherPairSharesTheAccount() throws Exception {
        startCamel();
        declarePair(true);
        SyncRun run = beginRun();
        CopperWriter writer = context.getRegistry().lookupByNameAndType("copperWriter", CopperWriter.class);
        Action.UpdateCopperPerson update = addVipAfterTheOtherPairsWrite();
        sandbox.resetCalls();

        writer.updatePeople(run, List.of(update));

        assertThat(copper.fetchByEmail(EMAIL).orElseThrow().tags()).as("this run's tag and the other pair's")
                .contains("vip", OTHER_PAIRS_TAG);
        assertThat(sandbox.calls()).as("one search for the current tags, one bulk update")
                .containsEntry("POST /developer_api/v1/people/search", 1L)
                .containsEntry("POST /developer_api/v1/people/bulk_update", 1L);
        assertThat(run.operations()).singleElement().satisfies(o -> assertThat(o.success()).isTrue());
    }

    @Test
    void aPairAloneOnItsAccountWritesTheListItReadWithoutAnExtraCall() throws Exception {
        startCamel();
        declarePair(false);
        SyncRun run = beginRun();
        CopperWriter writer = context.getRegistry().lookupByNameAndType("copperWriter", CopperWriter.class);
        Action.UpdateCopperPerson update = addVipAfterTheOtherPairsWrite();
        sandbox.resetCalls();

        writer.updatePeople(run, List.of(update));

        assertThat(copper.fetchByEmail(EMAIL).orElseThrow().tags()).contains("vip");
        assertThat(sandbox.calls()).doesNotContainKey("POST /developer_api/v1/people/search");
    }

    @Test
    void theRunsChangeIsAppliedToTheCurrentTags() {
        Contact read = new Contact(EMAIL, EMAIL, "S", "B", List.of("a", "b", "c"), null, "1", null);
        // this run removes b and adds d; meanwhile someone removed c and added e
        var update = new Action.UpdateCopperPerson(EMAIL, 1L, read, null, "S", "B", false, List.of("a", "c", "d"),
                true, List.of(), Map.of());
        assertThat(CopperWriter.tagsToWrite(update, List.of("a", "b", "e"))).containsExactly("a", "e", "d");
        assertThat(CopperWriter.tagsToWrite(update, null)).as("not read again: the run's list")
                .containsExactly("a", "c", "d");
    }
}

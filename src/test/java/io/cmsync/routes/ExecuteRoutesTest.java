package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.junit.jupiter.api.Test;

import io.cmsync.report.ExcludedEntry;
import io.cmsync.report.NotSyncedEntry;
import io.cmsync.report.OperationOutcome;
import io.cmsync.run.SyncRun;
import io.cmsync.sync.Action;

/**
 * routes/execute.yaml: execute-chunk routes each action of a chunk by type (content-based router); the write routes
 * aggregate writes into batch calls, completed by size or by direct:flush-batches.
 */
class ExecuteRoutesTest extends RouteTestSupport {
    private static final String DELETION_TAG = "🗑️ À SUPPRIMER";
    private static final int MAILCHIMP_BATCH_SIZE = 3;

    @Override
    List<String> routeFiles() {
        return List.of("execute.yaml");
    }

    @Override
    Map<String, String> settingsOverrides() {
        return Map.of("mailchimp.batch-size", String.valueOf(MAILCHIMP_BATCH_SIZE));
    }

    // ---------------------------------------------------------------------------------------------- execute-chunk

    /** One action of each type (the test checks below that no type is missing). */
    private static List<Action> oneOfEach() {
        return List.of(
                new Action.CreateMailchimpMember("create.mc@exemple.fr",
                        copperPerson("create.mc@exemple.fr", "Cora", "Mc", "vip"), "subscribed", Set.of("vip")),
                new Action.UpdateMailchimpMember("update.mc@exemple.fr",
                        copperPerson("update.mc@exemple.fr", "Ugo", "Neuf"),
                        member("update.mc@exemple.fr", "subscribed", "Ugo", "Vieux"), "Ugo", "Neuf", true, Set.of(),
                        Set.of(), List.of()),
                new Action.ReactivateMailchimpMember("back.mc@exemple.fr", copperPerson("back.mc@exemple.fr", "Bea", "Back"),
                        member("back.mc@exemple.fr", "archived", "Bea", "Back"), "subscribed", Set.of()),
                new Action.CreateCopperPerson("create.cu@exemple.fr",
                        member("create.cu@exemple.fr", "subscribed", "Carl", "Cu"), "Carl", "Cu"),
                new Action.UpdateCopperPerson("update.cu@exemple.fr", 4242L,
                        copperPerson("update.cu@exemple.fr", "Ulla", "Old"),
                        member("update.cu@exemple.fr", "subscribed", "Ulla", "New"), "Ulla", "New", true, List.of(),
                        false, List.of()),
                new Action.SkipIdentical("same@exemple.fr"),
                new Action.Flagged("flagged@exemple.fr", copperPerson("flagged@exemple.fr", "Fred", "Flag", DELETION_TAG),
                        null, DELETION_TAG),
                new Action.Excluded("excluded@exemple.fr", "Copper", "tag inactif"),
                new Action.NotSynced("nosync@exemple.fr", "Mailchimp", "e-mail en double"),
                new Action.FieldRefused("refused@exemple.fr", "mailchimp", "secteur", "Agriculture",
                        "pas un choix de SECTEUR", "4243"));
    }

    /** Every write destination of execute-chunk mocked (and skipped): the direct: write routes, the archive channel, reactivation. */
    private void mockDestinationsOfExecuteChunk() throws Exception {
        AdviceWith.adviceWith(context, "execute-chunk", a -> {
            a.mockEndpointsAndSkip("direct:write-*", "direct:archive-channel");
            a.weaveByToString("Bean\\[ref:mailchimpWriter method:reactivate\\]").replace().to("mock:reactivate");
        });
    }

    private MockEndpoint mock(String name) {
        return getMockEndpoint(name);
    }

    private static String emailOf(MockEndpoint mock) {
        return mock.getReceivedExchanges().get(0).getIn().getBody(Action.class).email();
    }

    @Test
    void theChunkOfTheTestHoldsEveryActionType() {
        Set<String> types = new java.util.TreeSet<>();
        Arrays.stream(Action.class.getPermittedSubclasses()).forEach(c -> types.add(c.getSimpleName()));
        assertThat(oneOfEach()).extracting(a -> a.getClass().getSimpleName()).containsExactlyInAnyOrderElementsOf(types);
    }

    @Test
    void eachActionOfAChunkReachesTheDestinationOfItsType() throws Exception {
        mockDestinationsOfExecuteChunk();
        startCamel();
        SyncRun run = beginRun();
        Map<String, String> destinations = Map.of(
                "mock:direct:write-mailchimp-create", "create.mc@exemple.fr",
                "mock:direct:write-mailchimp-update", "update.mc@exemple.fr",
                "mock:reactivate", "back.mc@exemple.fr",
                "mock:direct:write-copper-create", "create.cu@exemple.fr",
                "mock:direct:write-copper-update", "update.cu@exemple.fr",
                "mock:direct:archive-channel", "flagged@exemple.fr");
        destinations.keySet().forEach(m -> mock(m).expectedMessageCount(1));

        sendOk("seda:execute-chunk?waitForTaskToComplete=Always", run, oneOfEach());

        MockEndpoint.assertIsSatisfied(context, 1, TimeUnit.SECONDS);
        destinations.forEach((m, email) -> assertThat(emailOf(mock(m))).as(m).isEqualTo(email));
        assertThat(run.identical()).isEqualTo(1);
        assertThat(run.excluded()).containsExactly(new ExcludedEntry("excluded@exemple.fr", "Copper", "tag inactif"));
        assertThat(run.notSynced()).containsExactly(new NotSyncedEntry("nosync@exemple.fr", "Mailchimp", "e-mail en double"));
        assertThat(run.refusedValues()).containsExactly(new io.cmsync.report.RefusedValueEntry("refused@exemple.fr",
                "mailchimp", "secteur", "Agriculture", "pas un choix de SECTEUR", "4243"));
        assertThat(run.operations()).as("nothing written yet: the writes wait in the batches").isEmpty();
    }

    @Test
    void aDryRunWritesNothingAndRecordsEachWriteAsPlanned() throws Exception {
        mockDestinationsOfExecuteChunk();
        startCamel();
        SyncRun run = beginDryRun();
        for (String m : List.of("mock:direct:write-mailchimp-create", "mock:direct:write-mailchimp-update",
                "mock:reactivate", "mock:direct:write-copper-create", "mock:direct:write-copper-update")) {
            mock(m).expectedMessageCount(0);
        }
        mock("mock:direct:archive-channel").expectedMessageCount(1); // the channel itself stores nothing in a dry run

        sendOk("seda:execute-chunk?waitForTaskToComplete=Always", run, oneOfEach());

        MockEndpoint.assertIsSatisfied(context, 1, TimeUnit.SECONDS);
        assertThat(run.operations()).extracting(OperationOutcome::email).containsExactlyInAnyOrder(
                "create.mc@exemple.fr", "update.mc@exemple.fr", "back.mc@exemple.fr", "create.cu@exemple.fr",
                "update.cu@exemple.fr");
        assertThat(run.operations()).allSatisfy(o -> {
            assertThat(o.operation()).endsWith("(simulation)");
            assertThat(o.success()).isTrue();
        });
        assertThat(run.identical()).isEqualTo(1);
        assertThat(run.excluded()).extracting(ExcludedEntry::email).containsExactly("excluded@exemple.fr");
        assertThat(run.notSynced()).extracting(NotSyncedEntry::email).containsExactly("nosync@exemple.fr");
    }

    // ---------------------------------------------------------------------------------------------- aggregation

    private static List<Action.CreateCopperPerson> copperCreates(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> {
            String email = String.format("new%02d@exemple.fr", i);
            return new Action.CreateCopperPerson(email, member(email, "subscribed", "New", "N" + i), "New", "N" + i);
        }).toList();
    }

    /** The write route's bean step replaced by a mock: the mock receives each batch the bean would receive. */
    private MockEndpoint batchesOf(String routeId) throws Exception {
        AdviceWith.adviceWith(context, routeId, a -> a.weaveByType(BeanDefinition.class).replace()
                .to("mock:batches-" + routeId));
        return getMockEndpoint("mock:batches-" + routeId);
    }

    private static List<List<String>> batchEmails(MockEndpoint batches) {
        List<List<String>> out = new ArrayList<>();
        batches.getReceivedExchanges().forEach(e -> out.add(e.getIn().getBody(List.class).stream()
                .map(a -> ((Action) a).email()).toList()));
        return out;
    }

    private static List<String> emails(List<? extends Action> actions) {
        return actions.stream().map(Action::email).toList();
    }

    @Test
    void copperCreatesGoOutInBatchesOfTenAndTheFlushSendsTheRest() throws Exception {
        MockEndpoint batches = batchesOf("write-copper-create");
        startCamel();
        SyncRun run = beginRun();
        List<Action.CreateCopperPerson> creates = copperCreates(0, 25);

        creates.forEach(a -> sendOk("direct:write-copper-create", run, a));
        assertThat(batchEmails(batches)).as("before the flush").extracting(List::size).containsExactly(10, 10);
        sendOk("direct:flush-batches", run, null);

        assertThat(batchEmails(batches)).containsExactly(emails(creates.subList(0, 10)), emails(creates.subList(10, 20)),
                emails(creates.subList(20, 25)));
        assertThat(batches.getReceivedExchanges()).allSatisfy(e ->
                assertThat(e.getProperty(SyncRun.PROPERTY)).as("the run travels with the batch").isSameAs(run));
    }

    @Test
    void batchesFillAcrossChunks() throws Exception {
        MockEndpoint batches = batchesOf("write-copper-create");
        startCamel();
        SyncRun run = beginRun();

        sendOk("seda:execute-chunk?waitForTaskToComplete=Always", run, copperCreates(0, 15));
        sendOk("seda:execute-chunk?waitForTaskToComplete=Always", run, copperCreates(15, 10));
        sendOk("direct:flush-batches", run, null);

        assertThat(batchEmails(batches)).extracting(List::size).containsExactly(10, 10, 5);
        assertThat(batchEmails(batches).stream().flatMap(List::stream)).containsExactlyElementsOf(emails(copperCreates(0, 25)));
    }

    @Test
    void mailchimpCreatesGoOutInBatchesOfTheConfiguredBatchSize() throws Exception {
        MockEndpoint batches = batchesOf("write-mailchimp-create");
        startCamel();
        SyncRun run = beginRun();

        for (int i = 0; i < 7; i++) {
            String email = "m" + i + "@exemple.fr";
            sendOk("direct:write-mailchimp-create", run, new Action.CreateMailchimpMember(email,
                    copperPerson(email, "M", "" + i), "subscribed", Set.of()));
        }
        sendOk("direct:flush-batches", run, null);

        assertThat(batchEmails(batches)).extracting(List::size).containsExactly(MAILCHIMP_BATCH_SIZE, MAILCHIMP_BATCH_SIZE, 1);
    }

    @Test
    void aFlushWithNothingPendingSendsNoBatch() throws Exception {
        MockEndpoint copperBatches = batchesOf("write-copper-create");
        startCamel();

        sendOk("direct:flush-batches", beginRun(), null);

        assertThat(copperBatches.getReceivedExchanges()).isEmpty();
    }

    /**
     * A run that fails after some writes went into an aggregator, but before direct:flush-batches (a step or a chunk
     * threw), leaves them in the aggregator. Groups are per run (the run id is in the correlation key), so the
     * daemon's next run never fills that open batch: without it, the completed batch carried its first exchange's
     * (ended) run and the writer dropped the new run's writes with it, unreported, then recorded them as synced.
     */
    @Test
    void writesOfARunAreNotLostInABatchLeftOpenByAFailedRun() throws Exception {
        startCamel();
        SyncRun failed = beginRun();
        copperCreates(0, 3).forEach(a -> sendOk("direct:write-copper-create", failed, a));
        runs.end(failed); // it failed before the flush: its exchange is done, the run ended

        SyncRun next = beginRun();
        List<Action.CreateCopperPerson> creates = copperCreates(100, 8);
        creates.forEach(a -> sendOk("direct:write-copper-create", next, a));
        sendOk("direct:flush-batches", next, null);

        for (Action.CreateCopperPerson a : creates) {
            boolean reported = next.operations().stream().anyMatch(o -> o.email().equals(a.email()));
            assertThat(reported || next.failed(a.email()))
                    .as("%s is created, reported or held back from the synced state", a.email()).isTrue();
        }
    }
}

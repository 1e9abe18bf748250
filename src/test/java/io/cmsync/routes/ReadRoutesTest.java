package io.cmsync.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.run.SyncRun;
import io.cmsync.sync.Contact;

/**
 * routes/read.yaml: read-copper and read-mailchimp page through the sandbox (page size 2), split each page into
 * contacts, keep those in TEST scope (marker "@exemple") and stage each of them once.
 */
class ReadRoutesTest extends RouteTestSupport {
    private static final List<String> COPPER_IN_SCOPE = List.of("ana@exemple.fr", "ben@exemple.fr",
            "chloe@exemple.fr", "dan@exemple.fr", "eve@exemple.fr");
    private static final List<String> COPPER_OUT_OF_SCOPE = List.of("real.customer@example.com", "boss@company.fr");
    private static final List<String> MAILCHIMP_IN_SCOPE = List.of("mia@exemple.fr", "noe@exemple.fr",
            "olga@exemple.fr", "paul@exemple.fr");
    private static final List<String> MAILCHIMP_OUT_OF_SCOPE = List.of("subscriber@gmail.com", "newsletter@example.org",
            "press@journal.fr");

    @Override
    List<String> routeFiles() {
        return List.of("read.yaml");
    }

    @Override
    Map<String, String> settingsOverrides() {
        return Map.of("copper.page-size", "2", "mailchimp.page-size", "2");
    }

    @Override
    ObjectNode sandboxData() {
        SandboxData data = new SandboxData();
        // in and out of scope interleaved, so that pages mix both
        data.person("ana@exemple.fr", "Ana", "Avril").person("real.customer@example.com", "Real", "Customer")
                .person("ben@exemple.fr", "Ben", "Bois").person("chloe@exemple.fr", "Chloé", "Chêne")
                .person("boss@company.fr", "Big", "Boss").person("dan@exemple.fr", "Dan", "Dune")
                .person("eve@exemple.fr", "Eve", "Été");
        data.member("mia@exemple.fr", "subscribed", "Mia", "Mer").member("subscriber@gmail.com", "subscribed", "Sub", "Scriber")
                .member("noe@exemple.fr", "unsubscribed", "Noé", "Nord").member("newsletter@example.org", "subscribed", "News", "Letter")
                .member("olga@exemple.fr", "subscribed", "Olga", "Orme").member("press@journal.fr", "cleaned", "Press", "Journal")
                .member("paul@exemple.fr", "archived", "Paul", "Pin");
        return data.build();
    }

    /** A mock right after the route's stage step ({@code reader}.stage): each contact staged passes it once. */
    private MockEndpoint stagedBy(String routeId, String reader) throws Exception {
        AdviceWith.adviceWith(context, routeId, a -> a.weaveByToString("Bean\\[ref:" + reader + " method:stage\\]")
                .after().to("mock:staged-" + routeId));
        return getMockEndpoint("mock:staged-" + routeId);
    }

    private static List<String> emails(MockEndpoint mock) {
        return mock.getReceivedExchanges().stream().map(e -> e.getIn().getBody(Contact.class).email()).toList();
    }

    @Test
    void readCopperStagesEachPersonInTestScopeOnceAndCountsTheOthers() throws Exception {
        MockEndpoint staged = stagedBy("read-copper", "copperReader");
        startCamel();
        SyncRun run = beginRun();

        sendOk("direct:read-copper", run, null);

        assertThat(emails(staged)).containsExactlyInAnyOrderElementsOf(COPPER_IN_SCOPE);
        assertThat(run.staging().copperCount()).isEqualTo(COPPER_IN_SCOPE.size());
        assertThat(run.staging().copper()).extracting(Contact::email)
                .containsExactlyInAnyOrderElementsOf(COPPER_IN_SCOPE);
        assertThat(run.outsideTestMarker()).isEqualTo(COPPER_OUT_OF_SCOPE.size());
        assertThat(run.staging().mailchimpCount()).isZero();
    }

    @Test
    void readCopperReadsEveryPageOfTheAccount() throws Exception {
        startCamel();
        SyncRun run = beginRun();

        sendOk("direct:read-copper", run, null);

        // 7 people, 2 a page: 4 searches (the last page is short)
        assertThat(sandbox.calls()).containsEntry("POST /developer_api/v1/people/search", 4L);
        assertThat(run.staging().copperCount() + run.outsideTestMarker()).isEqualTo(7);
    }

    @Test
    void readMailchimpStagesEachMemberInTestScopeOnceAndCountsTheOthers() throws Exception {
        MockEndpoint staged = stagedBy("read-mailchimp", "mailchimpReader");
        startCamel();
        SyncRun run = beginRun();

        sendOk("direct:read-mailchimp", run, null);

        // the default listing, then status=archived: paul (archived) is read in the second pass only
        assertThat(emails(staged)).containsExactlyInAnyOrderElementsOf(MAILCHIMP_IN_SCOPE);
        assertThat(run.staging().mailchimpCount()).isEqualTo(MAILCHIMP_IN_SCOPE.size());
        assertThat(run.staging().mailchimp()).extracting(Contact::email)
                .containsExactlyInAnyOrderElementsOf(MAILCHIMP_IN_SCOPE);
        assertThat(run.outsideTestMarker()).isEqualTo(MAILCHIMP_OUT_OF_SCOPE.size());
        assertThat(run.staging().copperCount()).isZero();
    }

    @Test
    void readMailchimpReadsEveryPageOfBothListings() throws Exception {
        startCamel();
        SyncRun run = beginRun();

        sendOk("direct:read-mailchimp", run, null);

        long memberListings = sandbox.calls().entrySet().stream()
                .filter(e -> e.getKey().startsWith("GET ") && e.getKey().endsWith("/members"))
                .mapToLong(Map.Entry::getValue).sum();
        // default listing: 6 members, 2 a page (3 pages); archived: 1 member (1 page)
        assertThat(memberListings).isEqualTo(4);
        assertThat(run.staging().mailchimpCount() + run.outsideTestMarker()).isEqualTo(7);
    }
}

package io.cmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cmsync.sync.Action.CreateCopperPerson;
import io.cmsync.sync.Action.CreateMailchimpMember;
import io.cmsync.sync.Action.Excluded;
import io.cmsync.sync.Action.Flagged;
import io.cmsync.sync.Action.NotSynced;
import io.cmsync.sync.Action.SkipIdentical;
import io.cmsync.sync.Action.UpdateCopperPerson;
import io.cmsync.sync.Action.UpdateMailchimpMember;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlannerTest {

    static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
    static final Instant EARLY = Instant.parse("2026-01-05T08:00:00Z");
    static final Instant LATE = Instant.parse("2026-01-08T08:00:00Z");

    private static final AtomicLong IDS = new AtomicLong(1000);

    private final Planner planner = new Planner(PlannerSettings.defaults());

    // ------------------------------------------------------------------------------------------------ fixtures

    static Contact cp(String rawEmail, String first, String last, String... tags) {
        return new Contact(Emails.normalise(rawEmail), rawEmail, first, last, List.of(tags), null,
                String.valueOf(IDS.incrementAndGet()), EARLY);
    }

    static Contact mc(String rawEmail, String status, String first, String last, String... tags) {
        return new Contact(Emails.normalise(rawEmail), rawEmail, first, last, List.of(tags), status,
                "hash-" + Emails.normalise(rawEmail), EARLY);
    }

    static Contact at(Contact c, Instant modified) {
        return new Contact(c.email(), c.rawEmail(), c.firstName(), c.lastName(), c.tags(), c.status(), c.sideId(),
                modified);
    }

    static SyncedRecord base(String email, String first, String last, String... pushed) {
        return new SyncedRecord(email, 1L, first, last, Set.of(pushed), Set.of(pushed), "subscribed", EARLY);
    }

    static Function<String, Optional<SyncedRecord>> state(SyncedRecord... records) {
        Map<String, SyncedRecord> map = new HashMap<>();
        for (SyncedRecord r : records) {
            map.put(r.email(), r);
        }
        return k -> Optional.ofNullable(map.get(k));
    }

    static final Function<String, Optional<SyncedRecord>> NO_STATE = k -> Optional.empty();

    private SyncPlan plan(List<Contact> copper, List<Contact> mailchimp, SyncedRecord... records) {
        return planner.plan(copper, mailchimp, state(records), NOW);
    }

    private static <T extends Action> T only(SyncPlan plan, Class<T> type) {
        List<T> found = plan.actionsOf(type);
        assertThat(found).as("actions of type %s in %s", type.getSimpleName(), plan.actions()).hasSize(1);
        return found.get(0);
    }

    // ------------------------------------------------------------------------------------------------ first run

    @Test
    void firstRunCreatesOnBothSides() {
        Contact jean = cp("Jean.Dupont@Exemple.fr", "Jean", "Dupont", "client", "VIP");
        Contact anne = mc("anne@exemple.fr", "subscribed", "Anne", "Martin", "webinar");
        SyncPlan plan = plan(List.of(jean), List.of(anne));

        CreateMailchimpMember create = only(plan, CreateMailchimpMember.class);
        assertThat(create.email()).isEqualTo("jean.dupont@exemple.fr");
        assertThat(create.status()).isEqualTo("subscribed");
        assertThat(create.tags()).containsExactly("client", "VIP");
        assertThat(create.copper()).isSameAs(jean);

        CreateCopperPerson person = only(plan, CreateCopperPerson.class);
        assertThat(person.email()).isEqualTo("anne@exemple.fr");
        assertThat(person.firstName()).isEqualTo("Anne");
        assertThat(person.lastName()).isEqualTo("Martin");

        SyncedRecord jeanTarget = plan.targets().get("jean.dupont@exemple.fr");
        assertThat(jeanTarget.copperId()).isEqualTo(Long.parseLong(jean.sideId()));
        assertThat(jeanTarget.tags()).containsExactlyInAnyOrder("client", "VIP");
        assertThat(jeanTarget.pushedTags()).containsExactlyInAnyOrder("client", "VIP");
        assertThat(jeanTarget.mailchimpStatus()).isEqualTo("subscribed");
        assertThat(jeanTarget.syncedAt()).isEqualTo(NOW);

        SyncedRecord anneTarget = plan.targets().get("anne@exemple.fr");
        assertThat(anneTarget.copperId()).isNull();
        assertThat(anneTarget.pushedTags()).isEmpty();
        assertThat(anneTarget.firstName()).isEqualTo("Anne");

        assertThat(plan.stats()).isEqualTo(new PlanStats(1, 1, 0, 0, 0, 0, 0, 0));
        assertThat(plan.actions()).extracting(Action::email)
                .containsExactly("anne@exemple.fr", "jean.dupont@exemple.fr");
    }

    @Test
    void newMemberStatusIsConfigurable() {
        Planner pending = new Planner(PlannerSettings.defaults().withNewMemberStatus("pending"));
        SyncPlan plan = pending.plan(List.of(cp("a@exemple.fr", "A", "B")), List.of(), NO_STATE, NOW);
        assertThat(only(plan, CreateMailchimpMember.class).status()).isEqualTo("pending");
        assertThat(plan.targets().get("a@exemple.fr").mailchimpStatus()).isEqualTo("pending");
    }

    @Test
    void firstRunCopperWinsNamesWithoutConflict() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont")),
                List.of(mc("a@exemple.fr", "subscribed", "Jeannot", "Dupont")));
        UpdateMailchimpMember update = only(plan, UpdateMailchimpMember.class);
        assertThat(update.firstName()).isEqualTo("Jean");
        assertThat(update.namesChanged()).isTrue();
        assertThat(update.conflicts()).isEmpty();
        assertThat(plan.actionsOf(UpdateCopperPerson.class)).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ identical

    @Test
    void identicalContactIsSkippedAndStillTargeted() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "VIP")),
                List.of(mc("A@exemple.fr", "subscribed", "Jean", "Dupont", "vip", "marketing")));
        assertThat(plan.actions()).containsExactly(new SkipIdentical("a@exemple.fr"));
        assertThat(plan.targets().get("a@exemple.fr").pushedTags()).containsExactly("VIP");
        assertThat(plan.writesNothing()).isTrue();
        assertThat(plan.stats().identical()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------------ names

    @Test
    void nameChangedInCopperGoesToMailchimp() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jeanne", "Dupont")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont")),
                base("a@exemple.fr", "Jean", "Dupont"));
        UpdateMailchimpMember update = only(plan, UpdateMailchimpMember.class);
        assertThat(update.namesChanged()).isTrue();
        assertThat(update.firstName()).isEqualTo("Jeanne");
        assertThat(update.lastName()).isEqualTo("Dupont");
        assertThat(update.tagsToAdd()).isEmpty();
        assertThat(update.tagsToRemove()).isEmpty();
        assertThat(update.conflicts()).isEmpty();
        assertThat(plan.actionsOf(UpdateCopperPerson.class)).isEmpty();
        assertThat(plan.targets().get("a@exemple.fr").firstName()).isEqualTo("Jeanne");
    }

    @Test
    void nameChangedInMailchimpGoesToCopper() {
        Contact person = cp("a@exemple.fr", "Jean", "Dupont", "VIP");
        SyncPlan plan = plan(List.of(person),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont-Martin", "VIP")),
                base("a@exemple.fr", "Jean", "Dupont", "VIP"));
        UpdateCopperPerson update = only(plan, UpdateCopperPerson.class);
        assertThat(update.copperId()).isEqualTo(Long.parseLong(person.sideId()));
        assertThat(update.namesChanged()).isTrue();
        assertThat(update.lastName()).isEqualTo("Dupont-Martin");
        assertThat(update.tagsChanged()).isFalse();
        assertThat(update.tags()).containsExactly("VIP");
        assertThat(plan.actionsOf(UpdateMailchimpMember.class)).isEmpty();
        assertThat(plan.targets().get("a@exemple.fr").lastName()).isEqualTo("Dupont-Martin");
    }

    @Test
    void differentFieldsChangedOnEachSideAreBothKeptWithoutConflict() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jeanne", "Dupont")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Martin")),
                base("a@exemple.fr", "Jean", "Dupont"));
        UpdateMailchimpMember toMailchimp = only(plan, UpdateMailchimpMember.class);
        UpdateCopperPerson toCopper = only(plan, UpdateCopperPerson.class);
        assertThat(List.of(toMailchimp.firstName(), toMailchimp.lastName())).containsExactly("Jeanne", "Martin");
        assertThat(List.of(toCopper.firstName(), toCopper.lastName())).containsExactly("Jeanne", "Martin");
        assertThat(plan.conflicts()).isEmpty();
    }

    @Test
    void bothChangedMailchimpMoreRecentWins() {
        SyncPlan plan = plan(List.of(at(cp("a@exemple.fr", "Jeanne", "Dupont"), EARLY)),
                List.of(at(mc("a@exemple.fr", "subscribed", "Janine", "Dupont"), LATE)),
                base("a@exemple.fr", "Jean", "Dupont"));
        UpdateCopperPerson update = only(plan, UpdateCopperPerson.class);
        assertThat(update.firstName()).isEqualTo("Janine");
        assertThat(update.conflicts()).containsExactly(
                new Conflict("a@exemple.fr", Planner.FIELD_FIRST_NAME, "Jeanne", "Janine", Planner.SIDE_MAILCHIMP));
        assertThat(plan.actionsOf(UpdateMailchimpMember.class)).isEmpty();
        assertThat(plan.stats().conflicts()).isEqualTo(1);
        assertThat(plan.targets().get("a@exemple.fr").firstName()).isEqualTo("Janine");
    }

    @Test
    void bothChangedCopperMoreRecentWins() {
        SyncPlan plan = plan(List.of(at(cp("a@exemple.fr", "Jean", "Durand"), LATE)),
                List.of(at(mc("a@exemple.fr", "subscribed", "Jean", "Duval"), EARLY)),
                base("a@exemple.fr", "Jean", "Dupont"));
        UpdateMailchimpMember update = only(plan, UpdateMailchimpMember.class);
        assertThat(update.lastName()).isEqualTo("Durand");
        assertThat(update.conflicts()).containsExactly(
                new Conflict("a@exemple.fr", Planner.FIELD_LAST_NAME, "Durand", "Duval", Planner.SIDE_COPPER));
        assertThat(plan.actionsOf(UpdateCopperPerson.class)).isEmpty();
        assertThat(plan.conflicts()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tie", "copperUnknown", "mailchimpUnknown", "bothUnknown"})
    void bothChangedTieOrUnknownDateCopperWins(String dates) {
        Instant copperAt = dates.equals("copperUnknown") || dates.equals("bothUnknown") ? null : LATE;
        Instant mailchimpAt = dates.equals("mailchimpUnknown") || dates.equals("bothUnknown") ? null : LATE;
        SyncPlan plan = plan(List.of(at(cp("a@exemple.fr", "Jeanne", "Dupont"), copperAt)),
                List.of(at(mc("a@exemple.fr", "subscribed", "Janine", "Dupont"), mailchimpAt)),
                base("a@exemple.fr", "Jean", "Dupont"));
        UpdateMailchimpMember update = only(plan, UpdateMailchimpMember.class);
        assertThat(update.firstName()).isEqualTo("Jeanne");
        assertThat(update.conflicts()).extracting(Conflict::winner).containsExactly(Planner.SIDE_COPPER);
        assertThat(plan.actionsOf(UpdateCopperPerson.class)).isEmpty();
    }

    @Test
    void bothChangedToTheSameValueIsNoConflict() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jeanne", "Dupont")),
                List.of(mc("a@exemple.fr", "subscribed", "Jeanne", "Dupont")),
                base("a@exemple.fr", "Jean", "Dupont"));
        assertThat(plan.actions()).containsExactly(new SkipIdentical("a@exemple.fr"));
        assertThat(plan.targets().get("a@exemple.fr").firstName()).isEqualTo("Jeanne");
    }

    @Test
    void blankInCopperNeverOverwritesMailchimp() {
        // Copper cleared the first name: Mailchimp keeps it, and it is written back to Copper
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "", "Dupont")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont")),
                base("a@exemple.fr", "Jean", "Dupont"));
        assertThat(plan.actionsOf(UpdateMailchimpMember.class)).isEmpty();
        UpdateCopperPerson update = only(plan, UpdateCopperPerson.class);
        assertThat(update.firstName()).isEqualTo("Jean");
        assertThat(plan.targets().get("a@exemple.fr").firstName()).isEqualTo("Jean");
    }

    @Test
    void blankInMailchimpNeverOverwritesCopper() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "")),
                base("a@exemple.fr", "Jean", "Dupont"));
        assertThat(plan.actionsOf(UpdateCopperPerson.class)).isEmpty();
        UpdateMailchimpMember update = only(plan, UpdateMailchimpMember.class);
        assertThat(update.lastName()).isEqualTo("Dupont");
        assertThat(update.namesChanged()).isTrue();
    }

    @Test
    void blankOnFirstRunIsFilledFromTheOtherSide() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "", "")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont")));
        UpdateCopperPerson update = only(plan, UpdateCopperPerson.class);
        assertThat(List.of(update.firstName(), update.lastName())).containsExactly("Jean", "Dupont");
        assertThat(plan.actionsOf(UpdateMailchimpMember.class)).isEmpty();
    }

    @Test
    void blankVersusChangedValueIsNotAConflict() {
        SyncPlan plan = plan(List.of(at(cp("a@exemple.fr", "", "Dupont"), LATE)),
                List.of(at(mc("a@exemple.fr", "subscribed", "Janine", "Dupont"), EARLY)),
                base("a@exemple.fr", "Jean", "Dupont"));
        assertThat(only(plan, UpdateCopperPerson.class).firstName()).isEqualTo("Janine");
        assertThat(plan.conflicts()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ tags

    @Test
    void tagAddedInCopperIsAddedInMailchimp() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "VIP", "Salon 2026")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont", "VIP")),
                base("a@exemple.fr", "Jean", "Dupont", "VIP"));
        UpdateMailchimpMember update = only(plan, UpdateMailchimpMember.class);
        assertThat(update.namesChanged()).isFalse();
        assertThat(update.tagsToAdd()).containsExactly("Salon 2026");
        assertThat(update.tagsToRemove()).isEmpty();
        assertThat(plan.targets().get("a@exemple.fr").pushedTags()).containsExactlyInAnyOrder("VIP", "Salon 2026");
    }

    @Test
    void tagsArePushedEvenWhenNamesAreEqual() {
        // the old tool's fault: tags never pushed when the names were equal
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "VIP")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont")));
        assertThat(only(plan, UpdateMailchimpMember.class).tagsToAdd()).containsExactly("VIP");
    }

    @Test
    void tagsAreComparedCaseInsensitivelyAfterTrim() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", " vip ", "Client")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont", "VIP", "client")),
                base("a@exemple.fr", "Jean", "Dupont", "VIP", "Client"));
        assertThat(plan.actions()).containsExactly(new SkipIdentical("a@exemple.fr"));
    }

    @Test
    void tagRemovedInCopperThatWePushedIsRemoved() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "VIP")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont", "VIP", "salon 2025")),
                base("a@exemple.fr", "Jean", "Dupont", "VIP", "Salon 2025"));
        UpdateMailchimpMember update = only(plan, UpdateMailchimpMember.class);
        assertThat(update.tagsToRemove()).containsExactly("salon 2025"); // the member's spelling
        assertThat(update.tagsToAdd()).isEmpty();
        assertThat(update.namesChanged()).isFalse();
        assertThat(plan.targets().get("a@exemple.fr").pushedTags()).containsExactly("VIP");
    }

    @Test
    void pushedTagAlreadyGoneFromMemberIsNotRemovedAgain() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "VIP")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont", "VIP")),
                base("a@exemple.fr", "Jean", "Dupont", "VIP", "Salon 2025"));
        assertThat(plan.actions()).containsExactly(new SkipIdentical("a@exemple.fr"));
        assertThat(plan.targets().get("a@exemple.fr").pushedTags()).containsExactly("VIP");
    }

    @Test
    void marketerOnlyTagSurvives() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont", "VIP", "Webinar marketing")),
                base("a@exemple.fr", "Jean", "Dupont", "VIP"));
        UpdateMailchimpMember update = only(plan, UpdateMailchimpMember.class);
        assertThat(update.tagsToRemove()).containsExactly("VIP");
        assertThat(update.tagsToRemove()).doesNotContain("Webinar marketing");
    }

    @Test
    void marketerTagsAreNeverRemovedOnFirstRun() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont", "Webinar")));
        assertThat(plan.actions()).containsExactly(new SkipIdentical("a@exemple.fr"));
    }

    @Test
    void productTagsAreNeverPushedToMailchimp() {
        String[] copperTags = {"VIP", "Mailchimp: désabonné", "mailchimp: nettoye", "Réinscription requise"};
        SyncPlan created = plan(List.of(cp("new@exemple.fr", "Jean", "Dupont", copperTags)), List.of());
        assertThat(only(created, CreateMailchimpMember.class).tags()).containsExactly("VIP");
        assertThat(created.targets().get("new@exemple.fr").pushedTags()).containsExactly("VIP");

        SyncPlan updated = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", copperTags)),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont")));
        assertThat(only(updated, UpdateMailchimpMember.class).tagsToAdd()).containsExactly("VIP");
    }

    @Test
    void duplicateCopperTagsArePushedOnce() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "VIP", "vip", " ", "Client")), List.of());
        assertThat(only(plan, CreateMailchimpMember.class).tags()).containsExactly("VIP", "Client");
    }

    // ------------------------------------------------------------------------------------------------ statuses

    @ParameterizedTest
    @ValueSource(strings = {"unsubscribed", "cleaned", "archived"})
    void nonSubscribedMemberInBothIsMergedWithoutStatusChange(String status) {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jeanne", "Dupont", "VIP")),
                List.of(mc("a@exemple.fr", status, "Jean", "Dupont", "VIP")),
                base("a@exemple.fr", "Jean", "Dupont", "VIP"));
        // names still go to Mailchimp (PUT with status_if_new), never a create/subscribe
        UpdateMailchimpMember update = only(plan, UpdateMailchimpMember.class);
        assertThat(update.firstName()).isEqualTo("Jeanne");
        assertThat(plan.actionsOf(CreateMailchimpMember.class)).isEmpty();
        assertThat(plan.targets().get("a@exemple.fr").mailchimpStatus()).isEqualTo(status);
        List<UpdateCopperPerson> copper = plan.actionsOf(UpdateCopperPerson.class);
        switch (status) {
            case "unsubscribed" -> {
                assertThat(copper).hasSize(1);
                assertThat(copper.get(0).tags()).containsExactly("VIP", "Mailchimp: désabonné");
                assertThat(copper.get(0).tagsChanged()).isTrue();
                assertThat(copper.get(0).namesChanged()).isFalse();
            }
            case "cleaned" -> {
                assertThat(copper).hasSize(1);
                assertThat(copper.get(0).tags()).containsExactly("VIP", "Mailchimp: nettoyé");
            }
            default -> assertThat(copper).isEmpty();
        }
    }

    @Test
    void mirrorTagIsNotAddedTwiceInAnotherSpelling() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "mailchimp: desabonne")),
                List.of(mc("a@exemple.fr", "unsubscribed", "Jean", "Dupont")),
                base("a@exemple.fr", "Jean", "Dupont"));
        assertThat(plan.actions()).containsExactly(new SkipIdentical("a@exemple.fr"));
    }

    @Test
    void mirrorTagRemovedWhenMemberBackToSubscribed() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "VIP", "Mailchimp: désabonné")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont", "VIP")),
                base("a@exemple.fr", "Jean", "Dupont", "VIP"));
        UpdateCopperPerson update = only(plan, UpdateCopperPerson.class);
        assertThat(update.tags()).containsExactly("VIP");
        assertThat(update.tagsChanged()).isTrue();
        assertThat(plan.actionsOf(UpdateMailchimpMember.class)).isEmpty();
    }

    @Test
    void cleanedReplacesUnsubscribedMirror() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "Mailchimp: désabonné")),
                List.of(mc("a@exemple.fr", "cleaned", "Jean", "Dupont")),
                base("a@exemple.fr", "Jean", "Dupont"));
        assertThat(only(plan, UpdateCopperPerson.class).tags()).containsExactly("Mailchimp: nettoyé");
    }

    @Test
    void mirrorCanBeSwitchedOff() {
        Planner noMirror = new Planner(PlannerSettings.defaults().withMirrorStatuses(false));
        SyncPlan plan = noMirror.plan(List.of(cp("a@exemple.fr", "Jean", "Dupont")),
                List.of(mc("a@exemple.fr", "unsubscribed", "Jean", "Dupont")), NO_STATE, NOW);
        assertThat(plan.actions()).containsExactly(new SkipIdentical("a@exemple.fr"));
    }

    @Test
    void resubscribeTagClearedOnceBackOnTheAudience() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "Réinscription requise", "VIP")),
                List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont", "VIP")));
        UpdateCopperPerson update = only(plan, UpdateCopperPerson.class);
        assertThat(update.tags()).containsExactly("VIP");
        assertThat(update.tagsChanged()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unsubscribed", "cleaned", "archived", "transactional"})
    void mailchimpOnlyMemberWithOtherStatusIsNotCreatedInCopper(String status) {
        SyncPlan plan = plan(List.of(), List.of(mc("a@exemple.fr", status, "Jean", "Dupont")));
        assertThat(plan.actionsOf(CreateCopperPerson.class)).isEmpty();
        assertThat(plan.actions()).containsExactly(
                new Excluded("a@exemple.fr", Planner.SIDE_MAILCHIMP, "statut Mailchimp " + status, "hash-a@exemple.fr"));
        assertThat(plan.targets()).isEmpty();
    }

    @Test
    void aMemberArchivedByAnotherWhileItsCopperPersonIsActiveIsReportedNotSkipped() {
        Contact person = cp("a@exemple.fr", "Jean", "Dupont");
        SyncPlan plan = plan(List.of(person), List.of(mc("a@exemple.fr", "archived", "Jean", "Dupont")));
        // identical names and tags: before, a SkipIdentical (« Contact identique ignoré ») and nothing in the report
        assertThat(plan.actions()).containsExactly(new Excluded("a@exemple.fr", Planner.SIDE_MAILCHIMP,
                Planner.REASON_ARCHIVED_ACTIVE, person.sideId()));
        assertThat(plan.actionsOf(SkipIdentical.class)).isEmpty();
    }

    @Test
    void pendingMemberIsCreatedByDefaultAndImportStatusesAreConfigurable() {
        Contact pending = mc("p@exemple.fr", "pending", "Paul", "P");
        assertThat(plan(List.of(), List.of(pending)).actionsOf(CreateCopperPerson.class)).hasSize(1);
        Planner subscribedOnly = new Planner(PlannerSettings.defaults().withImportStatuses(Set.of("Subscribed")));
        SyncPlan plan = subscribedOnly.plan(List.of(), List.of(pending), NO_STATE, NOW);
        assertThat(plan.actions()).containsExactly(
                new Excluded("p@exemple.fr", Planner.SIDE_MAILCHIMP, "statut Mailchimp pending", "hash-p@exemple.fr"));
    }

    // ------------------------------------------------------------------------------------------------ names

    @Test
    void mailchimpMemberWithoutNameIsNotCreatedByDefault() {
        SyncPlan plan = plan(List.of(), List.of(mc("noname@exemple.fr", "subscribed", "", " ")));
        assertThat(plan.actions()).containsExactly(
                new NotSynced("noname@exemple.fr", Planner.SIDE_MAILCHIMP, Planner.REASON_NO_NAME,
                        "hash-noname@exemple.fr"));
        assertThat(plan.targets()).isEmpty();
        assertThat(plan.stats().notSynced()).isEqualTo(1);
    }

    @Test
    void memberWithOnlyALastNameIsCreated() {
        SyncPlan plan = plan(List.of(), List.of(mc("x@exemple.fr", "subscribed", "", "Dupont")));
        assertThat(only(plan, CreateCopperPerson.class).lastName()).isEqualTo("Dupont");
    }

    @Test
    void memberWithoutNameCreatedWithLocalPartWhenAllowed() {
        Planner lenient = new Planner(PlannerSettings.defaults().withCreateCopperWithoutName(true));
        SyncPlan plan = lenient.plan(List.of(), List.of(mc("J.Doe@exemple.fr", "subscribed", "", "")), NO_STATE,
                NOW);
        CreateCopperPerson create = only(plan, CreateCopperPerson.class);
        assertThat(create.firstName()).isEqualTo("j.doe");
        assertThat(create.lastName()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ data issues

    @Test
    void duplicateCopperEmailsAreNotSyncedAtAll() {
        Contact first = cp("Jean@Exemple.fr", "Jean", "Dupont");
        Contact second = cp(" jean@exemple.FR", "Jean", "Dupond");
        SyncPlan plan = plan(List.of(first, second, cp("ok@exemple.fr", "Ok", "Ok")),
                List.of(mc("jean@exemple.fr", "subscribed", "Jean", "Durand")));
        // each with its Copper id: the report names the records to merge
        assertThat(plan.actionsFor("jean@exemple.fr")).containsExactly(
                new NotSynced("jean@exemple.fr", Planner.SIDE_COPPER, Planner.REASON_DUPLICATE_COPPER, first.sideId()),
                new NotSynced("jean@exemple.fr", Planner.SIDE_COPPER, Planner.REASON_DUPLICATE_COPPER, second.sideId()));
        assertThat(plan.targets()).containsOnlyKeys("ok@exemple.fr");
        assertThat(plan.actionsOf(CreateMailchimpMember.class)).extracting(Action::email)
                .containsExactly("ok@exemple.fr");
    }

    @Test
    void personWithoutEmailIsNotSynced() {
        Contact none = new Contact("", null, "Sans", "Adresse", List.of(), null, "77", EARLY);
        Contact blank = cp("  ", "Blanc", "Blanc");
        SyncPlan plan = plan(List.of(none, blank), List.of());
        assertThat(plan.actions()).containsExactly(
                new NotSynced("", Planner.SIDE_COPPER, Planner.REASON_NO_EMAIL, "77"),
                new NotSynced("", Planner.SIDE_COPPER, Planner.REASON_NO_EMAIL, blank.sideId()));
        assertThat(plan.targets()).isEmpty();
    }

    @Test
    void invalidEmailIsNotSyncedAndBlocksAMatchingMember() {
        Contact jean = cp("jean@exemple", "Jean", "Dupont");
        SyncPlan plan = plan(List.of(jean, cp("ok@exemple.fr", "Ok", "Ok")),
                List.of(mc("jean@exemple", "subscribed", "Jean", "Dupont")));
        assertThat(plan.actionsFor("jean@exemple")).containsExactly(
                new NotSynced("jean@exemple", Planner.SIDE_COPPER, Planner.REASON_INVALID_EMAIL, jean.sideId()),
                new NotSynced("jean@exemple", Planner.SIDE_MAILCHIMP, Planner.REASON_INVALID_EMAIL, "hash-jean@exemple"));
        assertThat(plan.actionsOf(CreateCopperPerson.class)).isEmpty();
        assertThat(plan.actionsOf(CreateMailchimpMember.class)).hasSize(1);
    }

    @Test
    void mailchimpOnlyMemberWithAnAddressCopperCouldNotSyncIsNotCreated() {
        SyncPlan plan = plan(List.of(), List.of(mc("jéan@exemple.fr", "subscribed", "Jean", "Dupont")));
        assertThat(plan.actions()).containsExactly(
                new NotSynced("jéan@exemple.fr", Planner.SIDE_MAILCHIMP, Planner.REASON_INVALID_EMAIL,
                        "hash-jéan@exemple.fr"));
    }

    @Test
    void performanceSmoke() {
        List<Contact> copper = new ArrayList<>();
        List<Contact> mailchimp = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            copper.add(cp("c" + i + "@exemple.fr", "C", "N" + i, "client", "Salon " + (i % 50), "VIP"));
            mailchimp.add(mc("c" + i + "@exemple.fr", "subscribed", "C", "N" + i, "client", "webinar"));
        }
        long start = System.nanoTime();
        SyncPlan plan = plan(copper, mailchimp);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(plan.actionsOf(UpdateMailchimpMember.class)).hasSize(50_000);
        assertThat(millis).as("planning 50k contacts took %d ms", millis).isLessThan(20_000);
        System.out.println("planning 50k x 50k: " + millis + " ms");
    }

    @Test
    void rawEmailIsUsedWhenTheKeyIsBlank() {
        Contact raw = new Contact("", " Jean@Exemple.fr ", "Jean", "Dupont", List.of(), null, "5", EARLY);
        SyncPlan plan = plan(List.of(raw), List.of());
        assertThat(only(plan, CreateMailchimpMember.class).email()).isEqualTo("jean@exemple.fr");
    }

    @Test
    void missingCopperIdBlocksACopperUpdate() {
        Contact noId = new Contact("a@exemple.fr", "a@exemple.fr", "", "", List.of(), null, null, EARLY);
        SyncPlan plan = plan(List.of(noId), List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont")));
        assertThat(plan.actions()).containsExactly(
                new NotSynced("a@exemple.fr", Planner.SIDE_COPPER, Planner.REASON_INVALID_COPPER_ID));
        assertThat(plan.targets()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ TEST mode

    @Test
    void testModeOnlyTouchesMarkedAddresses() {
        Planner test = new Planner(PlannerSettings.defaults().withTestMode(true));
        SyncPlan plan = test.plan(
                List.of(cp("test1@EXEMPLE.fr", "T", "1"), cp("client@societe.fr", "C", "1"),
                        cp("", "No", "Mail"), cp("flag@societe.fr", "F", "1", "🗑️ À SUPPRIMER"),
                        cp("bad@exemple", "B", "1")),
                List.of(mc("test2@exemple.fr", "subscribed", "T", "2"), mc("vip@societe.fr", "subscribed", "V", "1"),
                        mc("client@societe.fr", "subscribed", "C", "2")),
                NO_STATE, NOW);
        assertThat(plan.actions()).extracting(Action::email)
                .containsExactly("bad@exemple", "test1@exemple.fr", "test2@exemple.fr");
        assertThat(plan.actions()).extracting(Action::getClass).map(Class::getSimpleName)
                .containsExactly("NotSynced", "CreateMailchimpMember", "CreateCopperPerson");
        assertThat(plan.targets()).containsOnlyKeys("test1@exemple.fr", "test2@exemple.fr");
        assertThat(plan.outsideTestMarker()).isEqualTo(5);
        assertThat(plan.stats().outsideTestMarker()).isEqualTo(5);
    }

    @Test
    void productionModeIgnoresTheMarker() {
        SyncPlan plan = plan(List.of(cp("client@societe.fr", "C", "1")), List.of());
        assertThat(plan.actionsOf(CreateMailchimpMember.class)).hasSize(1);
        assertThat(plan.outsideTestMarker()).isZero();
    }

    // ------------------------------------------------------------------------------------------------ deletion / inactive

    @ParameterizedTest
    @ValueSource(strings = {"🗑️ À SUPPRIMER", "🗑 À SUPPRIMER", "à supprimer", "  A   SUPPRIMER ", "DELETE",
            "remove"})
    void deletionTagFlagsThePersonAndNothingElse(String tag) {
        Contact person = cp("a@exemple.fr", "Jeanne", "Dupont", "VIP", tag);
        Contact member = mc("a@exemple.fr", "subscribed", "Jean", "Dupont");
        SyncPlan plan = plan(List.of(person), List.of(member), base("a@exemple.fr", "Jean", "Dupont"));
        assertThat(plan.actions()).containsExactly(new Flagged("a@exemple.fr", person, member, tag));
        assertThat(plan.targets()).isEmpty();
        assertThat(plan.stats().flagged()).isEqualTo(1);
    }

    @Test
    void flaggedCopperOnlyPersonHasNoMember() {
        Contact person = cp("a@exemple.fr", "Jean", "Dupont", "🗑️ À SUPPRIMER");
        SyncPlan plan = plan(List.of(person), List.of());
        assertThat(only(plan, Flagged.class).mailchimp()).isNull();
        assertThat(plan.actions()).hasSize(1);
    }

    @Test
    void deletionTagWinsOverAMissingEmail() {
        Contact person = new Contact("", "", "Sans", "Adresse", List.of("à supprimer"), null, "9", EARLY);
        SyncPlan plan = plan(List.of(person), List.of());
        assertThat(plan.actions()).containsExactly(new Flagged("", person, null, "à supprimer"));
    }

    @Test
    void tagsThatOnlyMentionDeletionAreSynced() {
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "NE PAS SUPPRIMER LE DEVIS",
                "Removed from webinar", "supprimer-ancien-devis")), List.of());
        assertThat(only(plan, CreateMailchimpMember.class).tags()).hasSize(3);
        assertThat(plan.actionsOf(Flagged.class)).isEmpty();
    }

    @Test
    void inactivePersonIsExcludedOnBothSides() {
        Contact inactive = cp("a@exemple.fr", "Jeanne", "Dupont", "📥 INACTIF");
        SyncPlan plan = plan(List.of(inactive), List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont")));
        assertThat(plan.actions()).containsExactly(
                new Excluded("a@exemple.fr", Planner.SIDE_COPPER, "tag inactif: 📥 INACTIF", inactive.sideId()));
        assertThat(plan.targets()).isEmpty();
        assertThat(plan.stats().excluded()).isEqualTo(1);
    }

    @Test
    void flaggedDuplicateIsFlaggedAndTheOtherIsNotSynced() {
        Contact flagged = cp("a@exemple.fr", "Jean", "Dupont", "à supprimer");
        Contact other = cp("A@exemple.fr", "Jean", "Dupont");
        SyncPlan plan = plan(List.of(flagged, other), List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont")));
        assertThat(plan.actions()).extracting(Action::getClass).map(Class::getSimpleName)
                .containsExactly("Flagged", "NotSynced");
        assertThat(plan.targets()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ state edge cases

    @Test
    void forgottenAddressIsNotRetriedEveryRun() {
        SyncedRecord forgotten = new SyncedRecord("a@exemple.fr", 1L, "Jean", "Dupont", Set.of(), Set.of(),
                Planner.FORGOTTEN_STATUS, EARLY);
        SyncPlan plan = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont")), List.of(), forgotten);
        assertThat(plan.actions()).containsExactly(
                new Excluded("a@exemple.fr", Planner.SIDE_MAILCHIMP, Planner.REASON_FORGOTTEN));
        // back on the audience: synced again, resubscribe tag cleared
        SyncPlan back = plan(List.of(cp("a@exemple.fr", "Jean", "Dupont", "Réinscription requise")),
                List.of(mc("a@exemple.fr", "pending", "Jean", "Dupont")), forgotten);
        assertThat(only(back, UpdateCopperPerson.class).tags()).isEmpty();
        assertThat(back.targets().get("a@exemple.fr").mailchimpStatus()).isEqualTo("pending");
    }

    @Test
    void personDeletedInCopperIsNotRecreated() {
        SyncPlan plan = plan(List.of(), List.of(mc("a@exemple.fr", "subscribed", "Jean", "Dupont")),
                base("a@exemple.fr", "Jean", "Dupont"));
        assertThat(plan.actionsOf(CreateCopperPerson.class)).isEmpty();
        assertThat(plan.actions()).containsExactly(
                new Excluded("a@exemple.fr", Planner.SIDE_COPPER, Planner.REASON_DELETED_IN_COPPER));
    }

    @Test
    void nullStateAnswerIsTreatedAsNoState() {
        SyncPlan plan = planner.plan(List.of(cp("a@exemple.fr", "Jean", "D")), List.of(), k -> null, NOW);
        assertThat(plan.actionsOf(CreateMailchimpMember.class)).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------------ determinism

    @Test
    void outputIsSortedAndIndependentOfInputOrder() {
        List<Contact> copper = new ArrayList<>();
        List<Contact> mailchimp = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            copper.add(cp("c" + i + "@exemple.fr", "C", String.valueOf(i), "t" + (i % 3)));
            mailchimp.add(mc("m" + i + "@exemple.fr", i % 4 == 0 ? "unsubscribed" : "subscribed", "M", "x"));
            if (i % 2 == 0) {
                mailchimp.add(mc("c" + i + "@exemple.fr", "subscribed", "C", "old"));
            }
        }
        SyncPlan first = plan(copper, mailchimp);
        Collections.shuffle(copper, new Random(42));
        Collections.shuffle(mailchimp, new Random(7));
        SyncPlan second = plan(copper, mailchimp);
        assertThat(second.actions()).isEqualTo(first.actions());
        assertThat(new ArrayList<>(second.targets().keySet())).isEqualTo(new ArrayList<>(first.targets().keySet()))
                .isSorted();
        assertThat(first.actions()).extracting(Action::email).isSorted();
    }

    // ------------------------------------------------------------------------------------------------ round trip

    /** Both sides and the state, changed the way a successful execution would change them. */
    static final class World {
        final List<Contact> copper = new ArrayList<>();
        final Map<String, Contact> mailchimp = new java.util.TreeMap<>();
        final Map<String, SyncedRecord> state = new HashMap<>();

        SyncPlan run(Planner planner) {
            SyncPlan plan = planner.plan(List.copyOf(copper), List.copyOf(mailchimp.values()),
                    k -> Optional.ofNullable(state.get(k)), NOW);
            for (Action action : plan.actions()) {
                if (action instanceof CreateMailchimpMember c) {
                    mailchimp.put(c.email(), new Contact(c.email(), c.email(), c.copper().firstName(),
                            c.copper().lastName(), List.copyOf(c.tags()), c.status(), "h", NOW));
                } else if (action instanceof UpdateMailchimpMember u) {
                    Contact m = mailchimp.get(u.email());
                    Set<String> tags = new LinkedHashSet<>(m.tags());
                    tags.addAll(u.tagsToAdd());
                    tags.removeIf(t -> u.tagsToRemove().stream().anyMatch(r -> r.equalsIgnoreCase(t)));
                    mailchimp.put(u.email(), new Contact(m.email(), m.rawEmail(),
                            u.namesChanged() ? u.firstName() : m.firstName(),
                            u.namesChanged() ? u.lastName() : m.lastName(), List.copyOf(tags), m.status(),
                            m.sideId(), NOW));
                } else if (action instanceof CreateCopperPerson c) {
                    copper.add(new Contact(c.email(), c.email(), c.firstName(), c.lastName(), List.of(), null,
                            String.valueOf(IDS.incrementAndGet()), NOW));
                } else if (action instanceof UpdateCopperPerson u) {
                    int index = copper.indexOf(u.copper());
                    Contact p = copper.get(index);
                    copper.set(index, new Contact(p.email(), p.rawEmail(),
                            u.namesChanged() ? u.firstName() : p.firstName(),
                            u.namesChanged() ? u.lastName() : p.lastName(), u.tagsChanged() ? u.tags() : p.tags(),
                            null, p.sideId(), NOW));
                }
            }
            state.putAll(plan.targets());
            return plan;
        }
    }

    @Nested
    class SecondRunWritesNothing {

        @Test
        void afterAMixedFirstRun() {
            World world = new World();
            world.copper.add(cp("a@exemple.fr", "Jean", "Dupont", "VIP", "Client"));
            world.copper.add(cp("b@exemple.fr", "", "Martin", "Salon"));
            world.copper.add(cp("c@exemple.fr", "Claire", "", "Mailchimp: nettoyé"));
            world.copper.add(cp("dup@exemple.fr", "D", "1"));
            world.copper.add(cp("DUP@exemple.fr", "D", "2"));
            world.mailchimp.put("b@exemple.fr", mc("b@exemple.fr", "subscribed", "Bruno", "", "webinar"));
            world.mailchimp.put("c@exemple.fr", mc("c@exemple.fr", "unsubscribed", "Claire", "Petit"));
            world.mailchimp.put("d@exemple.fr", mc("d@exemple.fr", "subscribed", "Denis", "D"));
            world.mailchimp.put("e@exemple.fr", mc("e@exemple.fr", "cleaned", "Eve", "E"));

            SyncPlan first = world.run(planner);
            assertThat(first.stats().writes()).isGreaterThan(0);
            SyncPlan second = world.run(planner);
            assertThat(second.writesNothing()).as("second run %s", second.actions()).isTrue();
            assertThat(second.stats().identical()).isEqualTo(first.targets().size());
        }

        @Test
        void afterAConflictAndATagRemoval() {
            World world = new World();
            world.copper.add(at(cp("a@exemple.fr", "Jean", "Dupont", "VIP", "Salon"), EARLY));
            world.mailchimp.put("a@exemple.fr", mc("a@exemple.fr", "subscribed", "Jean", "Dupont"));
            world.run(planner);
            assertThat(world.mailchimp.get("a@exemple.fr").tags()).containsExactly("VIP", "Salon");

            Contact p = world.copper.get(0);
            world.copper.set(0, new Contact(p.email(), p.rawEmail(), "Jeanne", p.lastName(), List.of("VIP"), null,
                    p.sideId(), EARLY));
            Contact m = world.mailchimp.get("a@exemple.fr");
            world.mailchimp.put(m.email(), new Contact(m.email(), m.rawEmail(), "Janine", m.lastName(),
                    List.of("VIP", "Salon", "marketing"), m.status(), m.sideId(), LATE));
            SyncPlan conflict = world.run(planner);
            assertThat(conflict.conflicts()).hasSize(1);
            assertThat(world.copper.get(0).firstName()).isEqualTo("Janine");
            assertThat(world.mailchimp.get("a@exemple.fr").tags()).containsExactly("VIP", "marketing");

            assertThat(world.run(planner).writesNothing()).isTrue();
        }

        @Test
        void afterCreatingANamelessMemberInCopper() {
            Planner lenient = new Planner(PlannerSettings.defaults().withCreateCopperWithoutName(true));
            World world = new World();
            world.mailchimp.put("jdoe@exemple.fr", mc("jdoe@exemple.fr", "subscribed", "", ""));
            world.run(lenient);
            assertThat(world.copper).extracting(Contact::firstName).containsExactly("jdoe");
            SyncPlan second = world.run(lenient);
            assertThat(second.actions()).containsExactly(new SkipIdentical("jdoe@exemple.fr"));
            assertThat(world.mailchimp.get("jdoe@exemple.fr").firstName()).isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------ settings

    @Test
    void settingsDefaults() {
        PlannerSettings defaults = PlannerSettings.defaults();
        assertThat(defaults.testMode()).isFalse();
        assertThat(defaults.testMarker()).isEqualTo("@exemple");
        assertThat(defaults.importStatuses()).containsExactlyInAnyOrder("subscribed", "pending");
        assertThat(defaults.newMemberStatus()).isEqualTo("subscribed");
        assertThat(defaults.createCopperWithoutName()).isFalse();
        assertThat(defaults.mirrorStatuses()).isTrue();
        assertThat(defaults.tagRules()).isEqualTo(TagRules.defaults());
        assertThat(defaults.tagRules().deletionTag()).isEqualTo("🗑️ À SUPPRIMER");
        assertThat(defaults.withTestMarker(" @TEST ").testMarker()).isEqualTo("@test");
    }

    @Test
    void settingsRejectAnUnknownNewMemberStatus() {
        assertThatThrownBy(() -> PlannerSettings.defaults().withNewMemberStatus("cleaned"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cleaned");
    }

    @Test
    void customMarker() {
        Planner custom = new Planner(PlannerSettings.defaults().withTestMode(true).withTestMarker("+sync@"));
        SyncPlan plan = custom.plan(List.of(cp("jean+SYNC@societe.fr", "J", "D"), cp("jean@exemple.fr", "J", "D")),
                List.of(), NO_STATE, NOW);
        assertThat(plan.actions()).extracting(Action::email).containsExactly("jean+sync@societe.fr");
    }

    @Test
    void twoArgumentPlanConstructorStillWorks() {
        SyncPlan plan = new SyncPlan(List.of(new SkipIdentical("b"), new SkipIdentical("a")), Map.of());
        assertThat(plan.outsideTestMarker()).isZero();
        assertThat(plan.stats().identical()).isEqualTo(2);
        assertThat(plan.stats().writes()).isZero();
    }
}

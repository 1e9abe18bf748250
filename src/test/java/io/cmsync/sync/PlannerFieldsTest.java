package io.cmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The mapped fields beyond the names: per-field three-way merge, one-way fields, refused values. */
class PlannerFieldsTest {
    static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");
    static final Instant EARLY = Instant.parse("2026-01-05T08:00:00Z");
    static final Instant LATE = Instant.parse("2026-01-08T08:00:00Z");
    static final String EMAIL = "ana@exemple.fr";

    /** Mailchimp's SECTEUR dropdown knows these choices only. */
    static final FieldRule.ValueCheck SECTEUR_CHOICES =
            v -> Set.of("Industrie", "Commerce").contains(v) ? null : "« " + v + " » n'est pas un choix de SECTEUR";

    static final List<FieldRule> RULES = List.of(
            new FieldRule("phone", FlowDirection.BOTH),
            new FieldRule("secteur", FlowDirection.BOTH, SECTEUR_CHOICES, null),
            new FieldRule("company", FlowDirection.COPPER_TO_MAILCHIMP),
            new FieldRule("score", FlowDirection.MAILCHIMP_TO_COPPER));

    private final Planner planner = new Planner(PlannerSettings.defaults(), RULES);

    static Contact copper(Instant modified, Map<String, String> fields) {
        return new Contact(EMAIL, EMAIL, "Ana", "Lopez", List.of(), null, "1001", modified, fields);
    }

    static Contact member(Instant modified, Map<String, String> fields) {
        return new Contact(EMAIL, EMAIL, "Ana", "Lopez", List.of(), "subscribed", "hash-ana", modified, fields);
    }

    static SyncedRecord base(Map<String, String> fields) {
        return new SyncedRecord(EMAIL, 1001L, "Ana", "Lopez", Set.of(), Set.of(), "subscribed", EARLY, fields);
    }

    private SyncPlan plan(Contact c, Contact m, SyncedRecord base) {
        return planner.plan(c == null ? List.of() : List.of(c), m == null ? List.of() : List.of(m),
                e -> Optional.ofNullable(base), NOW);
    }

    @Test
    void aFieldChangedInCopperIsWrittenToMailchimpAloneAndRecorded() {
        Map<String, String> was = Map.of("phone", "01 02", "secteur", "Industrie", "company", "Acme", "score", "3");
        SyncPlan plan = plan(copper(LATE, Map.of("phone", "06 07", "secteur", "Industrie", "company", "Acme",
                "score", "3")), member(EARLY, was), base(was));

        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.UpdateMailchimpMember.class, u -> {
            assertThat(u.fields()).containsExactly(Map.entry("phone", "06 07"));
            assertThat(u.namesChanged()).isFalse();
            assertThat(u.memberChanged()).isTrue();
        });
        assertThat(plan.targets().get(EMAIL).fields()).containsEntry("phone", "06 07").containsEntry("score", "3");
    }

    @Test
    void aFieldChangedOnBothSidesGoesToTheNewestChangeAndIsAConflict() {
        Map<String, String> was = Map.of("phone", "01");
        SyncPlan plan = plan(copper(EARLY, Map.of("phone", "02")), member(LATE, Map.of("phone", "03")), base(was));

        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.UpdateCopperPerson.class, u -> {
            assertThat(u.fields()).containsExactly(Map.entry("phone", "03"));
            assertThat(u.conflicts()).singleElement().satisfies(c -> {
                assertThat(c.field()).isEqualTo("phone");
                assertThat(c.copperValue()).isEqualTo("02");
                assertThat(c.mailchimpValue()).isEqualTo("03");
                assertThat(c.winner()).isEqualTo(Planner.SIDE_MAILCHIMP);
            });
        });
    }

    @Test
    void aOneWayFieldOverwritesItsTargetAndNeverFlowsBack() {
        Map<String, String> was = Map.of("company", "Acme", "score", "3");
        // Mailchimp changed the company (Copper's field) and Copper changed the score (Mailchimp's field)
        SyncPlan plan = plan(copper(LATE, Map.of("company", "Acme", "score", "9")),
                member(LATE, Map.of("company", "Acme SA", "score", "3")), base(was));

        assertThat(plan.actions()).hasSize(2);
        assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(
                Action.UpdateMailchimpMember.class, u -> assertThat(u.fields()).containsExactly(Map.entry("company", "Acme"))));
        assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(
                Action.UpdateCopperPerson.class, u -> assertThat(u.fields()).containsExactly(Map.entry("score", "3"))));
    }

    @Test
    void aValueTheOtherSideRefusesIsReportedAndTheRestOfTheContactSyncs() {
        Map<String, String> was = Map.of("phone", "01", "secteur", "Industrie");
        SyncPlan plan = plan(copper(LATE, Map.of("phone", "02", "secteur", "Agriculture")),
                member(EARLY, was), base(was));

        assertThat(plan.actions()).hasSize(2);
        assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Action.FieldRefused.class, r -> {
            assertThat(r.side()).isEqualTo(Planner.SIDE_MAILCHIMP);
            assertThat(r.field()).isEqualTo("secteur");
            assertThat(r.value()).isEqualTo("Agriculture");
            assertThat(r.reason()).contains("SECTEUR");
            assertThat(r.id()).isEqualTo("1001");
        }));
        assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(
                Action.UpdateMailchimpMember.class, u -> assertThat(u.fields()).containsExactly(Map.entry("phone", "02"))));
        // the state keeps the last synced value, so the next run tries again instead of taking Mailchimp's as new
        assertThat(plan.targets().get(EMAIL).fields()).containsEntry("secteur", "Industrie").containsEntry("phone", "02");
    }

    @Test
    void aRefusedValueAloneIsNotCalledIdentical() {
        Map<String, String> was = Map.of("secteur", "Industrie");
        SyncPlan plan = plan(copper(LATE, Map.of("secteur", "Agriculture")), member(EARLY, was), base(was));

        assertThat(plan.actions()).singleElement().isInstanceOf(Action.FieldRefused.class);
    }

    @Test
    void aContactOnOneSideBringsItsAcceptedFieldsFlowingThatWay() {
        SyncPlan plan = plan(copper(EARLY, Map.of("phone", "06", "secteur", "Agriculture", "company", "Acme",
                "score", "9")), null, null);

        assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(
                Action.CreateMailchimpMember.class,
                c -> assertThat(c.fields()).containsOnly(Map.entry("phone", "06"), Map.entry("company", "Acme"))));
        assertThat(plan.actions()).anySatisfy(a -> assertThat(a).isInstanceOf(Action.FieldRefused.class));
        assertThat(plan.targets().get(EMAIL).fields()).containsOnlyKeys("phone", "company");

        SyncPlan back = plan(null, member(EARLY, Map.of("phone", "07", "score", "4", "company", "X")), null);
        assertThat(back.actions()).singleElement().isInstanceOfSatisfying(Action.CreateCopperPerson.class,
                c -> assertThat(c.fields()).containsOnly(Map.entry("phone", "07"), Map.entry("score", "4")));
    }

    @Test
    void equalFieldsAreIdenticalAndAnEmptyValueNeverOverwrites() {
        Map<String, String> same = Map.of("phone", "01", "secteur", "Commerce");
        assertThat(plan(copper(LATE, same), member(EARLY, same), base(same)).actions())
                .singleElement().isInstanceOf(Action.SkipIdentical.class);

        // Copper's empty phone does not clear Mailchimp's: Copper gets Mailchimp's number instead
        SyncPlan plan = plan(copper(LATE, Map.of("phone", "")), member(EARLY, Map.of("phone", "01")), null);
        assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(Action.UpdateCopperPerson.class,
                u -> assertThat(u.fields()).containsExactly(Map.entry("phone", "01")));
        assertThat(plan.targets().get(EMAIL).fields()).containsEntry("phone", "01");
    }

    @Test
    void withoutRulesTheFieldsAreIgnored() {
        Planner names = new Planner(PlannerSettings.defaults());
        SyncPlan plan = names.plan(List.of(copper(LATE, Map.of("phone", "02"))),
                List.of(member(EARLY, Map.of("phone", "01"))), e -> Optional.empty(), NOW);
        assertThat(plan.actions()).singleElement().isInstanceOf(Action.SkipIdentical.class);
        assertThat(plan.targets().get(EMAIL).fields()).isEmpty();
    }
}

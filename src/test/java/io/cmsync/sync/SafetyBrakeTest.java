package io.cmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SafetyBrakeTest {
    private final SafetyBrake brake = new SafetyBrake(SafetyBrake.Limits.defaults());

    private static Contact c(String email, String first, String last, String... tags) {
        return new Contact(email, email, first, last, List.of(tags), "subscribed", "1", null);
    }

    private static Action mcUpdate(int i, Set<String> remove) {
        String e = "m" + i + "@x.fr";
        return new Action.UpdateMailchimpMember(e, c(e, "A", "B"), c(e, "A", "C"), "A", "B", true, Set.of(), remove, List.of());
    }

    private static SyncPlan plan(List<Action> actions) {
        return new SyncPlan(actions, Map.of());
    }

    private static List<Action> mcUpdates(int n) {
        List<Action> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(mcUpdate(i, Set.of()));
        }
        return l;
    }

    @Test
    void aSmallPlanPasses() {
        assertThat(brake.check(plan(mcUpdates(3)), 1000, 1000, true, false, false).blocked()).isFalse();
    }

    @Test
    void updatesWithinTheGraceAlwaysPassWhateverTheRatio() {
        assertThat(brake.check(plan(mcUpdates(25)), 30, 30, false, false, false).blocked()).isFalse();
    }

    @Test
    void moreThanFivePercentOfTheAudienceUpdatedIsBlocked() {
        SafetyBrake.Verdict v = brake.check(plan(mcUpdates(60)), 1000, 1000, false, false, false);
        assertThat(v.blocked()).isTrue();
        assertThat(v.summary()).contains("60 mises à jour Mailchimp sur 1000", "6.0%", "5.0%", "safety.max-update-ratio");
        assertThat(brake.check(plan(mcUpdates(50)), 1000, 1000, false, false, false).blocked()).as("exactly 5%").isFalse();
    }

    @Test
    void copperUpdatesAreMeasuredAgainstCopper() {
        List<Action> l = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String e = "p" + i + "@x.fr";
            l.add(new Action.UpdateCopperPerson(e, i, c(e, "A", "B"), c(e, "A", "B"), "A", "C", true, List.of(), false, List.of()));
        }
        assertThat(brake.check(plan(l), 100, 100_000, false, false, false).summary()).contains("Copper", "40.0%");
        assertThat(brake.check(plan(l), 1000, 100, false, false, false).blocked()).isFalse();
    }

    @Test
    void aMappedFieldChangedForTooManyContactsIsBlockedAndNamed() {
        List<Action> l = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String e = "p" + i + "@x.fr";
            // half the writes go each way: the field counts both sides, the sides stay under their own ratio
            if (i % 2 == 0) {
                l.add(new Action.UpdateMailchimpMember(e, c(e, "A", "B"), c(e, "A", "B"), "A", "B", false, Set.of(),
                        Set.of(), List.of(), java.util.Map.of("secteur", "Santé")));
            } else {
                l.add(new Action.UpdateCopperPerson(e, i, c(e, "A", "B"), c(e, "A", "B"), "A", "B", false, List.of(),
                        false, List.of(), java.util.Map.of("secteur", "Santé")));
            }
        }
        SafetyBrake.Verdict v = brake.check(plan(l), 500, 500, false, false, false);
        assertThat(v.blocked()).isTrue();
        assertThat(v.reasons()).singleElement().asString().contains("« secteur »", "40 contacts sur 500", "8.0%");
        assertThat(brake.check(plan(l.subList(0, 25)), 500, 500, false, false, false).blocked())
                .as("within the grace").isFalse();
    }

    @Test
    void tooManyRemovalsAreBlocked() {
        List<Action> l = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            l.add(mcUpdate(i, Set.of("vip", "client", "salon")));
        }
        SafetyBrake.Verdict v = brake.check(plan(l), 100_000, 100_000, false, false, false);
        assertThat(v.removals()).isEqualTo(60);
        assertThat(v.summary()).contains("60 suppressions prévues", "safety.max-removals");
    }

    @Test
    void copperTagRemovalsAndEmptiedNamesCount() {
        String e = "p@x.fr";
        Action u = new Action.UpdateCopperPerson(e, 1, c(e, "Anna", "Arnaud", "a", "b", "c"), c(e, "", ""), "", "",
                true, List.of("a"), true, List.of());
        assertThat(SafetyBrake.removals(plan(List.of(u)))).isEqualTo(4);
    }

    @Test
    void theFirstProductionRunShowsItsPlanFirst() {
        SafetyBrake.Verdict v = brake.check(plan(mcUpdates(1)), 10, 10, true, true, false);
        assertThat(v.blocked()).isTrue();
        assertThat(v.summary()).contains("PRODUCTION");
        assertThat(brake.check(plan(mcUpdates(1)), 10, 10, false, true, false).blocked()).as("TEST mode").isFalse();
        assertThat(brake.check(plan(mcUpdates(1)), 10, 10, true, false, false).blocked()).as("later runs").isFalse();
        assertThat(new SafetyBrake(new SafetyBrake.Limits(0.05, 25, 50, false))
                .check(plan(mcUpdates(1)), 10, 10, true, true, false).blocked()).as("setting off").isFalse();
    }

    @Test
    void aConfirmedPlanIsNeverBlocked() {
        assertThat(brake.check(plan(mcUpdates(500)), 10, 10, true, true, true).blocked()).isFalse();
    }

    @Test
    void anEmptyAudienceDoesNotDivideByZero() {
        assertThat(brake.check(plan(mcUpdates(30)), 0, 0, false, false, false).blocked()).isTrue();
        assertThat(brake.check(plan(List.of()), 0, 0, false, false, false).blocked()).isFalse();
    }
}

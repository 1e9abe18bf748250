package io.cmsync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cmsync.sync.Contact;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SyncedRecord;

/** The run's staging tables, on both databases the state can live in (see the subclasses). */
abstract class RunStagingTest {
    /** {@code h2} or {@code postgresql}: each runs these tests in a subclass (one report per database). */
    abstract String database();

    @TempDir
    Path dir;
    StateStore store;
    RunStaging staging;

    @BeforeEach
    void open() {
        store = StateStore.open(TestDatabases.of(database(), dir));
        staging = store.staging();
        staging.clear();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Contact person(String email, String first, String id, String... tags) {
        return new Contact(email, email, first, "Nom", List.of(tags), null, id, Instant.parse("2025-01-01T00:00:00Z"));
    }

    private static Contact member(String email, String first, String status) {
        return new Contact(email, email.toUpperCase(), first, "", List.of(), status, "hash-" + email, null);
    }

    private void copper(Contact c) {
        staging.addCopper(Planner.key(c), c);
    }

    private void mailchimp(Contact c) {
        staging.addMailchimp(Planner.key(c), c);
    }

    @Test
    void contactsComeBackWhole() {
        Contact anna = person("anna@exemple.fr", "Anna", "12", "vip", "vip", "salon 2025");
        Contact bob = new Contact("bob@exemple.fr", " Bob@Exemple.fr ", "Bob", "B", null, "subscribed", "h", null);
        copper(anna);
        mailchimp(bob);

        assertThat(staging.copper()).containsExactly(anna);
        assertThat(staging.mailchimp()).containsExactly(bob);
        assertThat(staging.copperPerson("anna@exemple.fr")).contains(anna);
        assertThat(staging.copperPerson("nobody@exemple.fr")).isEmpty();
    }

    @Test
    void copperKeepsDuplicatesMailchimpTheFirstMemberReadPerEmail() {
        copper(person("dup@exemple.fr", "One", "1"));
        copper(person("dup@exemple.fr", "Two", "2"));
        mailchimp(member("m@exemple.fr", "First", "subscribed"));
        mailchimp(member("m@exemple.fr", "Archived", "archived"));

        assertThat(staging.copperCount()).isEqualTo(2);
        assertThat(staging.mailchimpCount()).isEqualTo(1);
        assertThat(staging.copperBetween(null, "z")).extracting(Contact::firstName).containsExactly("One", "Two");
        assertThat(staging.mailchimpBetween(null, "z")).extracting(Contact::firstName).containsExactly("First");
        assertThat(staging.copperPerson("dup@exemple.fr")).get().extracting(Contact::firstName).isEqualTo("One");
    }

    @Test
    void chunksCoverEveryKeyOfBothSidesOnceInOrder() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) { // more than one insert batch
            String email = String.format("c%04d@exemple.fr", i);
            if (i % 3 != 0 || i % 2 == 0) {
                keys.add(email);
            }
            if (i % 3 != 0) {
                copper(person(email, "P" + i, String.valueOf(i)));
            }
            if (i % 2 == 0) {
                mailchimp(member(email, "M" + i, "subscribed"));
            }
        }
        copper(person("", "Sans", "9999")); // no e-mail: key ""
        keys.add(0, "");

        List<String> bounds = staging.chunkBounds(7);
        assertThat(bounds).hasSize((keys.size() + 6) / 7).isSorted();
        List<String> seen = new ArrayList<>();
        String after = null;
        for (String upTo : bounds) {
            Set<String> chunk = new java.util.TreeSet<>();
            staging.copperBetween(after, upTo).forEach(c -> chunk.add(Planner.key(c)));
            staging.mailchimpBetween(after, upTo).forEach(c -> chunk.add(Planner.key(c)));
            assertThat(chunk).hasSizeLessThanOrEqualTo(7);
            seen.addAll(chunk);
            after = upTo;
        }
        assertThat(seen).containsExactlyElementsOf(keys);
    }

    @Test
    void targetsTakeTheCreatedCopperIdAndArePagedInEmailOrder() {
        Instant now = Instant.parse("2025-06-01T10:00:00Z");
        staging.addTargets(List.of(
                new SyncedRecord("b@exemple.fr", null, "B", "", Set.of(), Set.of(), "subscribed", now),
                new SyncedRecord("a@exemple.fr", 7L, "A", "", Set.of("vip"), Set.of("vip"), "subscribed", now),
                new SyncedRecord("c@exemple.fr", null, "C", "", Set.of(), Set.of(), "subscribed", now)));
        staging.createdCopperId("b@exemple.fr", 42L);

        List<SyncedRecord> first = staging.targetsAfter(null, 2);
        assertThat(first).extracting(SyncedRecord::email).containsExactly("a@exemple.fr", "b@exemple.fr");
        assertThat(first.get(0).tags()).containsExactly("vip");
        assertThat(first.get(1).copperId()).isEqualTo(42L);
        List<SyncedRecord> rest = staging.targetsAfter("b@exemple.fr", 2);
        assertThat(rest).singleElement().satisfies(r -> assertThat(r.copperId()).isNull());
        assertThat(staging.targetsAfter("c@exemple.fr", 2)).isEmpty();
    }

    @Test
    void clearEmptiesTheRunsStagingButNotTheSyncedState() {
        copper(person("a@exemple.fr", "A", "1"));
        mailchimp(member("a@exemple.fr", "A", "subscribed"));
        staging.addTargets(List.of(new SyncedRecord("a@exemple.fr", 1L, "A", "", Set.of(), Set.of(), "subscribed",
                Instant.now())));
        store.save(new SyncedRecord("a@exemple.fr", 1L, "A", "", Set.of(), Set.of(), "subscribed", Instant.now()));

        staging.clear();

        assertThat(staging.copperCount()).isZero();
        assertThat(staging.mailchimpCount()).isZero();
        assertThat(staging.chunkBounds(10)).isEmpty();
        assertThat(staging.targetsAfter(null, 10)).isEmpty();
        assertThat(store.find("a@exemple.fr")).isPresent();
    }

    @Test
    void aRecordWithoutCopperIdComesBackWithout() {
        store.save(new SyncedRecord("x@exemple.fr", null, "X", "", Set.of(), Set.of(), "subscribed", Instant.now()));
        assertThat(store.find("x@exemple.fr")).get().extracting(SyncedRecord::copperId).isNull();
    }
}

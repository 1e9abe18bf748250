package io.cmsync.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EchoLedgerTest {

    @Test
    void aFirstSyncExpectsWhatItReadPlusWhatItCreated() {
        EchoLedger l = new EchoLedger();
        for (long id = 1; id <= 5; id++) {
            l.copperRead(id);
        }
        l.mailchimpRead(false, "a@x.fr");
        l.mailchimpRead(false, "b@x.fr");
        l.copperCreated(100);
        l.copperCreated(200);
        l.mailchimpCreated(150);
        l.copperChanged("read-and-updated@x.fr", 120); // read in the window: already counted

        assertThat(l.expectedCopper()).isEqualTo(7);
        assertThat(l.expectedMailchimp()).isEqualTo(3);
        assertThat(l.expectedMailchimpArchived()).isZero();
        assertThat(l.wroteSomething()).isTrue();
        assertThat(l.lastWriteMillis()).isEqualTo(200);
    }

    @Test
    void aRecordListedTwiceWhileReadingCountsOnce() {
        EchoLedger l = new EchoLedger();
        l.copperRead(7L);
        l.copperRead(7L); // changed by someone during the read: moved to the end of the date_modified order
        l.copperRead(null);
        l.mailchimpRead(false, "Ann@X.fr");
        l.mailchimpRead(false, "ann@x.fr ");

        assertThat(l.expectedCopper()).as("one id, plus one record without id").isEqualTo(2);
        assertThat(l.expectedMailchimp()).isEqualTo(1);
        assertThat(l.wroteSomething()).isFalse();
    }

    @Test
    void writesToHydratedContactsAddThemToTheWindowOnce() {
        EchoLedger l = new EchoLedger();
        l.copperHydrated("h@x.fr");
        l.mailchimpHydrated("m@x.fr");
        l.copperChanged("h@x.fr", 1);
        l.copperChanged("h@x.fr", 2); // names, then the resubscribe tag: still one person
        l.mailchimpChanged("m@x.fr", 3);
        l.mailchimpChanged("read@x.fr", 4);

        assertThat(l.expectedCopper()).isEqualTo(1);
        assertThat(l.expectedMailchimp()).isEqualTo(1);
    }

    @Test
    void restoringAnArchivedMemberMovesItBetweenListings() {
        EchoLedger l = new EchoLedger();
        l.mailchimpRead(true, "back@x.fr");
        l.mailchimpRead(true, "stays@x.fr");
        l.mailchimpRestored("back@x.fr", 10);

        assertThat(l.expectedMailchimpArchived()).isEqualTo(1);
        assertThat(l.expectedMailchimp()).isEqualTo(1);
    }
}

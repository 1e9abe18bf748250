package io.cmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the counted window must hold after a run if nobody else changed anything (overlap of 5 s here). */
class EchoLedgerTest {
    private final EchoLedger ledger = new EchoLedger(5);

    @Test
    void theWindowHoldsTheTailReadTheCreationsAndEveryOtherRecordWritten() {
        ledger.copperRead("old@x.fr", 1_000);
        ledger.copperRead("tail1@x.fr", 1_996);
        ledger.copperRead("tail2@x.fr", 2_000);
        ledger.copperCreated(10);
        ledger.copperCreated(20);
        ledger.copperChanged("old@x.fr", 30);   // moved into the window by the run's write
        ledger.copperChanged("tail1@x.fr", 40); // already in it
        ledger.copperChanged("old@x.fr", 50);   // written twice, one record

        long floor = ledger.floor(ledger.copperNewest(), 0);
        assertThat(floor).isEqualTo(1_995);
        assertThat(ledger.expectedCopper(floor)).as("2 in the tail + 2 created + old").isEqualTo(5);
        assertThat(ledger.lastWriteMillis()).isEqualTo(50);
    }

    @Test
    void aRecordListedTwiceWhileReadingCountsOnce() {
        ledger.copperRead("moved@x.fr", 1_000);
        ledger.copperRead("moved@x.fr", 2_000); // changed by someone during the read: listed again at the end
        ledger.mailchimpRead(false, "Ann@X.fr", 2_000);
        ledger.mailchimpRead(false, "ann@x.fr ", 2_000);

        assertThat(ledger.expectedCopper(ledger.floor(ledger.copperNewest(), 0))).isEqualTo(1);
        assertThat(ledger.expectedMailchimp(ledger.floor(ledger.mailchimpNewest(), 0))).isEqualTo(1);
        assertThat(ledger.wroteSomething()).isFalse();
    }

    @Test
    void nothingReadMeansTheWindowHoldsOnlyTheRunsWrites() {
        ledger.mailchimpCreated(1);
        ledger.mailchimpChanged("a@x.fr", 2);

        assertThat(ledger.mailchimpNewest()).isNull();
        assertThat(ledger.expectedMailchimp(Long.MIN_VALUE)).isEqualTo(2);
        assertThat(ledger.expectedMailchimpArchived(Long.MIN_VALUE)).isZero();
    }

    @Test
    void restoringAnArchivedMemberMovesItFromTheArchivedListingToTheDefaultOne() {
        ledger.mailchimpRead(true, "back@x.fr", 3_000);
        ledger.mailchimpRead(true, "stays@x.fr", 3_000);
        ledger.mailchimpChanged("back@x.fr", 10);

        long floor = ledger.floor(ledger.mailchimpNewest(), 0);
        assertThat(ledger.expectedMailchimpArchived(floor)).isEqualTo(1);
        assertThat(ledger.expectedMailchimp(floor)).isEqualTo(1);
    }

    @Test
    void aLargeReadKeepsOnlyItsTailInMemoryAndCountsItExactly() {
        for (int i = 0; i < 100_000; i++) {
            ledger.copperRead("p" + i + "@x.fr", i / 10); // ten people a second, oldest first (Copper's sort)
        }
        long floor = ledger.floor(ledger.copperNewest(), 0);
        assertThat(ledger.expectedCopper(floor)).as("the last 5 seconds: 50 people").isEqualTo(50);
    }
}

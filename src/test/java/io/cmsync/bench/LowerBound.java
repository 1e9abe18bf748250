package io.cmsync.bench;

/**
 * The fewest API calls a scenario allows, from the documented page and batch limits: Copper search pages of 200,
 * Mailchimp member pages of 1,000, Mailchimp batch subscribe of 500 members, Copper bulk create/update of 10 people.
 */
public record LowerBound(long copperReads, long mailchimpReads, long copperWrites, long mailchimpWrites) {
    public static final int COPPER_PAGE = 200;
    public static final int MAILCHIMP_PAGE = 1000;
    public static final int MAILCHIMP_BATCH = 500;
    public static final int COPPER_BULK = 10;
    public static final int COPPER_PER_MINUTE = 180;

    static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
    }

    /** Reading one side whole or only what changed: at least one page each (an empty answer is still a call). */
    static long pages(long records, int pageSize) {
        return Math.max(1, ceilDiv(records, pageSize));
    }

    /**
     * @param copperRead       people Copper must return (all of them on a first sync, the changed ones on an incremental run)
     * @param mailchimpRead    members Mailchimp must return (same)
     * @param copperChanges    people to create or update in Copper
     * @param mailchimpChanges members to create or update in Mailchimp
     */
    public static LowerBound of(long copperRead, long mailchimpRead, long copperChanges, long mailchimpChanges) {
        return new LowerBound(pages(copperRead, COPPER_PAGE), pages(mailchimpRead, MAILCHIMP_PAGE),
                ceilDiv(copperChanges, COPPER_BULK), ceilDiv(mailchimpChanges, MAILCHIMP_BATCH));
    }

    /** First sync of generated data: read both sides whole, create each side's missing contacts on the other. */
    public static LowerBound firstSync(DataGenerator d) {
        return of(d.perSide(), d.perSide(), d.mailchimpOnly(), d.copperOnly());
    }

    /**
     * With a field mapping, each run reads the audience's merge fields and Copper's custom field definitions: one
     * call each, before anything else (issue 15 allows these two and no more).
     */
    public LowerBound withDefinitionReads() {
        return new LowerBound(copperReads + 1, mailchimpReads + 1, copperWrites, mailchimpWrites);
    }

    public long copper() {
        return copperReads + copperWrites;
    }

    public long mailchimp() {
        return mailchimpReads + mailchimpWrites;
    }

    public long total() {
        return copper() + mailchimp();
    }

    /** Seconds the Copper calls need at 180 per rolling minute (the floor for scenario 5). */
    public double copperRateFloorSeconds() {
        return copper() * 60.0 / COPPER_PER_MINUTE;
    }
}

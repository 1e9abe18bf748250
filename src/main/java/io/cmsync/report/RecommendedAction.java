package io.cmsync.report;

/**
 * What a reader of the report should do next, derived from its content by {@link RunReport#recommendedActions()}.
 * The text report words each one in its language; the JSON report lists the constant names.
 */
public enum RecommendedAction {
    /** The run stopped before its end: fix what the report names (a key in .env, the network...) and run again. */
    FIX_ABORT_CAUSE,
    /** Some writes failed: read the run log for the per-contact reasons. */
    CHECK_ERRORS,
    /** Contacts could not be synced because of their data: fix them in the system each entry names. */
    FIX_NOT_SYNCED,
    /** Members archived in Mailchimp by someone while their Copper person is active: unarchive, or mark inactive. */
    REVIEW_ARCHIVED,
    /** Addresses forgotten by Mailchimp: send the resubscribe link by another channel than e-mail. */
    SEND_RESUBSCRIBE_LINKS,
    /** Contacts flagged for deletion are pending: review them with {@code flagged list}. */
    REVIEW_FLAGGED,
    /** Both sides changed the same field: check the kept values. */
    REVIEW_CONFLICTS,
    /** A mapped field's value was refused by one side: fix the value (or the other side's choices). */
    FIX_REFUSED_VALUES,
    /** Dry run with pending changes: run without {@code --dry-run} to apply them (a braked plan: --confirm-plan). */
    APPLY_DRY_RUN,
    /** Nothing to do. */
    NONE
}

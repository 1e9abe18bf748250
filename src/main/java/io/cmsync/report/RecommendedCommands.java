package io.cmsync.report;

/**
 * The commands a report tells its reader to run, built in one place so that every report prints the same words
 * (and a sandbox run can add its option here once). {@code prefix} is how the product is started.
 */
public record RecommendedCommands(String prefix) {

    /** The product started from its folder, as README.md shows it. */
    public static final RecommendedCommands DEFAULT = new RecommendedCommands("java -jar target/copper-mailchimp-sync.jar");

    /** One run that executes a plan the safety brake stopped. */
    public String confirmPlan() {
        return prefix + " --once --confirm-plan";
    }

    /** One run that writes (after a dry run). */
    public String apply() {
        return prefix + " --once";
    }

    /** The list of contacts flagged for deletion. */
    public String flaggedList() {
        return prefix + " flagged list";
    }
}

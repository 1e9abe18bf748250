package io.cmsync.report;

/**
 * The command lines the product recommends (reports, sync log, console), written so that they work when pasted as
 * printed: a sandbox run's commands carry {@code --sandbox}, or they would act on the real accounts (or fail for want
 * of {@code .env}).
 *
 * @param sandbox the run or command works on the built-in sandbox
 */
public record Commands(boolean sandbox) {
    /** How the documentation and the reports start every command: from the product's folder. */
    public static final String JAR = "java -jar target/copper-mailchimp-sync.jar";

    public static final Commands REAL = new Commands(false);
    public static final Commands SANDBOX = new Commands(true);

    public static Commands of(boolean sandbox) {
        return sandbox ? SANDBOX : REAL;
    }

    /** {@code JAR arguments}, with {@code --sandbox} at the end when needed. */
    public String command(String arguments) {
        return JAR + " " + arguments + (sandbox ? " --sandbox" : "");
    }

    public String flaggedList() {
        return command("flagged list");
    }

    /** {@code flagged archive}, {@code flagged delete --permanent}...: the non-interactive form for every contact. */
    public String flaggedConfirmAll(String subcommand) {
        return command(subcommand + " --confirm --all");
    }

    /** One run that executes the plan the safety brake stopped. */
    public String confirmPlan() {
        return command("--once --confirm-plan");
    }

    /** One run that writes (after a dry run). */
    public String apply() {
        return command("--once");
    }

    public String reportSummary() {
        return command("report summary");
    }
}

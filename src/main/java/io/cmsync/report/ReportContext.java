package io.cmsync.report;

/**
 * What the text report says beyond the run's figures: a plan the safety brake stopped, a run that finished a
 * killed one's plan, and the commands to recommend.
 *
 * @param brakeReason    why the safety brake stopped the plan (null: it did not)
 * @param resumed        the line saying this run finished an interrupted run's plan (null: it did not)
 * @param propertiesFile the settings file named in the brake's advice
 * @param commands       the commands the report recommends
 */
public record ReportContext(String brakeReason, String resumed, String propertiesFile, Commands commands) {

    public static final ReportContext NONE = new ReportContext(null, null, "config/application.properties",
            Commands.REAL);

    public ReportContext {
        propertiesFile = propertiesFile == null ? "config/application.properties" : propertiesFile;
        commands = commands == null ? Commands.REAL : commands;
    }

    public boolean blocked() {
        return brakeReason != null && !brakeReason.isBlank();
    }
}

/**
 * The run's outcome and its files under {@code reports/}.
 * <ul>
 *   <li>{@link io.cmsync.report.RunReport} (built with {@link io.cmsync.report.RunReport.Builder}) holds what a
 *       run did: {@link io.cmsync.report.OperationOutcome}s and the flagged, forgotten, resubscribed, conflict,
 *       not-synced and excluded entries, with derived counts and
 *       {@link io.cmsync.report.RecommendedAction}s.</li>
 *   <li>{@link io.cmsync.report.TextReportFormatter} writes {@code import_report_*.txt} in the old tool's layout,
 *       in French or English ({@link io.cmsync.report.ReportLanguage}); all wording lives in the message
 *       catalogue's {@code report.*} section ({@link io.cmsync.i18n.Messages}), the planner's reasons and
 *       Mailchimp's statuses are put in words by {@link io.cmsync.report.Reasons}.</li>
 *   <li>{@link io.cmsync.report.JsonReportFormatter} writes (and reads back) {@code import_report_*.json}.</li>
 *   <li>{@link io.cmsync.report.RunLog} collects the {@code sync_log_*.txt} lines and mirrors them to SLF4J.</li>
 *   <li>{@link io.cmsync.report.ReportFileNames} names the three files from the run's start time.</li>
 * </ul>
 * No Camel here: routes call these classes and write the strings with the file component.
 */
package io.cmsync.report;

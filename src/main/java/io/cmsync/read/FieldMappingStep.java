package io.cmsync.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cmsync.copper.CopperClient;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mapping.Definitions;
import io.cmsync.mapping.FieldMapping;
import io.cmsync.mapping.MappingEntry;
import io.cmsync.mapping.MappingValidator;
import io.cmsync.run.SyncRun;

/**
 * The run's first read: the audience's merge fields and, when the mapping names a custom field, Copper's custom field
 * definitions; the mapping is checked against them before anything is read or written (CONTRACT §4.12: merge fields
 * can be edited, so even FNAME and LNAME are not assumed). A mapping the accounts cannot serve stops the run (exit 2)
 * with one line per problem, naming the mapping entry and the file. With {@code mapping.create-missing-merge-fields}
 * the missing merge fields are created first (not in a dry run: it only says so).
 */
public final class FieldMappingStep {
    private static final Logger LOG = LoggerFactory.getLogger(FieldMappingStep.class);

    private final FieldMapping mapping;
    private final Path file;
    private final boolean createMissing;
    private final CopperClient copper;
    private final MailchimpClient mailchimp;
    private final boolean needsCustomFields;

    public FieldMappingStep(FieldMapping mapping, Path file, boolean createMissing, CopperClient copper,
                            MailchimpClient mailchimp) {
        this.mapping = mapping;
        this.file = file;
        this.createMissing = createMissing;
        this.copper = copper;
        this.mailchimp = mailchimp;
        this.needsCustomFields = mapping.entries().stream().map(MappingEntry::copper)
                .anyMatch(c -> c != null && c.strip().startsWith("custom:"));
    }

    /**
     * Checks a mapping beyond the default against both accounts and puts the checked mapping on the run, before
     * anything is read: reading the values needs the definitions (option ids, date formats). The default mapping
     * (names in FNAME and LNAME) reads nothing here: see {@link #beforeWrites}.
     */
    public void resolve(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        if (!mappingOf(run).isDefault()) {
            check(run);
        }
    }

    /**
     * With the default mapping, the merge fields are checked only when the plan writes to Mailchimp, before the first
     * write: a run that writes nothing there (most scheduled runs) costs no extra call, and one that does still never
     * assumes FNAME and LNAME exist.
     */
    public void beforeWrites(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        if (run.mapping() == null && run.planTotals() != null && run.planTotals().stats().copperToMailchimp() > 0) {
            check(run);
        }
    }

    /** The run's pair's mapping (this step's own for a run without a pair). */
    private FieldMapping mappingOf(SyncRun run) {
        return run.pair() == null ? mapping : run.pair().mapping();
    }

    private static boolean needsCustomFields(FieldMapping mapping) {
        return mapping.entries().stream().map(MappingEntry::copper)
                .anyMatch(c -> c != null && c.strip().startsWith("custom:"));
    }

    private void check(SyncRun run) {
        var pair = run.pair();
        FieldMapping mapping = mappingOf(run);
        CopperClient copper = pair == null ? this.copper : pair.copper();
        MailchimpClient mailchimp = pair == null ? this.mailchimp : pair.mailchimp();
        Path file = pair == null ? this.file : pair.settings().mappingFile();
        boolean createMissing = pair == null ? this.createMissing : pair.settings().createMissingMergeFields();
        boolean needsCustomFields = pair == null ? this.needsCustomFields : needsCustomFields(mapping);
        // Copper's definitions only when a custom field is mapped: the default mapping costs one read, not two
        List<Definitions.CustomFieldDef> custom = needsCustomFields ? copper.customFieldDefinitions() : List.of();
        Definitions definitions = new Definitions(mailchimp.mergeFields(), custom);
        MappingValidator.Result result = MappingValidator.check(mapping, definitions, createMissing);
        if (result.ok() && !result.toCreate().isEmpty()) {
            if (run.dryRun()) {
                result.toCreate().forEach(def -> run.log().info(run.log().text("report.log.merge-field-would-create",
                        def.tag(), def.type())));
            } else {
                List<Definitions.MergeFieldDef> merge = new ArrayList<>(definitions.mergeFields());
                for (Definitions.MergeFieldDef def : result.toCreate()) {
                    merge.add(mailchimp.createMergeField(def));
                    run.log().info(run.log().text("report.log.merge-field-created", def.tag(), def.type()));
                    LOG.info("Merge field {} ({}) created in the audience", def.tag(), def.type());
                }
                result = MappingValidator.check(mapping, new Definitions(merge, custom), false);
            }
        }
        if (!result.ok()) {
            throw new MappingRefused(result.problems(), file);
        }
        run.mapping(result.mapping());
    }

    /** The mapping does not fit the accounts: the run stops before any write, each problem said on its own line. */
    public static final class MappingRefused extends RuntimeException {
        private final transient List<MappingValidator.Problem> problems;
        private final transient Path file;

        MappingRefused(List<MappingValidator.Problem> problems, Path file) {
            super(problems.size() + " mapping problem(s) in " + file + ": "
                    + problems.stream().map(p -> p.toException(file).getMessage()).toList());
            this.problems = List.copyOf(problems);
            this.file = file;
        }

        public List<MappingValidator.Problem> problems() {
            return problems;
        }

        public Path file() {
            return file;
        }
    }
}

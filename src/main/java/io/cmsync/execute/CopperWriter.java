package io.cmsync.execute;

import io.cmsync.sync.Chunks;
import io.cmsync.run.SyncRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperMapping;
import io.cmsync.http.ApiException;
import io.cmsync.report.OperationOutcome;
import io.cmsync.report.Reasons;
import io.cmsync.report.ResubscribedEntry;
import io.cmsync.sync.Action;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Direction;
import io.cmsync.sync.Planner;
import io.cmsync.sync.SyncedRecord;
import io.cmsync.sync.TagRules;

/**
 * Executes the Copper side of a plan through the bulk endpoints (≤ 10 people a call, results in request order);
 * the client paces calls to Copper's rolling-minute limit.
 */
public final class CopperWriter {
    private static final String CREATE = "création";
    private static final String UPDATE = "mise à jour";

    private final CopperClient client;
    private final TagRules tagRules;

    /** The run's pair's Copper client. */
    private CopperClient client(SyncRun run) {
        return run.pair() == null ? client : run.pair().copper();
    }

    /** The run's pair's tags. */
    private TagRules tagRules(SyncRun run) {
        return run.pair() == null ? tagRules : run.pair().planner().settings().tagRules();
    }

    public CopperWriter(CopperClient client, TagRules tagRules) {
        this.client = client;
        this.tagRules = tagRules;
    }

    public void createPeople(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body List<Action.CreateCopperPerson> batch) {
        if (run.dropsLeftOver("Copper", batch.size())) {
            return;
        }
        for (List<Action.CreateCopperPerson> chunk : Chunks.of(batch, CopperClient.BULK_LIMIT)) {
            List<Map<String, Object>> bodies = new ArrayList<>();
            // a pair with a Copper tag filter tags the people it imports, so they stay in its scope
            String scopeTag = run.pair() == null ? null : run.pair().planner().settings().copperScopeTag();
            List<String> newTags = scopeTag == null ? List.of() : List.of(scopeTag);
            chunk.forEach(a -> bodies.add(CopperMapping.newPerson(a.email(), a.firstName(), a.lastName(), newTags,
                    a.fields(), run.mapping())));
            List<CopperClient.BulkItem> results;
            try {
                results = client(run).bulkCreate(bodies);
            } catch (ApiException e) {
                chunk.forEach(a -> record(run, a.email(), name(a.firstName(), a.lastName()), CREATE, e.getMessage()));
                continue;
            }
            for (int i = 0; i < chunk.size(); i++) {
                Action.CreateCopperPerson a = chunk.get(i);
                CopperClient.BulkItem r = results.get(i);
                String error = r.error();
                if (r.ok()) {
                    run.createdCopperPerson(a.email(), r.person().id());
                } else if (CopperClient.alreadyTaken(error)) {
                    error = alreadyThere(run, a);
                }
                record(run, a.email(), name(a.firstName(), a.lastName()), CREATE, List.copyOf(a.fields().keySet()),
                        error);
            }
        }
    }

    /**
     * Copper refused a create because the e-mail is taken: a retried bulk call whose first attempt landed (its answer
     * was lost), or a person created meanwhile. Look the person up: found, it counts as created (with its id); when
     * its names are not the ones sent, the e-mail is held back from the synced state so the next run compares it
     * afresh. Returns the error to report, or null.
     */
    private String alreadyThere(SyncRun run, Action.CreateCopperPerson a) {
        try {
            var found = client(run).fetchByEmail(a.email());
            if (found.isEmpty()) {
                return "e-mail déjà utilisé dans Copper, personne introuvable: " + a.email();
            }
            var p = found.get();
            run.createdCopperPerson(a.email(), p.id());
            if (!java.util.Objects.equals(blank(p.firstName()), blank(a.firstName()))
                    || !java.util.Objects.equals(blank(p.lastName()), blank(a.lastName()))) {
                run.holdBack(a.email());
            }
            run.log().info(run.log().text("report.log.already-in-copper", a.email(), String.valueOf(p.id())));
            return null;
        } catch (ApiException e) {
            return e.getMessage();
        }
    }

    private static String blank(String s) {
        return s == null ? "" : s.strip();
    }

    public void updatePeople(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @Body List<Action.UpdateCopperPerson> batch) {
        if (run.dropsLeftOver("Copper", batch.size())) {
            return;
        }
        for (List<Action.UpdateCopperPerson> chunk : Chunks.of(batch, CopperClient.BULK_LIMIT)) {
            List<Map<String, Object>> bodies = new ArrayList<>();
            chunk.forEach(a -> bodies.add(CopperMapping.personUpdate(a.copperId(), a.firstName(), a.lastName(),
                    a.namesChanged(), a.tagsChanged() ? a.tags() : null, a.fields(), a.copper().fields(),
                    run.mapping())));
            List<CopperClient.BulkItem> results;
            try {
                results = client(run).bulkUpdate(bodies);
            } catch (ApiException e) {
                chunk.forEach(a -> record(run, a.email(), name(a.firstName(), a.lastName()), UPDATE, e.getMessage()));
                continue;
            }
            for (int i = 0; i < chunk.size(); i++) {
                Action.UpdateCopperPerson a = chunk.get(i);
                String error = results.get(i).error();
                record(run, a.email(), name(a.firstName(), a.lastName()), UPDATE, List.copyOf(a.fields().keySet()),
                        error);
                if (error == null && hasResubscribeTag(run, a.copper().tags()) && !hasResubscribeTag(run, a.tags())) {
                    run.resubscribed().add(new ResubscribedEntry(a.email()));
                    run.log().success(run.log().text("report.log.back-on-audience", tagRules(run).resubscribeTag(),
                            a.email()));
                }
            }
        }
    }

    /**
     * Tags the Copper people whose address Mailchimp refused in this run (forgotten or compliance state) with the
     * resubscribe tag, and remembers them in the synced state so later runs do not ask Mailchimp again.
     */
    public void markResubscriptionRequired(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run) {
        if (run.dryRun() || run.refusedByMailchimp().isEmpty()) {
            return;
        }
        List<Contact> toTag = new ArrayList<>();
        List<Contact> remembered = new ArrayList<>();
        for (Contact c : run.refusedByMailchimp().values()) {
            if (c.sideId() == null) {
                continue;
            }
            (hasResubscribeTag(run, c.tags()) ? remembered : toTag).add(c);
        }
        for (List<Contact> chunk : Chunks.of(toTag, CopperClient.BULK_LIMIT)) {
            List<Map<String, Object>> bodies = new ArrayList<>();
            for (Contact c : chunk) {
                List<String> tags = new ArrayList<>(c.tags());
                tags.add(tagRules(run).resubscribeTag());
                bodies.add(CopperMapping.personUpdate(Long.parseLong(c.sideId()), null, null, false, tags));
            }
            try {
                List<CopperClient.BulkItem> results = client(run).bulkUpdate(bodies);
                for (int i = 0; i < chunk.size(); i++) {
                    if (results.get(i).ok()) {
                        remembered.add(chunk.get(i));
                        run.echo().copperChanged(chunk.get(i).email(), System.currentTimeMillis());
                        run.log().info(run.log().text("report.log.resubscribe-tag-added", tagRules(run).resubscribeTag(),
                                chunk.get(i).email()));
                    } else {
                        run.log().error(run.log().text("report.log.resubscribe-tag-failed", tagRules(run).resubscribeTag(),
                                chunk.get(i).email(), results.get(i).error()));
                    }
                }
            } catch (ApiException e) {
                run.log().error(run.log().text("report.log.resubscribe-tag-failed-all", tagRules(run).resubscribeTag(),
                        e.getMessage()));
            }
        }
        for (Contact c : remembered) {
            Set<String> tags = new java.util.LinkedHashSet<>();
            c.tags().stream().filter(t -> !tagRules(run).isProductTag(t)).forEach(tags::add);
            run.store().save(new SyncedRecord(c.email(), Long.parseLong(c.sideId()), c.firstName(), c.lastName(),
                    tags, Set.of(), Planner.FORGOTTEN_STATUS, java.time.Instant.now()));
        }
    }

    private boolean hasResubscribeTag(SyncRun run, List<String> tags) {
        TagRules rules = tagRules(run);
        return tags != null && tags.stream().anyMatch(rules::isResubscribeTag);
    }

    private static String name(String first, String last) {
        return ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
    }

    private static void record(SyncRun run, String email, String name, String operation, String error) {
        record(run, email, name, operation, List.of(), error);
    }

    private static void record(SyncRun run, String email, String name, String operation, List<String> fields,
                               String error) {
        boolean ok = error == null;
        run.outcome(new OperationOutcome(email, Direction.MAILCHIMP_TO_COPPER, operation, ok, name, List.of(), error, null,
                error == null ? fields : List.of()));
        if (ok && CREATE.equals(operation)) {
            run.echo().copperCreated(System.currentTimeMillis());
        } else if (ok) {
            run.echo().copperChanged(email, System.currentTimeMillis());
        }
        if (ok) {
            run.log().success(run.log().text("report.log.write-ok", Direction.MAILCHIMP_TO_COPPER.label(),
                    Reasons.operation(run.log().language().messages(), operation), email));
        } else {
            run.log().error(run.log().text("report.log.write-failed", Direction.MAILCHIMP_TO_COPPER.label(),
                    Reasons.operation(run.log().language().messages(), operation), email, error));
        }
    }
}

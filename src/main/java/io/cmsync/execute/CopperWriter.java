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
            Retried retried = retryWithoutRefusedFields(run, results, chunk.stream().map(a -> new Sent(a.email(),
                    a.fields(), null)).toList(), (i, fields) -> CopperMapping.newPerson(chunk.get(i).email(),
                    chunk.get(i).firstName(), chunk.get(i).lastName(), newTags, fields, run.mapping()),
                    client(run)::bulkCreate);
            for (int i = 0; i < chunk.size(); i++) {
                Action.CreateCopperPerson a = chunk.get(i);
                CopperClient.BulkItem r = retried.results().get(i);
                String error = r.error();
                if (r.ok()) {
                    run.createdCopperPerson(a.email(), r.person().id());
                } else if (CopperClient.alreadyTaken(error)) {
                    error = alreadyThere(run, a);
                }
                record(run, a.email(), name(a.firstName(), a.lastName()), CREATE, retried.written(i, a.fields()),
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
        Map<Long, List<String>> current = currentTags(run, batch);
        for (List<Action.UpdateCopperPerson> chunk : Chunks.of(batch, CopperClient.BULK_LIMIT)) {
            List<Map<String, Object>> bodies = new ArrayList<>();
            chunk.forEach(a -> bodies.add(CopperMapping.personUpdate(a.copperId(), a.firstName(), a.lastName(),
                    a.namesChanged(), a.tagsChanged() ? tagsToWrite(a, current.get(a.copperId())) : null, a.fields(),
                    a.copper().fields(), run.mapping())));
            List<CopperClient.BulkItem> results;
            try {
                results = client(run).bulkUpdate(bodies);
            } catch (ApiException e) {
                chunk.forEach(a -> record(run, a.email(), name(a.firstName(), a.lastName()), UPDATE, e.getMessage()));
                continue;
            }
            Retried retried = retryWithoutRefusedFields(run, results, chunk.stream().map(a -> new Sent(a.email(),
                    a.fields(), String.valueOf(a.copperId()))).toList(), (i, fields) -> {
                        Action.UpdateCopperPerson a = chunk.get(i);
                        return CopperMapping.personUpdate(a.copperId(), a.firstName(), a.lastName(), a.namesChanged(),
                                a.tagsChanged() ? tagsToWrite(a, current.get(a.copperId())) : null, fields,
                                a.copper().fields(), run.mapping());
                    }, client(run)::bulkUpdate);
            for (int i = 0; i < chunk.size(); i++) {
                Action.UpdateCopperPerson a = chunk.get(i);
                String error = retried.results().get(i).error();
                record(run, a.email(), name(a.firstName(), a.lastName()), UPDATE, retried.written(i, a.fields()),
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
     * The tags of the people whose tags {@code batch} changes, read just before they are written (one search before
     * each bulk update of 10 that changes tags: a read any earlier would leave the window open), when another pair
     * syncs the same Copper account: Copper replaces a person's whole tag list, and that
     * pair's run may have changed it since this run read it (a status tag of its audience, a tag from its members);
     * writing the list this run read would undo that change, and the other pair would then take the missing tag for a
     * removal. Empty for a pair alone on its account (no extra call): only a person editing tags in Copper during the
     * run could then collide (docs/PLUSIEURS_AUDIENCES.md).
     */
    private Map<Long, List<String>> currentTags(SyncRun run, List<Action.UpdateCopperPerson> batch) {
        if (run.pair() == null || !run.pair().copperShared()) {
            return Map.of();
        }
        List<Long> ids = batch.stream().filter(Action.UpdateCopperPerson::tagsChanged)
                .map(Action.UpdateCopperPerson::copperId).distinct().toList();
        Map<Long, List<String>> out = new java.util.HashMap<>();
        for (List<Long> page : Chunks.of(ids, 200)) {
            try {
                client(run).byIds(page).forEach(p -> out.put(p.id(), p.tags() == null ? List.of() : p.tags()));
            } catch (ApiException e) {
                // the tags read at the run's start are written, as without another pair: the run goes on
                run.log().say(io.cmsync.report.RunLog.Level.WARN, "report.log.current-tags-unread", e.getMessage());
            }
        }
        return out;
    }

    /**
     * The tag list to write: the run's change (tags it adds and removes, against those it read) applied to the
     * person's current tags when they were read again, else the run's list.
     */
    public static List<String> tagsToWrite(Action.UpdateCopperPerson a, List<String> current) {
        if (current == null) {
            return a.tags();
        }
        List<String> read = a.copper().tags() == null ? List.of() : a.copper().tags();
        Set<String> removed = new java.util.HashSet<>(read);
        a.tags().forEach(removed::remove);
        Set<String> out = new java.util.LinkedHashSet<>(current);
        out.removeAll(removed);
        a.tags().stream().filter(t -> !read.contains(t)).forEach(out::add);
        return List.copyOf(out);
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

    /** One person of a bulk call: its e-mail, the mapped fields it carried, its Copper id (null for a create). */
    private record Sent(String email, Map<String, String> fields, String copperId) {
    }

    /** A chunk's results after the retry, and the mapped fields Copper refused for each person (by index). */
    private record Retried(List<CopperClient.BulkItem> results, Map<Integer, List<String>> refused) {
        /** The mapped fields person {@code i} wrote: the ones it carried but those Copper refused. */
        List<String> written(int i, Map<String, String> fields) {
            List<String> no = refused.getOrDefault(i, List.of());
            return fields.keySet().stream().filter(f -> !no.contains(f)).toList();
        }
    }

    /**
     * People Copper refused for a mapped field's value (a check of ours let it through, or the definitions changed
     * since the run read them) are sent again without those fields, in one more call for the chunk: the refused values
     * are reported for that contact and field, the rest of the contact syncs, and the contact is held back from the
     * synced state so the next run compares it again. A failure that names no mapped field stays the contact's.
     */
    private static Retried retryWithoutRefusedFields(SyncRun run, List<CopperClient.BulkItem> results, List<Sent> sent,
            java.util.function.BiFunction<Integer, Map<String, String>, Map<String, Object>> body,
            java.util.function.Function<List<Map<String, Object>>, List<CopperClient.BulkItem>> call) {
        if (run.mapping() == null) {
            return new Retried(results, Map.of());
        }
        Map<Integer, List<String>> refused = new java.util.LinkedHashMap<>();
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Sent s = sent.get(i);
            String error = results.get(i).error();
            if (error == null || s.fields().isEmpty()) {
                continue;
            }
            List<String> named = run.mapping().copperEntriesRefused(error, s.fields().keySet());
            if (named.isEmpty()) {
                continue;
            }
            refused.put(i, named);
            Map<String, String> rest = new java.util.LinkedHashMap<>(s.fields());
            named.forEach(rest::remove);
            bodies.add(body.apply(i, rest));
            for (String entry : named) {
                run.refusedValue(new io.cmsync.report.RefusedValueEntry(s.email(), Planner.SIDE_COPPER, entry,
                        s.fields().get(entry), "Copper : " + error, s.copperId()));
            }
            run.keepOutOfState(s.email());
        }
        if (refused.isEmpty()) {
            return new Retried(results, Map.of());
        }
        List<CopperClient.BulkItem> out = new ArrayList<>(results);
        List<Integer> again = List.copyOf(refused.keySet());
        try {
            List<CopperClient.BulkItem> second = call.apply(bodies);
            for (int k = 0; k < again.size(); k++) {
                out.set(again.get(k), second.get(k));
            }
        } catch (ApiException e) {
            again.forEach(i -> out.set(i, new CopperClient.BulkItem(null, e.getMessage())));
        }
        return new Retried(out, refused);
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

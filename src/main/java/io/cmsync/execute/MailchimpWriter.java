package io.cmsync.execute;

import io.cmsync.sync.Chunks;
import io.cmsync.run.SyncRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.cmsync.http.ApiException;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpError;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.report.ForgottenEntry;
import io.cmsync.report.OperationOutcome;
import io.cmsync.report.Reasons;
import io.cmsync.sync.Action;
import io.cmsync.sync.Contact;
import io.cmsync.sync.Direction;

/**
 * Executes the Mailchimp side of a plan, one aggregated batch at a time: new members through batch subscribe
 * (≤ 500 a call), name changes through PUT with {@code status_if_new} only (sent as Mailchimp batch operations when
 * there are two or more: ⌈n/500⌉ {@code POST /batches} instead of n calls), and tags in bulk through static segments
 * (one call per tag and 500 members) rather than one call per member.
 */
public final class MailchimpWriter {
    private static final Logger LOG = LoggerFactory.getLogger(MailchimpWriter.class);
    private static final String CREATE = "création";
    private static final String UPDATE = "mise à jour";
    private static final String REACTIVATE = "réactivation";
    private static final String TAGS = "tags";
    private static final String SUBSCRIBE_URL = "mailchimp.subscribe_url_long";

    /** The exchange property that carries a run's {@link Pending} writes from batch to batch. */
    public static final String PENDING = "mailchimpWrites";

    private final MailchimpClient ownClient;
    private final String ownNewMemberStatus;

    /** The client and new-member status of a run without a pair; a run's pair brings its own. */
    public MailchimpWriter(MailchimpClient client, String newMemberStatus) {
        this.ownClient = client;
        this.ownNewMemberStatus = newMemberStatus;
    }

    /** The run's pair's audience client. */
    private MailchimpClient client(SyncRun run) {
        return run.pair() == null ? ownClient : run.pair().mailchimp();
    }

    private String newMemberStatus(SyncRun run) {
        return run.pair() == null ? ownNewMemberStatus : run.pair().settings().newMemberStatus();
    }

    /**
     * What one run's Mailchimp writes leave for later: name-update batches submitted and not yet read, members whose
     * tags wait to be sent grouped per tag, and what the run learnt (tag segments, the signup form). Made fresh per
     * run (tags created by marketers between runs are seen), carried on the exchange as {@value #PENDING}.
     */
    public static final class Pending {
        private Map<String, Long> segments;
        private final List<Deferred> deferred = new ArrayList<>();
        private final Map<String, List<String>> adds = new TreeMap<>();
        private final Map<String, List<String>> removes = new TreeMap<>();
        private final List<SubmittedNames> submitted = new ArrayList<>();
        private String subscribeUrl;
    }

    /** A new run's pending writes (the execute route puts them on the exchange). */
    public Pending pending() {
        return new Pending();
    }

    public void createMembers(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @ExchangeProperty(PENDING) Pending p,
                              @Body List<Action.CreateMailchimpMember> batch) {
        if (batch.isEmpty() || run.dropsLeftOver("Mailchimp", batch.size())) {
            return;
        }
        List<Map<String, Object>> members = new ArrayList<>();
        for (Action.CreateMailchimpMember a : batch) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("email_address", a.email());
            m.put("status", a.status());
            m.put("merge_fields", MailchimpMapping.mergeFields(a.copper().firstName(), a.copper().lastName(),
                    a.fields(), run.mapping()));
            members.add(m);
        }
        List<MailchimpClient.MemberResult> results;
        try {
            results = client(run).batchSubscribe(members);
        } catch (ApiException e) {
            batch.forEach(a -> fail(run, a.email(), a.copper().displayName(), CREATE, e.getMessage()));
            return;
        }
        Map<String, List<String>> refused = new java.util.HashMap<>();
        results = retryWithoutRefusedFields(run, batch, members, results, refused);
        Map<String, Action.CreateMailchimpMember> created = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Action.CreateMailchimpMember a = batch.get(i);
            MailchimpClient.MemberResult r = results.get(i);
            if (r.ok()) {
                created.put(a.email(), a);
            } else if (r.error().needsResubscription()) {
                awaitingResubscription(run, p, a.copper(), r.error());
            } else if ("ERROR_CONTACT_EXISTS".equals(r.error().title())) {
                // a retried batch whose first attempt landed (answer lost), or a member added meanwhile: it is
                // there; its tags are applied below, and the synced state waits for the next run's comparison
                created.put(a.email(), a);
                run.holdBack(a.email());
            } else {
                fail(run, a.email(), a.copper().displayName(), CREATE, r.error().text());
            }
        }
        created.values().forEach(a -> defer(run, p, a.email(), a.copper().displayName(), CREATE, List.copyOf(a.tags()),
                a.tags(), Set.of(), a.fields().keySet().stream()
                        .filter(f -> !refused.getOrDefault(a.email(), List.of()).contains(f)).toList()));
        run.log().info(run.log().text("report.log.mailchimp-batch", batch.size(), created.size()));
    }

    public void updateMembers(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @ExchangeProperty(PENDING) Pending p,
                              @Body List<Action.UpdateMailchimpMember> batch) {
        if (batch.isEmpty() || run.dropsLeftOver("Mailchimp", batch.size())) {
            return;
        }
        List<Action.UpdateMailchimpMember> named = batch.stream().filter(Action.UpdateMailchimpMember::memberChanged)
                .toList();
        if (named.size() >= 2) {
            submitNameUpdates(run, p, named);
            batch.stream().filter(a -> !a.memberChanged()).forEach(a -> settle(run, p, a, null));
            return;
        }
        for (Action.UpdateMailchimpMember a : batch) {
            MailchimpError error = null;
            if (a.memberChanged()) {
                // status_if_new only: an unsubscribed, cleaned or archived member keeps its status
                try {
                    error = client(run).updateMember(a.email(), newMemberStatus(run), mergeFields(run, a)).error();
                } catch (ApiException e) {
                    error = new MailchimpError(e.status(), "HTTP", e.getMessage());
                }
            }
            settle(run, p, a, error);
        }
    }

    /**
     * Two name changes or more go to Mailchimp as batch operations (the same PUTs, status_if_new only): ⌈n/500⌉ batch
     * calls instead of n PUTs. They are submitted now and read at the end of the run, all pending batches polled
     * together (one listing a round), so a run's batches cost their submissions and a few polls, not a poll each.
     */
    private void submitNameUpdates(SyncRun run, Pending p, List<Action.UpdateMailchimpMember> named) {
        List<SubmittedNames> submitted = p.submitted;
        List<MailchimpClient.MemberUpdate> updates = named.stream()
                .map(a -> new MailchimpClient.MemberUpdate(a.email(), newMemberStatus(run), a.firstName(), a.lastName(),
                        mergeFields(run, a)))
                .toList();
        try {
            submitted.add(new SubmittedNames(client(run).submitMemberUpdates(updates), named));
        } catch (ApiException e) {
            named.forEach(a -> settle(run, p, a, new MailchimpError(e.status(), "HTTP", e.getMessage())));
            return;
        }
        if (submitted.stream().mapToInt(s -> s.actions().size()).sum() >= MAX_SUBMITTED) {
            awaitNameUpdates(run, p); // a large run: memory and Mailchimp's pending batches stay bounded
        }
    }

    /** Reads the outcome of every submitted name-update batch, then settles each update. */
    private void awaitNameUpdates(SyncRun run, Pending p) {
        List<SubmittedNames> submitted = p.submitted;
        if (submitted.isEmpty()) {
            return;
        }
        List<List<MailchimpClient.MemberResult>> results = client(run).awaitMemberUpdates(
                submitted.stream().map(SubmittedNames::submission).toList());
        int count = 0;
        for (int i = 0; i < submitted.size(); i++) {
            List<Action.UpdateMailchimpMember> named = submitted.get(i).actions();
            for (int j = 0; j < named.size(); j++) {
                settle(run, p, named.get(j), results.get(i).get(j).error());
            }
            count += named.size();
        }
        run.log().info(run.log().text("report.log.mailchimp-names-batch", count));
        submitted.clear();
    }

    /** Name updates submitted as batch operations, with the actions they carry, in order. */
    private record SubmittedNames(MailchimpClient.SubmittedUpdates submission, List<Action.UpdateMailchimpMember> actions) {
    }

    /** Name updates submitted and not yet read; past this many, they are read at once. */
    static final int MAX_SUBMITTED = 50_000;

    /**
     * One update's outcome: a refused name change is reported, or awaits resubscription; otherwise the member's tag
     * changes wait to be sent with the run's others.
     */
    private void settle(SyncRun run, Pending p, Action.UpdateMailchimpMember a, MailchimpError error) {
        String name = a.firstName() + " " + a.lastName();
        boolean failedBefore = run.failed(a.email());
        java.util.Collection<String> written = a.fields().keySet();
        List<String> refused = refusedEntries(run, a.fields(), error);
        if (!refused.isEmpty()) {
            // Mailchimp refused some mapped values (a check of ours let them through): the rest is sent again alone
            Map<String, Object> merge = mergeFields(run, a);
            refused.forEach(entry -> merge.remove(run.mapping().mergeTag(entry)));
            reportRefused(run, a.email(), a.copper(), a.fields(), refused, error);
            written = a.fields().keySet().stream().filter(f -> !refused.contains(f)).toList();
            error = null;
            if (!merge.isEmpty()) {
                try {
                    error = client(run).updateMember(a.email(), newMemberStatus(run), merge).error();
                } catch (ApiException e) {
                    error = new MailchimpError(e.status(), "HTTP", e.getMessage());
                }
            }
        }
        if (error != null) {
            if (error.needsResubscription()) {
                awaitingResubscription(run, p, a.copper(), error);
            } else {
                record(run, a.email(), name, UPDATE, PlanStep.movedTags(a), error.text());
            }
        } else if (!failedBefore) {
            defer(run, p, a.email(), name, UPDATE, PlanStep.movedTags(a), a.tagsToAdd(), a.tagsToRemove(), written);
        }
    }

    /** The mapped fields (entry names) among {@code fields} whose merge tag Mailchimp refused in {@code error}. */
    private static List<String> refusedEntries(SyncRun run, Map<String, String> fields, MailchimpError error) {
        if (error == null || !error.mergeFieldsRefused() || run.mapping() == null || fields.isEmpty()) {
            return List.of();
        }
        return fields.keySet().stream()
                .filter(entry -> error.fieldErrors().containsKey(run.mapping().mergeTag(entry))).toList();
    }

    /**
     * Refused values are reported per contact and field, and the contact is held back from the synced state: the
     * next run compares it again (and reports the value again) instead of taking the refused value as synced.
     */
    private static void reportRefused(SyncRun run, String email, io.cmsync.sync.Contact copper,
                                      Map<String, String> fields, List<String> refused, MailchimpError error) {
        for (String entry : refused) {
            run.refusedValue(new io.cmsync.report.RefusedValueEntry(email, io.cmsync.sync.Planner.SIDE_MAILCHIMP,
                    entry, fields.get(entry), "Mailchimp : " + error.fieldErrors().get(run.mapping().mergeTag(entry)),
                    copper == null ? null : copper.sideId()));
        }
        run.keepOutOfState(email);
    }

    /**
     * Batch-subscribed members Mailchimp refused for a mapped field's value are subscribed again without those
     * fields (one more call for all of them); the refused values are reported, and put in {@code refused} (e-mail →
     * entries). Returns the results to use.
     */
    private List<MailchimpClient.MemberResult> retryWithoutRefusedFields(SyncRun run,
            List<Action.CreateMailchimpMember> batch, List<Map<String, Object>> members,
            List<MailchimpClient.MemberResult> results, Map<String, List<String>> refusedOut) {
        List<Integer> again = new ArrayList<>();
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Action.CreateMailchimpMember a = batch.get(i);
            List<String> refused = refusedEntries(run, a.fields(), results.get(i).error());
            if (!refused.isEmpty()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> merge = new LinkedHashMap<>((Map<String, Object>) members.get(i).get("merge_fields"));
                refused.forEach(entry -> merge.remove(run.mapping().mergeTag(entry)));
                Map<String, Object> body = new LinkedHashMap<>(members.get(i));
                body.put("merge_fields", merge);
                reportRefused(run, a.email(), a.copper(), a.fields(), refused, results.get(i).error());
                refusedOut.put(a.email(), refused);
                again.add(i);
                bodies.add(body);
            }
        }
        if (again.isEmpty()) {
            return results;
        }
        List<MailchimpClient.MemberResult> out = new ArrayList<>(results);
        try {
            List<MailchimpClient.MemberResult> retried = client(run).batchSubscribe(bodies);
            for (int k = 0; k < again.size(); k++) {
                out.set(again.get(k), retried.get(k));
            }
        } catch (ApiException e) {
            again.forEach(i -> out.set(i, new MailchimpClient.MemberResult(batch.get(i).email(),
                    new MailchimpError(e.status(), "HTTP", e.getMessage()))));
        }
        return out;
    }

    /** The merge fields an update writes: the names (when they change) and the mapped fields that change. */
    private static Map<String, Object> mergeFields(SyncRun run, Action.UpdateMailchimpMember a) {
        Map<String, Object> merge = MailchimpMapping.mergeFields(a.firstName(), a.lastName(), a.fields(),
                run.mapping());
        if (!a.namesChanged() && run.mapping() != null) {
            // only the mapped fields change: the names are not sent, so a name changed meanwhile is not overwritten
            merge.remove(run.mapping().firstNameTag());
            merge.remove(run.mapping().lastNameTag());
        }
        return merge;
    }

    /** A member archived by the deletion workflow, back because the Copper person is active again. */
    public void reactivate(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @ExchangeProperty(PENDING) Pending p,
                           @Body Action.ReactivateMailchimpMember a) {
        if (run.dropsLeftOver("Mailchimp", 1)) {
            return;
        }
        MailchimpClient.MemberResult r;
        try {
            r = client(run).restoreMember(a.email(), a.status(), MailchimpMapping.mergeFields(a.copper().firstName(),
                    a.copper().lastName(), a.fields(), run.mapping()));
        } catch (ApiException e) {
            r = new MailchimpClient.MemberResult(a.email(), new MailchimpError(e.status(), "HTTP", e.getMessage()));
        }
        if (!r.ok()) {
            record(run, a.email(), a.copper().displayName(), REACTIVATE, List.of(), r.error().text());
            return;
        }
        defer(run, p, a.email(), a.copper().displayName(), REACTIVATE, List.copyOf(a.tags()), a.tags(), Set.of(),
                a.fields().keySet());
    }

    /** A member written; its outcome waits for the tag changes, which are sent for the whole run at once. */
    private record Deferred(String email, String name, String operation, List<String> tags, List<String> fields) {
    }

    private void defer(SyncRun run, Pending p, String email, String name, String operation, List<String> tags,
                       Set<String> add, Set<String> remove, java.util.Collection<String> fields) {
        add.forEach(t -> p.adds.computeIfAbsent(t, k -> new ArrayList<>()).add(email));
        remove.forEach(t -> p.removes.computeIfAbsent(t, k -> new ArrayList<>()).add(email));
        p.deferred.add(new Deferred(email, name, operation, tags, List.copyOf(fields)));
        if (p.deferred.size() >= MAX_DEFERRED) {
            flushTags(run, p); // a large run: memory stays bounded, at the cost of a few more segment calls
        }
    }

    /** Members written whose tags wait to be sent grouped per tag; past this, they are sent at once. */
    static final int MAX_DEFERRED = 50_000;

    /**
     * After every batch of the run: the outcome of the name updates still in Mailchimp's batches, then the tag changes
     * of all written members, grouped per tag across the whole run (one segment call per tag and 500 members, however
     * the members were batched), then their outcomes.
     */
    public void finish(@ExchangeProperty(SyncRun.PROPERTY) SyncRun run, @ExchangeProperty(PENDING) Pending p) {
        awaitNameUpdates(run, p);
        flushTags(run, p);
    }

    private void flushTags(SyncRun run, Pending p) {
        if (p.deferred.isEmpty()) {
            return;
        }
        Map<String, String> tagFailures = applyTags(run, p, p.adds, p.removes);
        for (Deferred d : p.deferred) {
            // the member was written whatever became of its tags: a failed tag call fails the tags alone, and the
            // e-mail is held back from the synced state, so the next run sends them again
            record(run, d.email(), d.name(), d.operation(), d.tags(), d.fields(), null);
            String tagFailure = tagFailures.get(d.email());
            if (tagFailure != null) {
                record(run, d.email(), d.name(), TAGS, d.tags(), tagFailure);
            }
        }
        p.deferred.clear();
        p.adds.clear();
        p.removes.clear();
    }

    /** Tag changes grouped by tag: one segment call per tag and 500 members; returns e-mail → failure. */
    private Map<String, String> applyTags(SyncRun run, Pending p, Map<String, List<String>> adds, Map<String, List<String>> removes) {
        Map<String, String> failures = new LinkedHashMap<>();
        if (adds.isEmpty() && removes.isEmpty()) {
            return failures;
        }
        try {
            if (p.segments == null) {
                p.segments = client(run).tagSegments();
            }
        } catch (ApiException e) {
            adds.values().forEach(l -> l.forEach(m -> failures.put(m, "tags: " + e.getMessage())));
            removes.values().forEach(l -> l.forEach(m -> failures.put(m, "tags: " + e.getMessage())));
            return failures;
        }
        Set<String> tags = new TreeSet<>(adds.keySet());
        tags.addAll(removes.keySet());
        for (String tag : tags) {
            List<String> add = adds.getOrDefault(tag, List.of());
            List<String> remove = removes.getOrDefault(tag, List.of());
            try {
                Long id = p.segments.get(tag.toLowerCase(Locale.ROOT));
                if (id == null) {
                    if (add.isEmpty()) {
                        continue; // removing a tag that no longer exists: nothing to do
                    }
                    // creating the tag takes its first 500 members in the same call
                    List<String> first = add.subList(0, Math.min(MailchimpClient.BATCH_LIMIT, add.size()));
                    try {
                        id = client(run).createTag(tag, first);
                        add = add.subList(first.size(), add.size());
                    } catch (ApiException e) {
                        // the create may have landed with its answer lost (a retry is then refused, in words the
                        // contract does not document): look the tag up rather than read the error; if it is there,
                        // its first members are added again below, which changes nothing for those already in it
                        id = client(run).tagSegments().get(tag.toLowerCase(Locale.ROOT));
                        if (id == null) {
                            throw e;
                        }
                    }
                    p.segments.put(tag.toLowerCase(Locale.ROOT), id);
                }
                List<List<String>> addChunks = Chunks.of(add, MailchimpClient.BATCH_LIMIT);
                List<List<String>> removeChunks = Chunks.of(remove, MailchimpClient.BATCH_LIMIT);
                // one call carries up to 500 additions and 500 removals
                for (int i = 0; i < Math.max(addChunks.size(), removeChunks.size()); i++) {
                    client(run).updateTag(id, i < addChunks.size() ? addChunks.get(i) : List.of(),
                                    i < removeChunks.size() ? removeChunks.get(i) : List.of())
                            .forEach((email, why) -> failures.put(email, "tag " + tag + ": " + why));
                }
            } catch (ApiException e) {
                add.forEach(m -> failures.put(m, "tag " + tag + ": " + e.getMessage()));
                remove.forEach(m -> failures.put(m, "tag " + tag + ": " + e.getMessage()));
            }
        }
        return failures;
    }

    private void awaitingResubscription(SyncRun run, Pending p, Contact copper, MailchimpError error) {
        String link = MailchimpClient.resubscribeLink(subscribeUrl(run, p), copper.email());
        run.holdBack(copper.email());
        run.refusedByMailchimp(copper.email(), copper);
        run.forgotten().add(new ForgottenEntry(copper.email(), copper.displayName(), link, true));
        run.log().warn(run.log().text("report.log.refused", copper.email(), link, error.text()));
    }

    /** The audience's hosted signup form: asked once, then kept in the synced state. */
    private String subscribeUrl(SyncRun run, Pending p) {
        if (p.subscribeUrl == null) {
            p.subscribeUrl = run.store() == null ? null : run.store().meta(SUBSCRIBE_URL).orElse(null);
        }
        if (p.subscribeUrl == null) {
            try {
                p.subscribeUrl = client(run).list().subscribeUrlLong();
                if (!run.dryRun() && run.store() != null) {
                    run.store().putMeta(SUBSCRIBE_URL, p.subscribeUrl);
                }
            } catch (ApiException e) {
                LOG.warn("Signup form of the audience unknown: {}", e.getMessage());
                return "";
            }
        }
        return p.subscribeUrl;
    }

    private void fail(SyncRun run, String email, String name, String operation, String error) {
        record(run, email, name, operation, List.of(), error);
    }

    private void record(SyncRun run, String email, String name, String operation, List<String> tags, String error) {
        record(run, email, name, operation, tags, List.of(), error);
    }

    private void record(SyncRun run, String email, String name, String operation, List<String> tags,
                        List<String> fields, String error) {
        boolean ok = error == null;
        run.outcome(new OperationOutcome(email, Direction.COPPER_TO_MAILCHIMP, operation, ok, name.strip(), tags, error,
                null, fields));
        if (ok) {
            long now = System.currentTimeMillis();
            switch (operation) {
                case CREATE -> run.echo().mailchimpCreated(now);
                default -> run.echo().mailchimpChanged(email, now);
            }
            run.log().success(run.log().text("report.log.write-ok", Direction.COPPER_TO_MAILCHIMP.label(),
                    Reasons.operation(run.log().language().messages(), operation), email));
        } else {
            run.log().error(run.log().text("report.log.write-failed", Direction.COPPER_TO_MAILCHIMP.label(),
                    Reasons.operation(run.log().language().messages(), operation), email, error));
            LOG.debug("Mailchimp write failed for {}", email);
        }
    }
}

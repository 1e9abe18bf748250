package io.cmsync.run;

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

import io.cmsync.http.ApiException;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpError;
import io.cmsync.mailchimp.MailchimpMapping;
import io.cmsync.report.ForgottenEntry;
import io.cmsync.report.OperationOutcome;
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
    private static final String SUBSCRIBE_URL = "mailchimp.subscribe_url_long";

    private final MailchimpClient client;
    private final SyncRuns runs;
    private final String newMemberStatus;
    private Map<String, Long> segments;
    private final List<Deferred> deferred = new ArrayList<>();
    private final Map<String, List<String>> pendingAdds = new TreeMap<>();
    private final Map<String, List<String>> pendingRemoves = new TreeMap<>();
    private final List<SubmittedNames> submitted = new ArrayList<>();
    private String subscribeUrl;

    public MailchimpWriter(MailchimpClient client, SyncRuns runs, String newMemberStatus) {
        this.client = client;
        this.runs = runs;
        this.newMemberStatus = newMemberStatus;
    }

    /** Forget per-run caches (tags created by marketers between runs). */
    public void start() {
        segments = null;
        subscribeUrl = null;
        deferred.clear();
        pendingAdds.clear();
        pendingRemoves.clear();
        submitted.clear();
    }

    public void createMembers(List<Action.CreateMailchimpMember> batch) {
        if (batch.isEmpty()) {
            return;
        }
        SyncRun run = runs.current();
        List<Map<String, Object>> members = new ArrayList<>();
        for (Action.CreateMailchimpMember a : batch) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("email_address", a.email());
            m.put("status", a.status());
            m.put("merge_fields", MailchimpMapping.mergeFields(a.copper().firstName(), a.copper().lastName()));
            members.add(m);
        }
        List<MailchimpClient.MemberResult> results;
        try {
            results = client.batchSubscribe(members);
        } catch (ApiException e) {
            batch.forEach(a -> fail(run, a.email(), a.copper().displayName(), CREATE, e.getMessage()));
            return;
        }
        Map<String, Action.CreateMailchimpMember> created = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Action.CreateMailchimpMember a = batch.get(i);
            MailchimpClient.MemberResult r = results.get(i);
            if (r.ok()) {
                created.put(a.email(), a);
            } else if (r.error().needsResubscription()) {
                awaitingResubscription(run, a.copper(), r.error());
            } else if ("ERROR_CONTACT_EXISTS".equals(r.error().title())) {
                // a retried batch whose first attempt landed (answer lost), or a member added meanwhile: it is
                // there; its tags are applied below, and the synced state waits for the next run's comparison
                created.put(a.email(), a);
                run.holdBack(a.email());
            } else {
                fail(run, a.email(), a.copper().displayName(), CREATE, r.error().text());
            }
        }
        created.values().forEach(a -> defer(a.email(), a.copper().displayName(), CREATE, List.copyOf(a.tags()),
                a.tags(), Set.of()));
        run.log().info("Mailchimp: lot de " + batch.size() + " création(s) envoyé, " + created.size() + " créé(s)");
    }

    public void updateMembers(List<Action.UpdateMailchimpMember> batch) {
        if (batch.isEmpty()) {
            return;
        }
        SyncRun run = runs.current();
        List<Action.UpdateMailchimpMember> named = batch.stream().filter(Action.UpdateMailchimpMember::namesChanged).toList();
        if (named.size() >= 2) {
            submitNameUpdates(run, named);
            batch.stream().filter(a -> !a.namesChanged()).forEach(a -> settle(run, a, null));
            return;
        }
        for (Action.UpdateMailchimpMember a : batch) {
            MailchimpError error = null;
            if (a.namesChanged()) {
                // status_if_new only: an unsubscribed, cleaned or archived member keeps its status
                try {
                    error = client.updateMember(a.email(), newMemberStatus, a.firstName(), a.lastName()).error();
                } catch (ApiException e) {
                    error = new MailchimpError(e.status(), "HTTP", e.getMessage());
                }
            }
            settle(run, a, error);
        }
    }

    /**
     * Two name changes or more go to Mailchimp as batch operations (the same PUTs, status_if_new only): ⌈n/500⌉ batch
     * calls instead of n PUTs. They are submitted now and read at the end of the run, all pending batches polled
     * together (one listing a round), so a run's batches cost their submissions and a few polls, not a poll each.
     */
    private void submitNameUpdates(SyncRun run, List<Action.UpdateMailchimpMember> named) {
        List<MailchimpClient.MemberUpdate> updates = named.stream()
                .map(a -> new MailchimpClient.MemberUpdate(a.email(), newMemberStatus, a.firstName(), a.lastName()))
                .toList();
        try {
            submitted.add(new SubmittedNames(client.submitMemberUpdates(updates), named));
        } catch (ApiException e) {
            named.forEach(a -> settle(run, a, new MailchimpError(e.status(), "HTTP", e.getMessage())));
            return;
        }
        if (submitted.stream().mapToInt(s -> s.actions().size()).sum() >= MAX_SUBMITTED) {
            awaitNameUpdates(); // a large run: memory and Mailchimp's pending batches stay bounded
        }
    }

    /** Reads the outcome of every submitted name-update batch, then settles each update. */
    private void awaitNameUpdates() {
        if (submitted.isEmpty()) {
            return;
        }
        SyncRun run = runs.current();
        List<List<MailchimpClient.MemberResult>> results = client.awaitMemberUpdates(
                submitted.stream().map(SubmittedNames::submission).toList());
        int count = 0;
        for (int i = 0; i < submitted.size(); i++) {
            List<Action.UpdateMailchimpMember> named = submitted.get(i).actions();
            for (int j = 0; j < named.size(); j++) {
                settle(run, named.get(j), results.get(i).get(j).error());
            }
            count += named.size();
        }
        run.log().info("Mailchimp: " + count + " mise(s) à jour de noms envoyée(s) en opérations groupées (batch)");
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
    private void settle(SyncRun run, Action.UpdateMailchimpMember a, MailchimpError error) {
        String name = a.firstName() + " " + a.lastName();
        if (error != null) {
            if (error.needsResubscription()) {
                awaitingResubscription(run, a.copper(), error);
            } else {
                record(run, a.email(), name, UPDATE, PlanStep.movedTags(a), error.text());
            }
        } else if (!run.failed(a.email())) {
            defer(a.email(), name, UPDATE, PlanStep.movedTags(a), a.tagsToAdd(), a.tagsToRemove());
        }
    }

    /** A member archived by the deletion workflow, back because the Copper person is active again. */
    public void reactivate(Action.ReactivateMailchimpMember a) {
        SyncRun run = runs.current();
        MailchimpClient.MemberResult r;
        try {
            r = client.restoreMember(a.email(), a.status(), a.copper().firstName(), a.copper().lastName());
        } catch (ApiException e) {
            r = new MailchimpClient.MemberResult(a.email(), new MailchimpError(e.status(), "HTTP", e.getMessage()));
        }
        if (!r.ok()) {
            record(run, a.email(), a.copper().displayName(), REACTIVATE, List.of(), r.error().text());
            return;
        }
        defer(a.email(), a.copper().displayName(), REACTIVATE, List.copyOf(a.tags()), a.tags(), Set.of());
    }

    /** A member written; its outcome waits for the tag changes, which are sent for the whole run at once. */
    private record Deferred(String email, String name, String operation, List<String> tags) {
    }

    private void defer(String email, String name, String operation, List<String> tags, Set<String> add,
                       Set<String> remove) {
        add.forEach(t -> pendingAdds.computeIfAbsent(t, k -> new ArrayList<>()).add(email));
        remove.forEach(t -> pendingRemoves.computeIfAbsent(t, k -> new ArrayList<>()).add(email));
        deferred.add(new Deferred(email, name, operation, tags));
        if (deferred.size() >= MAX_DEFERRED) {
            flushTags(); // a large run: memory stays bounded, at the cost of a few more segment calls
        }
    }

    /** Members written whose tags wait to be sent grouped per tag; past this, they are sent at once. */
    static final int MAX_DEFERRED = 50_000;

    /**
     * After every batch of the run: the outcome of the name updates still in Mailchimp's batches, then the tag changes
     * of all written members, grouped per tag across the whole run (one segment call per tag and 500 members, however
     * the members were batched), then their outcomes.
     */
    public void finish() {
        awaitNameUpdates();
        flushTags();
    }

    private void flushTags() {
        if (deferred.isEmpty()) {
            return;
        }
        SyncRun run = runs.current();
        Map<String, String> tagFailures = applyTags(pendingAdds, pendingRemoves);
        for (Deferred d : deferred) {
            record(run, d.email(), d.name(), d.operation(), d.tags(), tagFailures.get(d.email()));
        }
        deferred.clear();
        pendingAdds.clear();
        pendingRemoves.clear();
    }

    /** Tag changes grouped by tag: one segment call per tag and 500 members; returns e-mail → failure. */
    private Map<String, String> applyTags(Map<String, List<String>> adds, Map<String, List<String>> removes) {
        Map<String, String> failures = new LinkedHashMap<>();
        if (adds.isEmpty() && removes.isEmpty()) {
            return failures;
        }
        try {
            if (segments == null) {
                segments = client.tagSegments();
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
                Long id = segments.get(tag.toLowerCase(Locale.ROOT));
                if (id == null) {
                    if (add.isEmpty()) {
                        continue; // removing a tag that no longer exists: nothing to do
                    }
                    // creating the tag takes its first 500 members in the same call
                    List<String> first = add.subList(0, Math.min(MailchimpClient.BATCH_LIMIT, add.size()));
                    try {
                        id = client.createTag(tag, first);
                        add = add.subList(first.size(), add.size());
                    } catch (ApiException e) {
                        // a retried create whose first attempt landed: the tag exists now, add its members to it
                        id = e.status() == 400 && e.getMessage().contains("already exists")
                                ? client.tagSegments().get(tag.toLowerCase(Locale.ROOT)) : null;
                        if (id == null) {
                            throw e;
                        }
                    }
                    segments.put(tag.toLowerCase(Locale.ROOT), id);
                }
                List<List<String>> addChunks = Chunks.of(add, MailchimpClient.BATCH_LIMIT);
                List<List<String>> removeChunks = Chunks.of(remove, MailchimpClient.BATCH_LIMIT);
                // one call carries up to 500 additions and 500 removals
                for (int i = 0; i < Math.max(addChunks.size(), removeChunks.size()); i++) {
                    client.updateTag(id, i < addChunks.size() ? addChunks.get(i) : List.of(),
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

    private void awaitingResubscription(SyncRun run, Contact copper, MailchimpError error) {
        String link = MailchimpClient.resubscribeLink(subscribeUrl(run), copper.email());
        run.holdBack(copper.email());
        run.refusedByMailchimp(copper.email(), copper);
        run.forgotten().add(new ForgottenEntry(copper.email(), copper.displayName(), link, true));
        run.log().warn("Adresse refusée par Mailchimp (" + error.text() + "): réinscription requise pour "
                + copper.email() + " — " + link);
    }

    /** The audience's hosted signup form: asked once, then kept in the synced state. */
    public String subscribeUrl(SyncRun run) {
        if (subscribeUrl == null) {
            subscribeUrl = run.store() == null ? null : run.store().meta(SUBSCRIBE_URL).orElse(null);
        }
        if (subscribeUrl == null) {
            try {
                subscribeUrl = client.list().subscribeUrlLong();
                if (!run.dryRun() && run.store() != null) {
                    run.store().putMeta(SUBSCRIBE_URL, subscribeUrl);
                }
            } catch (ApiException e) {
                LOG.warn("Signup form of the audience unknown: {}", e.getMessage());
                return "";
            }
        }
        return subscribeUrl;
    }

    private void fail(SyncRun run, String email, String name, String operation, String error) {
        record(run, email, name, operation, List.of(), error);
    }

    private void record(SyncRun run, String email, String name, String operation, List<String> tags, String error) {
        boolean ok = error == null;
        run.outcome(new OperationOutcome(email, Direction.COPPER_TO_MAILCHIMP, operation, ok, name.strip(), tags, error, null));
        if (ok) {
            long now = System.currentTimeMillis();
            switch (operation) {
                case CREATE -> run.echo().mailchimpCreated(now);
                default -> run.echo().mailchimpChanged(email, now);
            }
            run.log().success("Copper → Mailchimp (" + operation + "): " + email);
        } else {
            run.log().error("Copper → Mailchimp (" + operation + ") en échec: " + email + " — " + error);
            LOG.debug("Mailchimp write failed for {}", email);
        }
    }
}

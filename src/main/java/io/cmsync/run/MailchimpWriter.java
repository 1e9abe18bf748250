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
        Map<String, List<String>> tagAdds = new TreeMap<>();
        Map<String, Action.CreateMailchimpMember> created = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            Action.CreateMailchimpMember a = batch.get(i);
            MailchimpClient.MemberResult r = results.get(i);
            if (r.ok()) {
                created.put(a.email(), a);
                a.tags().forEach(t -> tagAdds.computeIfAbsent(t, k -> new ArrayList<>()).add(a.email()));
            } else if (r.error().needsResubscription()) {
                awaitingResubscription(run, a.copper(), r.error());
            } else {
                fail(run, a.email(), a.copper().displayName(), CREATE, r.error().text());
            }
        }
        Map<String, String> tagFailures = applyTags(tagAdds, Map.of());
        created.values().forEach(a -> record(run, a.email(), a.copper().displayName(), CREATE,
                List.copyOf(a.tags()), tagFailures.get(a.email())));
        run.log().info("Mailchimp: lot de " + batch.size() + " création(s) envoyé, " + created.size() + " créé(s)");
    }

    public void updateMembers(List<Action.UpdateMailchimpMember> batch) {
        if (batch.isEmpty()) {
            return;
        }
        SyncRun run = runs.current();
        Map<String, List<String>> adds = new TreeMap<>();
        Map<String, List<String>> removes = new TreeMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        Map<Action.UpdateMailchimpMember, MailchimpClient.MemberResult> batched = batchNameUpdates(batch);
        for (Action.UpdateMailchimpMember a : batch) {
            if (a.namesChanged()) {
                // status_if_new only: an unsubscribed, cleaned or archived member keeps its status
                MailchimpClient.MemberResult r = batched.get(a);
                if (r == null) {
                    try {
                        r = client.updateMember(a.email(), newMemberStatus, a.firstName(), a.lastName());
                    } catch (ApiException e) {
                        r = new MailchimpClient.MemberResult(a.email(), new MailchimpError(e.status(), "HTTP", e.getMessage()));
                    }
                }
                if (!r.ok()) {
                    if (r.error().needsResubscription()) {
                        awaitingResubscription(run, a.copper(), r.error());
                    } else {
                        failures.put(a.email(), r.error().text());
                    }
                    continue;
                }
            }
            a.tagsToAdd().forEach(t -> adds.computeIfAbsent(t, k -> new ArrayList<>()).add(a.email()));
            a.tagsToRemove().forEach(t -> removes.computeIfAbsent(t, k -> new ArrayList<>()).add(a.email()));
        }
        Map<String, String> tagFailures = applyTags(adds, removes);
        for (Action.UpdateMailchimpMember a : batch) {
            if (run.failed(a.email()) && !failures.containsKey(a.email())) {
                continue; // awaiting resubscription, already reported
            }
            String error = failures.getOrDefault(a.email(), tagFailures.get(a.email()));
            record(run, a.email(), a.firstName() + " " + a.lastName(), UPDATE, PlanStep.movedTags(a), error);
        }
    }

    /**
     * Two name changes or more go to Mailchimp as batch operations (the same PUTs, status_if_new only): ⌈n/500⌉ batch
     * calls plus their polls instead of n PUTs. A single change keeps the direct PUT (empty map).
     */
    private Map<Action.UpdateMailchimpMember, MailchimpClient.MemberResult> batchNameUpdates(
            List<Action.UpdateMailchimpMember> batch) {
        List<Action.UpdateMailchimpMember> named = batch.stream().filter(Action.UpdateMailchimpMember::namesChanged).toList();
        Map<Action.UpdateMailchimpMember, MailchimpClient.MemberResult> results = new java.util.IdentityHashMap<>();
        if (named.size() < 2) {
            return results;
        }
        List<MailchimpClient.MemberUpdate> updates = named.stream()
                .map(a -> new MailchimpClient.MemberUpdate(a.email(), newMemberStatus, a.firstName(), a.lastName()))
                .toList();
        List<MailchimpClient.MemberResult> answers;
        try {
            answers = client.batchUpdateMembers(updates);
        } catch (ApiException e) {
            named.forEach(a -> results.put(a, new MailchimpClient.MemberResult(a.email(),
                    new MailchimpError(e.status(), "HTTP", e.getMessage()))));
            return results;
        }
        for (int i = 0; i < named.size(); i++) {
            results.put(named.get(i), answers.get(i));
        }
        runs.current().log().info("Mailchimp: " + named.size() + " mise(s) à jour de noms envoyée(s) en opérations groupées (batch)");
        return results;
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
        Map<String, List<String>> adds = new TreeMap<>();
        a.tags().forEach(t -> adds.computeIfAbsent(t, k -> new ArrayList<>()).add(a.email()));
        Map<String, String> tagFailures = applyTags(adds, Map.of());
        record(run, a.email(), a.copper().displayName(), REACTIVATE, List.copyOf(a.tags()), tagFailures.get(a.email()));
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
                    id = client.createTag(tag, first);
                    segments.put(tag.toLowerCase(Locale.ROOT), id);
                    add = add.subList(first.size(), add.size());
                }
                List<List<String>> addChunks = chunks(add);
                List<List<String>> removeChunks = chunks(remove);
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

    private static List<List<String>> chunks(List<String> emails) {
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < emails.size(); i += MailchimpClient.BATCH_LIMIT) {
            chunks.add(emails.subList(i, Math.min(i + MailchimpClient.BATCH_LIMIT, emails.size())));
        }
        return chunks;
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
            run.log().success("Copper → Mailchimp (" + operation + "): " + email);
        } else {
            run.log().error("Copper → Mailchimp (" + operation + ") en échec: " + email + " — " + error);
            LOG.debug("Mailchimp write failed for {}", email);
        }
    }
}

package io.cmsync.archive;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.http.ApiException;
import io.cmsync.mailchimp.MailchimpClient;
import io.cmsync.mailchimp.MailchimpError;
import io.cmsync.state.StateStore;
import io.cmsync.state.StateStore.PendingFlagged;
import io.cmsync.sync.TagRules;

/**
 * Acts on one contact of the archive channel (SPEC §4): the archive record is written first, and if that fails
 * nothing else happens; then Copper (inactive tag in place of the deletion tag, or deletion) and Mailchimp (archive,
 * unsubscribe or permanent deletion). The pending record is removed only when every step succeeded.
 */
public final class FlaggedWorkflow {
    private static final Logger LOG = LoggerFactory.getLogger(FlaggedWorkflow.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do with one flagged contact. */
    public enum Decision {
        ARCHIVE("archive", "Archivage"), DELETE("delete", "Suppression"), IGNORE("ignore", "Ignoré (reste en attente)");

        final String code;
        final String label;

        Decision(String code, String label) {
            this.code = code;
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What happened to one contact.
     *
     * @param steps    what was done, in order, in the report's words
     * @param error    why it failed (null on success)
     * @param fatal    the failure was a connection or authentication error: stop the command
     * @param archived the archive record was written
     */
    public record Result(PendingFlagged pending, Decision decision, boolean permanent, boolean success,
                         List<String> steps, String error, boolean fatal, boolean archived) {
    }

    private final CopperClient copper;
    private final MailchimpClient mailchimp;
    private final StateStore store;
    private final ArchiveFile archive;
    private final TagRules rules;
    private final String mailchimpAction;
    private final Clock clock;

    public FlaggedWorkflow(CopperClient copper, MailchimpClient mailchimp, StateStore store, ArchiveFile archive,
                           TagRules rules, String mailchimpAction, Clock clock) {
        this.copper = copper;
        this.mailchimp = mailchimp;
        this.store = store;
        this.archive = archive;
        this.rules = rules;
        this.mailchimpAction = mailchimpAction;
        this.clock = clock;
    }

    public Result apply(PendingFlagged p, Decision decision, boolean permanent) {
        String email = p.email();
        List<String> steps = new ArrayList<>();
        if (decision == Decision.IGNORE) {
            LOG.info("Contact marqué {} ignoré: reste en attente", email);
            steps.add("Aucune modification, le contact reste en attente");
            return new Result(p, decision, false, true, steps, null, false, false);
        }
        boolean perm = decision == Decision.DELETE && permanent;
        Long copperId = copperId(p);

        // 1. the current data on both sides, as the APIs return it, for the archive record
        Optional<JsonNode> person;
        Optional<JsonNode> member;
        try {
            person = copperId == null ? Optional.empty() : copper.person(copperId);
            member = mailchimp.member(email);
        } catch (ApiException e) {
            LOG.error("Contact marqué {}: lecture impossible, rien n'a été modifié: {}", email, e.getMessage());
            return failed(p, decision, perm, steps, "Lecture impossible, rien n'a été modifié: " + e.getMessage(),
                    fatal(e), false);
        }

        // the decision was taken on the tag: if someone removed it in Copper since, act on nothing
        if (person.isPresent() && noDeletionTag(person.get())) {
            store.removePending(email);
            steps.add("Copper: le tag de suppression a été retiré de la personne, rien n'est fait");
            steps.add("Retiré des contacts en attente");
            LOG.info("Contact marqué {}: tag de suppression retiré dans Copper, rien n'est fait, retiré de l'attente",
                    email);
            return new Result(p, decision, perm, true, steps, null, false, false);
        }

        // 2. the archive record, on disk before anything changes
        ObjectNode record = record(p, decision, perm, person.orElse(null), member.orElse(null));
        try {
            archive.append(record);
        } catch (IOException | RuntimeException e) {
            LOG.error("Contact marqué {}: écriture de l'archive {} impossible, rien n'a été modifié: {}", email,
                    archive.path(), e.toString());
            return failed(p, decision, perm, steps, "Écriture de l'archive impossible (" + archive.path() + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage())
                    + "), rien n'a été modifié", false, false);
        }
        steps.add("Archive: enregistrement écrit dans " + archive.path());
        LOG.info("Contact marqué {}: enregistrement écrit dans {} (action {})", email, archive.path(), decision.code);

        List<String> errors = new ArrayList<>();
        boolean fatal = false;
        // 3. Copper
        try {
            copperStep(p, decision, copperId, person, steps, errors);
        } catch (ApiException e) {
            errors.add("Copper: " + e.getMessage());
            fatal = fatal(e);
        }
        // 4. Mailchimp
        if (!fatal) {
            try {
                mailchimpStep(email, decision, perm, member, steps, errors);
            } catch (ApiException e) {
                errors.add("Mailchimp: " + e.getMessage());
                fatal = fatal(e);
            }
        }
        if (!errors.isEmpty()) {
            String error = String.join(" ; ", errors);
            LOG.error("Contact marqué {}: action « {} » incomplète, reste en attente: {}", email, decision.label, error);
            return failed(p, decision, perm, steps, error, fatal, true);
        }
        if (decision == Decision.ARCHIVE && !Settings.FLAGGED_UNSUBSCRIBE.equals(mailchimpAction)) {
            // archived by the product: the member comes back if the person is reactivated (inactive tag removed)
            JsonNode pj = person.orElse(null);
            store.save(new io.cmsync.sync.SyncedRecord(email, copperId,
                    pj == null ? "" : pj.path("first_name").asText(""), pj == null ? "" : pj.path("last_name").asText(""),
                    java.util.Set.of(), java.util.Set.of(), io.cmsync.sync.Planner.ARCHIVED_BY_SYNC_STATUS,
                    java.time.Instant.now()));
        }
        store.removePending(email);
        steps.add("Retiré des contacts en attente");
        LOG.info("Contact marqué {}: action « {} » terminée, retiré des contacts en attente", email, decision.label);
        return new Result(p, decision, perm, true, steps, null, false, true);
    }

    private void copperStep(PendingFlagged p, Decision decision, Long id, Optional<JsonNode> person,
                            List<String> steps, List<String> errors) {
        if (id == null) {
            errors.add("Copper: identifiant de la personne inconnu dans l'enregistrement en attente");
            return;
        }
        if (person.isEmpty()) {
            steps.add("Copper: personne " + id + " introuvable (déjà supprimée ?), rien à modifier");
            LOG.info("Contact marqué {}: personne Copper {} introuvable, rien à modifier", p.email(), id);
            return;
        }
        if (decision == Decision.DELETE) {
            boolean deleted = copper.deletePerson(id);
            steps.add(deleted ? "Copper: personne " + id + " supprimée" : "Copper: personne " + id + " déjà absente");
            LOG.info("Contact marqué {}: personne Copper {} {}", p.email(), id, deleted ? "supprimée" : "déjà absente");
            return;
        }
        List<String> tags = new ArrayList<>();
        person.get().path("tags").forEach(t -> tags.add(t.asText()));
        List<String> removed = tags.stream().filter(rules::isDeletionTag).toList();
        List<String> kept = new ArrayList<>(tags.stream().filter(t -> !rules.isDeletionTag(t)).toList());
        boolean hasInactive = kept.stream().anyMatch(rules::isInactiveTag);
        if (!hasInactive) {
            kept.add(rules.inactiveTag());
        }
        if (removed.isEmpty() && hasInactive) {
            steps.add("Copper: déjà marqué inactif, sans tag de suppression");
            return;
        }
        copper.updateTags(id, kept);
        String what = removed.isEmpty() ? "aucun tag de suppression trouvé" : "tag « " + String.join(", ", removed) + " »";
        steps.add("Copper: " + what + " remplacé par « " + (hasInactive ? "tag inactif existant" : rules.inactiveTag())
                + " »");
        LOG.info("Contact marqué {}: tags Copper de la personne {} remplacés: {} -> {}", p.email(), id, tags, kept);
    }

    private void mailchimpStep(String email, Decision decision, boolean permanent, Optional<JsonNode> member,
                               List<String> steps, List<String> errors) {
        if (member.isEmpty()) {
            steps.add("Mailchimp: aucun membre pour cette adresse, rien à faire");
            LOG.info("Contact marqué {}: absent de l'audience Mailchimp", email);
            return;
        }
        String status = member.get().path("status").asText("");
        if (permanent) {
            MailchimpError e = mailchimp.deletePermanent(email);
            if (e == null || e.status() == 404) {
                steps.add(e == null ? "Mailchimp: membre supprimé définitivement (adresse non réimportable)"
                        : "Mailchimp: membre déjà absent");
                LOG.warn("Contact marqué {}: membre Mailchimp supprimé définitivement", email);
            } else {
                errors.add("Mailchimp: suppression définitive refusée: " + e.text());
            }
            return;
        }
        boolean unsubscribe = decision == Decision.ARCHIVE && Settings.FLAGGED_UNSUBSCRIBE.equals(mailchimpAction);
        if ("archived".equals(status)) {
            steps.add("Mailchimp: membre déjà archivé");
            return;
        }
        if (unsubscribe) {
            if ("unsubscribed".equals(status)) {
                steps.add("Mailchimp: membre déjà désabonné");
                return;
            }
            MailchimpError e = mailchimp.unsubscribe(email);
            if (e == null) {
                steps.add("Mailchimp: membre désabonné (était " + status + ")");
                LOG.info("Contact marqué {}: membre Mailchimp désabonné", email);
            } else if (e.status() == 404) {
                steps.add("Mailchimp: membre déjà absent");
            } else {
                errors.add("Mailchimp: désabonnement refusé: " + e.text());
            }
            return;
        }
        MailchimpError e = mailchimp.archiveMember(email);
        if (e == null) {
            steps.add("Mailchimp: membre archivé (était " + status + ")");
            LOG.info("Contact marqué {}: membre Mailchimp archivé", email);
        } else if (e.status() == 404) {
            steps.add("Mailchimp: membre déjà absent");
        } else if (e.status() == 405 && mailchimp.member(email).map(m -> "archived".equals(m.path("status").asText()))
                .orElse(true)) {
            steps.add("Mailchimp: membre déjà archivé");
        } else {
            errors.add("Mailchimp: archivage refusé pour un membre " + status + ": " + e.text()
                    + (decision == Decision.DELETE ? " (--permanent le supprime définitivement)" : ""));
        }
    }

    private ObjectNode record(PendingFlagged p, Decision decision, boolean permanent, JsonNode person,
                              JsonNode member) {
        ObjectNode r = JSON.createObjectNode();
        r.put("archived_at", clock.instant().toString());
        r.put("action", decision.code);
        r.put("mailchimp_action", permanent ? "delete-permanent"
                : decision == Decision.ARCHIVE ? mailchimpAction : Settings.FLAGGED_ARCHIVE);
        r.put("email", p.email());
        r.put("display_name", p.displayName());
        r.put("matched_tag", p.matchedTag());
        r.put("first_seen", p.firstSeen() == null ? null : p.firstSeen().toString());
        r.put("last_seen", p.lastSeen() == null ? null : p.lastSeen().toString());
        r.set("copper_person", person);
        r.set("mailchimp_member", member);
        ObjectNode pending = r.putObject("pending_record");
        pending.set("copper", parse(p.copperJson()));
        pending.set("mailchimp", parse(p.mailchimpJson()));
        return r;
    }

    private boolean noDeletionTag(JsonNode person) {
        for (JsonNode t : person.path("tags")) {
            if (rules.isDeletionTag(t.asText())) {
                return false;
            }
        }
        return true;
    }

    public static Long copperId(PendingFlagged p) {
        JsonNode id = parse(p.copperJson()).path("id");
        if (id.isNumber()) {
            return id.asLong();
        }
        try {
            return id.isTextual() ? Long.parseLong(id.asText().strip()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static JsonNode parse(String json) {
        if (json == null || json.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }

    private static boolean fatal(ApiException e) {
        return e.status() == 0 || e.authenticationFailure();
    }

    private static Result failed(PendingFlagged p, Decision d, boolean perm, List<String> steps, String error,
                                 boolean fatal, boolean archived) {
        return new Result(p, d, perm, false, steps, error, fatal, archived);
    }
}

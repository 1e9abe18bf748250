package io.cmsync.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The three-way planner: Copper people × Mailchimp members × last synced state → actions (SPEC §3, §4).
 * <p>
 * Pure and deterministic: no I/O, the same input gives the same plan, actions sorted by e-mail. Per e-mail, in
 * this order:
 * <ol>
 *     <li>TEST mode: a contact whose normalised e-mail lacks the marker gets no action (only counted).</li>
 *     <li>Copper person with the deletion tag (or an alias) → {@link Action.Flagged}; with the inactive tag →
 *     {@link Action.Excluded}; nothing else is done for that e-mail on either side.</li>
 *     <li>Copper person without e-mail, with an invalid e-mail, or sharing its e-mail with another Copper person
 *     → {@link Action.NotSynced} (each person); the same for a Mailchimp member with an address this product
 *     deems invalid (or, defensively, a duplicate); nothing else is done for that e-mail.</li>
 *     <li>Copper only → {@link Action.CreateMailchimpMember}; Mailchimp only → {@link Action.CreateCopperPerson}
 *     for imported statuses, else {@link Action.Excluded}; in both → field-by-field three-way merge of the names,
 *     tags Copper → Mailchimp, Mailchimp status mirrored into Copper tags; {@link Action.SkipIdentical} when
 *     nothing is to be written.</li>
 * </ol>
 * Merge rules for a name field: equal sides keep their value; an empty value never overwrites a non-empty one;
 * without a synced state Copper wins; otherwise the side that changed since the state wins, and when both changed
 * the most recent modification wins (tie or unknown date: Copper) and a {@link Conflict} is recorded on the action
 * that overwrites the losing side.
 */
public final class Planner {

    public static final String SIDE_COPPER = "copper";
    public static final String SIDE_MAILCHIMP = "mailchimp";

    /** A side as a person names it in the log and the console: Copper, Mailchimp (any other text as is). */
    public static String sideName(String side) {
        return SIDE_COPPER.equalsIgnoreCase(side) ? "Copper" : SIDE_MAILCHIMP.equalsIgnoreCase(side) ? "Mailchimp" : side;
    }

    public static final String FIELD_FIRST_NAME = "firstName";
    public static final String FIELD_LAST_NAME = "lastName";

    public static final String REASON_NO_EMAIL = "pas d'adresse e-mail";
    public static final String REASON_INVALID_EMAIL = "adresse e-mail invalide";
    public static final String REASON_DUPLICATE_COPPER = "adresse e-mail en double dans Copper";
    public static final String REASON_DUPLICATE_MAILCHIMP = "adresse e-mail en double dans Mailchimp";
    public static final String REASON_NO_NAME = "membre Mailchimp sans nom";
    public static final String REASON_UNREADABLE = "données illisibles (octets invalides dans la réponse de l'API)";
    public static final String REASON_CONTROL_CHARACTERS = "caractères de contrôle dans le nom ou les tags";
    public static final String REASON_INVALID_COPPER_ID = "identifiant Copper manquant ou invalide";
    /** Followed by the tag as the person carries it. */
    public static final String REASON_INACTIVE_PREFIX = "tag inactif: ";
    /** Followed by the member's status. */
    public static final String REASON_STATUS_PREFIX = "statut Mailchimp ";
    public static final String REASON_FORGOTTEN =
            "adresse supprimée définitivement de Mailchimp: réinscription requise";
    /** A member archived in Mailchimp (not by this product) whose Copper person is active; its id is Copper's. */
    public static final String REASON_ARCHIVED_ACTIVE = "membre archivé dans Mailchimp, personne Copper active";
    public static final String REASON_DELETED_IN_COPPER =
            "personne supprimée de Copper depuis la dernière synchronisation (non recréée)";

    /**
     * Value of {@link SyncedRecord#mailchimpStatus()} that the executor stores when Mailchimp refused to (re)add
     * an address (permanently deleted / compliance state): the Copper person is then not retried every run; it is
     * synced again as soon as the address is back on the audience.
     */
    public static final String FORGOTTEN_STATUS = "forgotten";

    /**
     * Value of {@link SyncedRecord#mailchimpStatus()} stored by the {@code flagged archive} command: the member was
     * archived by this product, so it comes back when the Copper person is active again.
     */
    public static final String ARCHIVED_BY_SYNC_STATUS = "archived_by_sync";

    /** Member statuses meaning the person is on the audience again (clears the resubscribe tag). */
    private static final Set<String> ON_AUDIENCE = Set.of("subscribed", "pending");

    private final PlannerSettings settings;
    private final TagRules rules;
    private final List<FieldRule> fieldRules;

    public Planner(PlannerSettings settings) {
        this(settings, List.of());
    }

    /** A planner that also syncs the mapped fields beyond the names, one {@link FieldRule} each. */
    public Planner(PlannerSettings settings, List<FieldRule> fieldRules) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rules = settings.tagRules();
        this.fieldRules = List.copyOf(fieldRules);
    }

    /** This planner with the run's mapped fields (the mapping is checked against both accounts at each run). */
    public Planner withFieldRules(List<FieldRule> rules) {
        return rules.equals(fieldRules) ? this : new Planner(settings, rules);
    }

    public List<FieldRule> fieldRules() {
        return fieldRules;
    }

    public PlannerSettings settings() {
        return settings;
    }

    /**
     * Plans one run.
     *
     * @param copper    every Copper person read (raw: blank, invalid or duplicated e-mails allowed)
     * @param mailchimp every Mailchimp member read (all statuses)
     * @param state     last synced state per normalised e-mail (may return empty or null)
     * @param now       the run's time, stamped on the target records
     */
    public SyncPlan plan(List<Contact> copper, List<Contact> mailchimp,
                         Function<String, Optional<SyncedRecord>> state, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(now, "now");
        List<Action> actions = new ArrayList<>();
        Map<String, SyncedRecord> targets = new HashMap<>();
        int outside = 0;

        // ---- Mailchimp index (needed first: flagged people carry their member)
        Map<String, List<Contact>> membersByKey = new LinkedHashMap<>();
        for (Contact member : nullSafe(mailchimp)) {
            String key = keyOf(member);
            if (!settings.inScope(key)) {
                outside++;
                continue;
            }
            membersByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(member);
        }
        List<Action> mailchimpIssues = new ArrayList<>();
        Map<String, Contact> members = new LinkedHashMap<>();
        Set<String> blocked = new HashSet<>();
        for (Map.Entry<String, List<Contact>> e : membersByKey.entrySet()) {
            String key = e.getKey();
            String unwritable = unwritable(e.getValue().get(0));
            if (key.isEmpty()) {
                e.getValue().forEach(m -> mailchimpIssues.add(
                        new Action.NotSynced(key, SIDE_MAILCHIMP, REASON_NO_EMAIL, m.sideId())));
            } else if (e.getValue().size() > 1) {
                e.getValue().forEach(m -> mailchimpIssues.add(
                        new Action.NotSynced(key, SIDE_MAILCHIMP, REASON_DUPLICATE_MAILCHIMP, m.sideId())));
                blocked.add(key);
            } else if (!Emails.isValid(key)) {
                // Mailchimp accepted it, but a Copper person could not be synced with it afterwards
                mailchimpIssues.add(new Action.NotSynced(key, SIDE_MAILCHIMP, REASON_INVALID_EMAIL,
                        e.getValue().get(0).sideId()));
                blocked.add(key);
            } else if (unwritable != null) {
                mailchimpIssues.add(new Action.NotSynced(key, SIDE_MAILCHIMP, unwritable, e.getValue().get(0).sideId()));
                blocked.add(key);
            } else {
                members.put(key, e.getValue().get(0));
            }
        }

        // ---- Copper people: scope, deletion / inactive tags, e-mail problems, duplicates
        List<Contact> copperInScope = new ArrayList<>();
        Map<String, Integer> copperCount = new HashMap<>();
        for (Contact person : nullSafe(copper)) {
            String key = keyOf(person);
            if (!settings.inScope(key)) {
                outside++;
                continue;
            }
            if (!settings.inCopperScope(person.tags())) {
                // outside the pair's Copper tag: this e-mail is another pair's (or no pair's); its member is left alone
                outside++;
                blocked.add(key);
                continue;
            }
            copperInScope.add(person);
            if (!key.isEmpty()) {
                copperCount.merge(key, 1, Integer::sum);
            }
        }
        Map<String, Contact> people = new LinkedHashMap<>();
        for (Contact person : copperInScope) {
            String key = keyOf(person);
            Optional<String> deletion = rules.deletionTag(person.tags());
            Optional<String> inactive = rules.inactiveTag(person.tags());
            String unwritable = unwritable(person);
            if (deletion.isPresent()) {
                actions.add(new Action.Flagged(key, person, key.isEmpty() ? null : members.get(key),
                        deletion.get()));
                blocked.add(key);
            } else if (inactive.isPresent()) {
                actions.add(new Action.Excluded(key, SIDE_COPPER, REASON_INACTIVE_PREFIX + inactive.get(),
                        person.sideId()));
                blocked.add(key);
            } else if (key.isEmpty()) {
                actions.add(new Action.NotSynced(key, SIDE_COPPER, REASON_NO_EMAIL, person.sideId()));
            } else if (!Emails.isValid(key)) {
                actions.add(new Action.NotSynced(key, SIDE_COPPER, REASON_INVALID_EMAIL, person.sideId()));
                blocked.add(key);
            } else if (copperCount.getOrDefault(key, 0) > 1) {
                actions.add(new Action.NotSynced(key, SIDE_COPPER, REASON_DUPLICATE_COPPER, person.sideId()));
                blocked.add(key);
            } else if (unwritable != null) {
                actions.add(new Action.NotSynced(key, SIDE_COPPER, unwritable, person.sideId()));
                blocked.add(key);
            } else {
                people.put(key, person);
            }
        }
        actions.addAll(mailchimpIssues);

        // ---- per e-mail decisions
        Set<String> keys = new TreeSet<>();
        keys.addAll(people.keySet());
        keys.addAll(members.keySet());
        keys.removeAll(blocked);
        keys.remove("");
        for (String key : keys) {
            Contact person = people.get(key);
            Contact member = members.get(key);
            Optional<SyncedRecord> base = lookup(state, key);
            if (person != null && member != null) {
                planBoth(key, person, member, base, now, actions, targets);
            } else if (person != null) {
                planCopperOnly(key, person, base, now, actions, targets);
            } else {
                planMailchimpOnly(key, member, base, now, actions, targets);
            }
        }

        List<Action> sorted = new ArrayList<>(actions);
        sorted.sort(Comparator.comparing(Action::email)); // stable: keeps the per-e-mail order
        return new SyncPlan(sorted, targets, outside);
    }

    /**
     * Why a contact's data must be written nowhere, or null: bytes the API sent that are not valid UTF-8 (decoded as
     * U+FFFD, which would overwrite good names on the other side), or C0 control characters (tab aside) and DEL,
     * which neither system should store. The contact is reported and skipped, both sides left as they are.
     */
    static String unwritable(Contact c) {
        boolean control = false;
        for (String value : texts(c)) {
            if (value == null) {
                continue;
            }
            for (int i = 0; i < value.length(); i++) {
                char ch = value.charAt(i);
                if (ch == '\uFFFD') {
                    return REASON_UNREADABLE;
                }
                if ((ch < 0x20 && ch != '\t') || ch == 0x7F) {
                    control = true;
                }
            }
        }
        return control ? REASON_CONTROL_CHARACTERS : null;
    }

    private static List<String> texts(Contact c) {
        List<String> texts = new ArrayList<>();
        texts.add(c.rawEmail());
        texts.add(c.firstName());
        texts.add(c.lastName());
        if (c.tags() != null) {
            texts.addAll(c.tags());
        }
        return texts;
    }

    // ------------------------------------------------------------------------------------------------ one side

    private void planCopperOnly(String key, Contact person, Optional<SyncedRecord> base, Instant now,
                                List<Action> actions, Map<String, SyncedRecord> targets) {
        if (base.map(b -> FORGOTTEN_STATUS.equalsIgnoreCase(b.mailchimpStatus())).orElse(false)) {
            actions.add(new Action.Excluded(key, SIDE_MAILCHIMP, REASON_FORGOTTEN));
            return;
        }
        Set<String> desired = desiredTags(person.tags());
        Map<String, String> synced = new LinkedHashMap<>();
        Map<String, String> fields = oneSideFields(key, person, true, actions, synced);
        actions.add(new Action.CreateMailchimpMember(key, person, settings.newMemberStatus(), desired, fields));
        targets.put(key, new SyncedRecord(key, parseCopperId(person), person.firstName(), person.lastName(),
                desired, desired, settings.newMemberStatus(), now, synced));
    }

    /**
     * The mapped fields a contact found on one side only brings to the side it is created on: its non-empty values
     * of the fields flowing that way; a value that side would refuse is left out and reported. {@code synced}
     * receives the values both sides will hold.
     */
    private Map<String, String> oneSideFields(String key, Contact from, boolean toMailchimp, List<Action> actions,
                                              Map<String, String> synced) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (FieldRule rule : fieldRules) {
            if (toMailchimp ? !rule.direction().toMailchimp() : !rule.direction().toCopper()) {
                continue;
            }
            String value = from.field(rule.name());
            if (value.isEmpty()) {
                continue;
            }
            String refusal = (toMailchimp ? rule.mailchimpCheck() : rule.copperCheck()).refusal(value);
            if (refusal != null) {
                actions.add(new Action.FieldRefused(key, toMailchimp ? SIDE_MAILCHIMP : SIDE_COPPER, rule.name(), value,
                        refusal, from.sideId()));
                continue;
            }
            fields.put(rule.name(), value);
            synced.put(rule.name(), value);
        }
        return fields;
    }

    private void planMailchimpOnly(String key, Contact member, Optional<SyncedRecord> base, Instant now,
                                   List<Action> actions, Map<String, SyncedRecord> targets) {
        String status = statusOf(member);
        if (!settings.importStatuses().contains(status)) {
            actions.add(new Action.Excluded(key, SIDE_MAILCHIMP,
                    REASON_STATUS_PREFIX + (status.isEmpty() ? "inconnu" : status), member.sideId()));
            return;
        }
        if (base.map(b -> b.copperId() != null).orElse(false)) {
            // synced before with a Copper person that is gone: never undelete a CRM contact
            actions.add(new Action.Excluded(key, SIDE_COPPER, REASON_DELETED_IN_COPPER));
            return;
        }
        String first = member.firstName();
        String last = member.lastName();
        if (!member.hasName()) {
            if (!settings.createCopperWithoutName()) {
                actions.add(new Action.NotSynced(key, SIDE_MAILCHIMP, REASON_NO_NAME, member.sideId()));
                return;
            }
            first = Emails.localPart(key);
            last = "";
        }
        Map<String, String> synced = new LinkedHashMap<>();
        Map<String, String> fields = oneSideFields(key, member, false, actions, synced);
        actions.add(new Action.CreateCopperPerson(key, member, first, last, fields));
        targets.put(key, new SyncedRecord(key, null, first, last, Set.of(), Set.of(), status, now, synced));
    }

    // ------------------------------------------------------------------------------------------------ both sides

    private void planBoth(String key, Contact person, Contact member, Optional<SyncedRecord> base, Instant now,
                          List<Action> actions, Map<String, SyncedRecord> targets) {
        if ("archived".equals(statusOf(member))
                && base.map(b -> ARCHIVED_BY_SYNC_STATUS.equals(b.mailchimpStatus())).orElse(false)) {
            Set<String> desired = desiredTags(person.tags());
            Map<String, String> synced = new LinkedHashMap<>();
            Map<String, String> fields = oneSideFields(key, person, true, actions, synced);
            actions.add(new Action.ReactivateMailchimpMember(key, person, member, settings.newMemberStatus(), desired,
                    fields));
            targets.put(key, new SyncedRecord(key, parseCopperId(person), person.firstName(), person.lastName(),
                    desired, desired, settings.newMemberStatus(), now, synced));
            return;
        }
        List<Conflict> copperWon = new ArrayList<>();     // written to Mailchimp
        List<Conflict> mailchimpWon = new ArrayList<>();  // written to Copper
        String first = mergeField(key, FIELD_FIRST_NAME, person.firstName(), member.firstName(),
                base.map(SyncedRecord::firstName).orElse(null), person.modifiedAt(), member.modifiedAt(),
                copperWon, mailchimpWon);
        String last = mergeField(key, FIELD_LAST_NAME, person.lastName(), member.lastName(),
                base.map(SyncedRecord::lastName).orElse(null), person.modifiedAt(), member.modifiedAt(),
                copperWon, mailchimpWon);
        Map<String, String> mailchimpFields = new LinkedHashMap<>();
        Map<String, String> copperFields = new LinkedHashMap<>();
        Map<String, String> syncedFields = new LinkedHashMap<>();
        int refused = mergeFields(key, person, member, base, copperWon, mailchimpWon, mailchimpFields, copperFields,
                syncedFields, actions);

        // ---- Mailchimp side: names and tags (Copper → Mailchimp only)
        boolean mailchimpNamesChanged = !first.equals(member.firstName()) || !last.equals(member.lastName());
        if (mailchimpNamesChanged && isPlaceholderName(key, person, member)) {
            mailchimpNamesChanged = false; // the Copper name was made up from the address: don't push it
        }
        Set<String> desired = desiredTags(person.tags());
        Map<String, String> memberTags = new LinkedHashMap<>();
        for (String tag : member.tags()) {
            if (tag != null && !tag.isBlank()) {
                memberTags.putIfAbsent(mailchimpKey(tag), tag.strip());
            }
        }
        Set<String> desiredKeys = new HashSet<>();
        desired.forEach(t -> desiredKeys.add(mailchimpKey(t)));
        Set<String> tagsToAdd = new LinkedHashSet<>();
        for (String tag : desired) {
            if (!memberTags.containsKey(mailchimpKey(tag))) {
                tagsToAdd.add(tag);
            }
        }
        TreeSet<String> tagsToRemove = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String pushed : base.map(SyncedRecord::pushedTags).orElse(Set.of())) {
            String k = mailchimpKey(pushed);
            if (!desiredKeys.contains(k) && memberTags.containsKey(k)) {
                tagsToRemove.add(memberTags.get(k));
            }
        }

        // ---- Copper side: names and status mirror / resubscribe tags
        boolean copperNamesChanged = !first.equals(person.firstName()) || !last.equals(person.lastName());
        List<String> copperTags = new ArrayList<>(person.tags());
        String status = statusOf(member);
        if (settings.mirrorStatuses()) {
            mirror(copperTags, rules.unsubscribedTag(), "unsubscribed".equals(status), rules::isUnsubscribedTag);
            mirror(copperTags, rules.cleanedTag(), "cleaned".equals(status), rules::isCleanedTag);
        }
        if (ON_AUDIENCE.contains(status)) {
            copperTags.removeIf(rules::isResubscribeTag);
        }
        boolean copperTagsChanged = !copperTags.equals(person.tags());

        boolean writeMailchimp = mailchimpNamesChanged || !tagsToAdd.isEmpty() || !tagsToRemove.isEmpty()
                || !mailchimpFields.isEmpty();
        boolean writeCopper = copperNamesChanged || copperTagsChanged || !copperFields.isEmpty();
        Long copperId = parseCopperId(person);
        if (writeCopper && copperId == null) {
            actions.add(new Action.NotSynced(key, SIDE_COPPER, REASON_INVALID_COPPER_ID, person.sideId()));
            return;
        }
        if (writeMailchimp) {
            actions.add(new Action.UpdateMailchimpMember(key, person, member, first, last, mailchimpNamesChanged,
                    Collections.unmodifiableSet(tagsToAdd),
                    Collections.unmodifiableSet(new LinkedHashSet<>(tagsToRemove)), List.copyOf(copperWon),
                    mailchimpFields));
        }
        if (writeCopper) {
            actions.add(new Action.UpdateCopperPerson(key, copperId, person, member, first, last,
                    copperNamesChanged, List.copyOf(copperTags), copperTagsChanged, List.copyOf(mailchimpWon),
                    copperFields));
        }
        if ("archived".equals(status)) {
            // archived by someone else while the Copper person is active: nobody is told unless the report says so
            actions.add(new Action.Excluded(key, SIDE_MAILCHIMP, REASON_ARCHIVED_ACTIVE,
                    copperId == null ? person.sideId() : copperId.toString()));
        } else if (!writeMailchimp && !writeCopper && refused == 0) {
            actions.add(new Action.SkipIdentical(key));
        }
        targets.put(key, new SyncedRecord(key, copperId, first, last, desired, desired, status, now, syncedFields));
    }

    /**
     * The mapped fields of a contact found on both sides, one by one: a field flowing both ways is merged like a
     * name (three-way, newest change wins on a conflict); a one-way field takes its source's value (an empty value
     * never overwrites a non-empty one). A value the target side would refuse is reported and not written, and the
     * state keeps the field's last synced value, so the next run tries again rather than mistaking the old value
     * for a change. Returns the number of refused values.
     */
    private int mergeFields(String key, Contact person, Contact member, Optional<SyncedRecord> base,
                            List<Conflict> copperWon, List<Conflict> mailchimpWon, Map<String, String> mailchimpFields,
                            Map<String, String> copperFields, Map<String, String> syncedFields, List<Action> actions) {
        int refused = 0;
        for (FieldRule rule : fieldRules) {
            String name = rule.name();
            String c = person.field(name);
            String m = member.field(name);
            String b = base.map(r -> r.field(name)).orElse(null);
            String target = switch (rule.direction()) {
                case BOTH -> mergeField(key, name, c, m, b, person.modifiedAt(), member.modifiedAt(), copperWon,
                        mailchimpWon);
                case COPPER_TO_MAILCHIMP -> c.isEmpty() ? m : c;
                case MAILCHIMP_TO_COPPER -> m.isEmpty() ? c : m;
            };
            boolean kept = true;
            if (rule.direction().toMailchimp() && !target.equals(m)) {
                String refusal = rule.mailchimpCheck().refusal(target);
                if (refusal == null) {
                    mailchimpFields.put(name, target);
                } else {
                    actions.add(new Action.FieldRefused(key, SIDE_MAILCHIMP, name, target, refusal, person.sideId()));
                    kept = false;
                }
            }
            if (rule.direction().toCopper() && !target.equals(c)) {
                String refusal = rule.copperCheck().refusal(target);
                if (refusal == null) {
                    copperFields.put(name, target);
                } else {
                    actions.add(new Action.FieldRefused(key, SIDE_COPPER, name, target, refusal, member.sideId()));
                    kept = false;
                }
            }
            if (kept) {
                syncedFields.put(name, target);
            } else {
                refused++;
                if (b != null) {
                    syncedFields.put(name, b);
                }
            }
        }
        return refused;
    }

    /**
     * Three-way merge of one field. Returns the value both sides should hold; a conflict (both sides changed to
     * different non-empty values) goes to {@code copperWon} or {@code mailchimpWon}.
     */
    static String mergeField(String email, String field, String copper, String mailchimp, String base,
                             Instant copperModified, Instant mailchimpModified,
                             List<Conflict> copperWon, List<Conflict> mailchimpWon) {
        if (copper.equals(mailchimp)) {
            return copper;
        }
        if (copper.isEmpty()) {
            return mailchimp;   // an empty value never overwrites a non-empty one
        }
        if (mailchimp.isEmpty()) {
            return copper;
        }
        if (base == null) {
            return copper;      // first run: Copper wins
        }
        boolean copperChanged = !copper.equals(base);
        boolean mailchimpChanged = !mailchimp.equals(base);
        if (copperChanged && !mailchimpChanged) {
            return copper;
        }
        if (mailchimpChanged && !copperChanged) {
            return mailchimp;
        }
        // both changed to different values: most recent wins; tie or unknown: Copper
        boolean mailchimpWins = copperModified != null && mailchimpModified != null
                && mailchimpModified.isAfter(copperModified);
        if (mailchimpWins) {
            mailchimpWon.add(new Conflict(email, field, copper, mailchimp, SIDE_MAILCHIMP));
            return mailchimp;
        }
        copperWon.add(new Conflict(email, field, copper, mailchimp, SIDE_COPPER));
        return copper;
    }

    /** Adds {@code tag} when wanted and absent (in any spelling), removes every spelling of it when not wanted. */
    private static void mirror(List<String> tags, String tag, boolean wanted, Predicate<String> isIt) {
        if (wanted) {
            if (tags.stream().noneMatch(isIt)) {
                tags.add(tag);
            }
        } else {
            tags.removeIf(isIt);
        }
    }

    /**
     * A person created from a nameless member (with {@code createCopperWithoutName}) carries the address's local
     * part as first name; that made-up name is not pushed back to Mailchimp.
     */
    private boolean isPlaceholderName(String key, Contact person, Contact member) {
        return settings.createCopperWithoutName() && !member.hasName() && person.lastName().isEmpty()
                && person.firstName().equals(Emails.localPart(key));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * The tags Copper asserts in Mailchimp: the person's tags, trimmed, blanks and the product's own tags left
     * out, duplicates (case-insensitive) removed, in Copper's order.
     */
    public Set<String> desiredTags(List<String> copperTags) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String tag : copperTags) {
            if (tag == null || tag.isBlank() || rules.isProductTag(tag)) {
                continue;
            }
            byKey.putIfAbsent(mailchimpKey(tag), tag.strip());
        }
        return Collections.unmodifiableSet(new LinkedHashSet<>(byKey.values()));
    }

    /** How Mailchimp compares tag names: trimmed, case-insensitive. */
    static String mailchimpKey(String tag) {
        return tag.strip().toLowerCase(Locale.ROOT);
    }

    /** The key the planner groups a contact under: its normalised e-mail (or raw address when that is blank). */
    public static String key(Contact contact) {
        return keyOf(contact);
    }

    private static String keyOf(Contact contact) {
        String key = Emails.normalise(contact.email());
        return key.isEmpty() ? Emails.normalise(contact.rawEmail()) : key;
    }

    private static String statusOf(Contact member) {
        return member.status() == null ? "" : member.status().strip().toLowerCase(Locale.ROOT);
    }

    private static Long parseCopperId(Contact person) {
        String id = person.sideId();
        if (id == null || id.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Optional<SyncedRecord> lookup(Function<String, Optional<SyncedRecord>> state, String key) {
        Optional<SyncedRecord> found = state.apply(key);
        return found == null ? Optional.empty() : found;
    }

    private static List<Contact> nullSafe(List<Contact> contacts) {
        if (contacts == null) {
            return List.of();
        }
        return contacts.stream().filter(Objects::nonNull).toList();
    }
}

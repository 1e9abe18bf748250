package io.cmsync.sync;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the planner needs from the configuration.
 *
 * @param testMode                TEST mode: only contacts whose normalised e-mail contains {@code testMarker} are
 *                                considered; every other contact produces no action at all (only counted)
 * @param testMarker              marker looked for in TEST mode (default {@code @exemple}), compared lower-cased
 * @param importStatuses          statuses of Mailchimp-only members that are created in Copper (default
 *                                {@code subscribed}, {@code pending}); the others are excluded
 * @param newMemberStatus         status given to members created from Copper (default {@code subscribed})
 * @param createCopperWithoutName create Copper people for Mailchimp members with neither first nor last name,
 *                                using the e-mail's local part as first name (default false: listed as not synced)
 * @param mirrorStatuses          mirror Mailchimp {@code unsubscribed}/{@code cleaned} into Copper tags (default true)
 * @param tagRules                the product's tags
 * @param copperScopeTag          a sync pair's Copper tag filter ({@code scope.copper-tag}), or null: only Copper
 *                                people with this tag are in scope; a member whose Copper person lacks it is left
 *                                alone, and members imported into Copper get it
 */
public record PlannerSettings(boolean testMode, String testMarker, Set<String> importStatuses,
                              String newMemberStatus, boolean createCopperWithoutName, boolean mirrorStatuses,
                              TagRules tagRules, String copperScopeTag) {

    public PlannerSettings(boolean testMode, String testMarker, Set<String> importStatuses, String newMemberStatus,
                           boolean createCopperWithoutName, boolean mirrorStatuses, TagRules tagRules) {
        this(testMode, testMarker, importStatuses, newMemberStatus, createCopperWithoutName, mirrorStatuses, tagRules,
                null);
    }

    public static final String DEFAULT_TEST_MARKER = "@exemple";
    public static final Set<String> DEFAULT_IMPORT_STATUSES = Set.of("subscribed", "pending");
    public static final String DEFAULT_NEW_MEMBER_STATUS = "subscribed";
    /** Statuses Mailchimp accepts for a new member. */
    public static final Set<String> NEW_MEMBER_STATUSES = Set.of("subscribed", "pending", "unsubscribed",
            "transactional");

    public PlannerSettings {
        testMarker = testMarker == null || testMarker.isBlank() ? DEFAULT_TEST_MARKER
                : testMarker.strip().toLowerCase(Locale.ROOT);
        Set<String> statuses = new LinkedHashSet<>();
        for (String s : importStatuses == null ? DEFAULT_IMPORT_STATUSES : importStatuses) {
            if (s != null && !s.isBlank()) {
                statuses.add(s.strip().toLowerCase(Locale.ROOT));
            }
        }
        importStatuses = Set.copyOf(statuses);
        newMemberStatus = newMemberStatus == null || newMemberStatus.isBlank() ? DEFAULT_NEW_MEMBER_STATUS
                : newMemberStatus.strip().toLowerCase(Locale.ROOT);
        if (!NEW_MEMBER_STATUSES.contains(newMemberStatus)) {
            throw new IllegalArgumentException("newMemberStatus must be one of " + NEW_MEMBER_STATUSES
                    + ", not '" + newMemberStatus + "'");
        }
        tagRules = tagRules == null ? TagRules.defaults() : tagRules;
        copperScopeTag = copperScopeTag == null || copperScopeTag.isBlank() ? null : copperScopeTag.strip();
    }

    public PlannerSettings withCopperScopeTag(String tag) {
        return new PlannerSettings(testMode, testMarker, importStatuses, newMemberStatus, createCopperWithoutName,
                mirrorStatuses, tagRules, tag);
    }

    /** Whether a Copper person with these tags is in the pair's Copper tag filter (always true without one). */
    public boolean inCopperScope(java.util.List<String> tags) {
        if (copperScopeTag == null) {
            return true;
        }
        for (String t : tags == null ? java.util.List.<String>of() : tags) {
            if (TagRules.same(t, copperScopeTag)) {
                return true;
            }
        }
        return false;
    }

    /** PRODUCTION mode, every default. */
    public static PlannerSettings defaults() {
        return new PlannerSettings(false, DEFAULT_TEST_MARKER, DEFAULT_IMPORT_STATUSES, DEFAULT_NEW_MEMBER_STATUS,
                false, true, TagRules.defaults());
    }

    public PlannerSettings withTestMode(boolean testMode) {
        return new PlannerSettings(testMode, testMarker, importStatuses, newMemberStatus, createCopperWithoutName,
                mirrorStatuses, tagRules, copperScopeTag);
    }

    public PlannerSettings withTestMarker(String testMarker) {
        return new PlannerSettings(testMode, testMarker, importStatuses, newMemberStatus, createCopperWithoutName,
                mirrorStatuses, tagRules, copperScopeTag);
    }

    public PlannerSettings withImportStatuses(Set<String> importStatuses) {
        return new PlannerSettings(testMode, testMarker, importStatuses, newMemberStatus, createCopperWithoutName,
                mirrorStatuses, tagRules, copperScopeTag);
    }

    public PlannerSettings withNewMemberStatus(String newMemberStatus) {
        return new PlannerSettings(testMode, testMarker, importStatuses, newMemberStatus, createCopperWithoutName,
                mirrorStatuses, tagRules, copperScopeTag);
    }

    public PlannerSettings withCreateCopperWithoutName(boolean createCopperWithoutName) {
        return new PlannerSettings(testMode, testMarker, importStatuses, newMemberStatus, createCopperWithoutName,
                mirrorStatuses, tagRules, copperScopeTag);
    }

    public PlannerSettings withMirrorStatuses(boolean mirrorStatuses) {
        return new PlannerSettings(testMode, testMarker, importStatuses, newMemberStatus, createCopperWithoutName,
                mirrorStatuses, tagRules, copperScopeTag);
    }

    public PlannerSettings withTagRules(TagRules tagRules) {
        return new PlannerSettings(testMode, testMarker, importStatuses, newMemberStatus, createCopperWithoutName,
                mirrorStatuses, Objects.requireNonNull(tagRules, "tagRules"), copperScopeTag);
    }

    /** Whether a normalised e-mail is inside the sync's scope (always true outside TEST mode). */
    public boolean inScope(String normalisedEmail) {
        return !testMode || (normalisedEmail != null && normalisedEmail.contains(testMarker));
    }
}

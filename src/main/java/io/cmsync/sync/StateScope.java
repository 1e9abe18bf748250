package io.cmsync.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a synced state is about: the mode (and TEST marker), the Copper account and the Mailchimp audience. The state
 * records the scope of the run that last wrote it; a run whose scope differs reads everything again and shows its
 * whole plan before writing (going live from TEST, another audience…), because the state's records and watermarks
 * were made for another base.
 *
 * @param mode          {@code TEST} or {@code PRODUCTION}
 * @param testMarker    the TEST-mode address marker (empty in PRODUCTION: it does not apply)
 * @param copperAccount the Copper user e-mail of the API key
 * @param audienceId    the Mailchimp audience (list) id
 * @param mapping       the field mapping's fingerprint; "" for the default mapping (names only), so a state written
 *                      before field mappings existed keeps its scope
 */
public record StateScope(String mode, String testMarker, String copperAccount, String audienceId, String mapping) {
    private static final String SEPARATOR = "\n";

    public StateScope {
        Objects.requireNonNull(mode, "mode");
        testMarker = "PRODUCTION".equals(mode) || testMarker == null ? "" : testMarker.toLowerCase(Locale.ROOT);
        copperAccount = copperAccount == null ? "" : copperAccount.strip().toLowerCase(Locale.ROOT);
        audienceId = audienceId == null ? "" : audienceId.strip();
        mapping = mapping == null ? "" : mapping.replace(SEPARATOR, " ");
    }

    public StateScope(String mode, String testMarker, String copperAccount, String audienceId) {
        this(mode, testMarker, copperAccount, audienceId, "");
    }

    /** The form kept in the state (one value a line). */
    public String stored() {
        String stored = String.join(SEPARATOR, mode, testMarker, copperAccount, audienceId);
        return mapping.isEmpty() ? stored : stored + SEPARATOR + mapping;
    }

    /** The scope a state recorded, if it is readable. */
    public static Optional<StateScope> parse(String stored) {
        if (stored == null) {
            return Optional.empty();
        }
        String[] parts = stored.split(SEPARATOR, -1);
        if (parts.length != 4 && parts.length != 5) {
            return Optional.empty();
        }
        return Optional.of(new StateScope(parts[0], parts[1], parts[2], parts[3], parts.length == 5 ? parts[4] : ""));
    }

    /** True when the records of a state made in {@code before} do not describe this scope's contacts at all. */
    public boolean otherBase(StateScope before) {
        return !copperAccount.equals(before.copperAccount) || !audienceId.equals(before.audienceId);
    }

    /** What changed since {@code before}, in French; empty when nothing did. */
    public String changesSince(StateScope before) {
        return changesSince(before, io.cmsync.i18n.Messages.of(io.cmsync.i18n.Messages.Language.FR));
    }

    /** What changed since {@code before}, in the report's language (catalogue state.scope.*); empty when nothing did. */
    public String changesSince(StateScope before, io.cmsync.i18n.Messages messages) {
        List<String> changes = new ArrayList<>();
        if (!mode.equals(before.mode)) {
            changes.add(messages.get("state.scope.mode", before.mode, mode));
        } else if (!testMarker.equals(before.testMarker)) {
            changes.add(messages.get("state.scope.test-marker", before.testMarker, testMarker));
        }
        if (!copperAccount.equals(before.copperAccount)) {
            changes.add(messages.get("state.scope.copper-account", before.copperAccount, copperAccount));
        }
        if (!audienceId.equals(before.audienceId)) {
            changes.add(messages.get("state.scope.audience", before.audienceId, audienceId));
        }
        if (!mapping.equals(before.mapping)) {
            changes.add(messages.get("state.scope.mapping"));
        }
        return String.join(", ", changes);
    }
}

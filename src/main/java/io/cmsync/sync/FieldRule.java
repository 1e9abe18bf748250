package io.cmsync.sync;

import java.util.Objects;

/**
 * One mapped field beyond the names, as the planner sees it: its name (the mapping entry's, also the key in
 * {@link Contact#fields()} and {@link SyncedRecord#fields()}), its direction, and the checks that say whether the
 * other side would refuse a value (null: accepted), so a refusal is planned and reported, not discovered by a failed
 * write. Values are canonical texts ("" = empty), equal when the two sides hold the same thing.
 */
public record FieldRule(String name, FlowDirection direction, ValueCheck mailchimpCheck, ValueCheck copperCheck) {

    /** Why a side would refuse a canonical value, or null when it accepts it. */
    @FunctionalInterface
    public interface ValueCheck {
        String refusal(String value);

        ValueCheck ACCEPT_ALL = value -> null;
    }

    public FieldRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        mailchimpCheck = mailchimpCheck == null ? ValueCheck.ACCEPT_ALL : mailchimpCheck;
        copperCheck = copperCheck == null ? ValueCheck.ACCEPT_ALL : copperCheck;
    }

    public FieldRule(String name, FlowDirection direction) {
        this(name, direction, null, null);
    }
}

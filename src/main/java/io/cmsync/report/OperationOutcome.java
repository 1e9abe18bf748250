package io.cmsync.report;

import io.cmsync.sync.Direction;

import java.util.List;
import java.util.Objects;

/**
 * The result of one write to one side for one contact, as the report lists it.
 *
 * @param email           normalised e-mail of the contact ("" or null when it has none)
 * @param direction       which side was written
 * @param operation       {@link #CREATE} ("création") or {@link #UPDATE} ("mise à jour"); free text is accepted
 * @param success         whether the write succeeded
 * @param name            "First Last" as the report shows it ("" when unknown)
 * @param tagsSynced      tags that moved with this write (empty when none did); never null
 * @param error           the per-contact reason of a failure (null on success)
 * @param resubscribeLink personal resubscribe link when the address is forgotten by Mailchimp, else null
 * @param fieldsSynced    mapped fields (entry names) whose value this write changes; empty with the default mapping
 */
public record OperationOutcome(String email, Direction direction, String operation, boolean success, String name,
                               List<String> tagsSynced, String error, String resubscribeLink, List<String> fieldsSynced) {

    /** Operation value for a created contact / member. */
    public static final String CREATE = "création";
    /** Operation value for an updated contact / member. */
    public static final String UPDATE = "mise à jour";

    public OperationOutcome {
        Objects.requireNonNull(direction, "direction");
        email = email == null ? "" : email;
        operation = operation == null ? "" : operation;
        name = name == null ? "" : name.strip();
        tagsSynced = tagsSynced == null ? List.of() : List.copyOf(tagsSynced);
        fieldsSynced = fieldsSynced == null ? List.of() : List.copyOf(fieldsSynced);
    }

    public OperationOutcome(String email, Direction direction, String operation, boolean success, String name,
                            List<String> tagsSynced, String error, String resubscribeLink) {
        this(email, direction, operation, success, name, tagsSynced, error, resubscribeLink, List.of());
    }

    /** A successful write. */
    public static OperationOutcome success(String email, Direction direction, String operation, String name,
                                           List<String> tagsSynced) {
        return new OperationOutcome(email, direction, operation, true, name, tagsSynced, null, null);
    }

    /** A failed write with its reason. */
    public static OperationOutcome failure(String email, Direction direction, String operation, String name,
                                           String error) {
        return new OperationOutcome(email, direction, operation, false, name, List.of(), error, null);
    }
}

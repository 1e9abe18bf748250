package io.cmsync.report;

/**
 * A Copper person carrying the deletion tag: excluded from the sync and waiting in the archive channel.
 *
 * @param email      normalised e-mail
 * @param name       "First Last" ("" when unknown)
 * @param matchedTag the tag exactly as found on the person (for example {@code 🗑️ À SUPPRIMER})
 */
public record FlaggedEntry(String email, String name, String matchedTag) {
    public FlaggedEntry {
        email = email == null ? "" : email;
        name = name == null ? "" : name.strip();
        matchedTag = matchedTag == null ? "" : matchedTag;
    }
}

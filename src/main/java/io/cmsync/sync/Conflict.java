package io.cmsync.sync;

/** Both sides changed the same field since the last sync; {@code winner} is the side whose value was kept. */
public record Conflict(String email, String field, String copperValue, String mailchimpValue, String winner) {
}

package io.cmsync.e2e;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.sandbox.SandboxServer;

/** Builds sandbox states (the JSON of docs/sandbox.md) for end-to-end scenarios. */
final class Seed {
    static final ObjectMapper JSON = new ObjectMapper();
    /** A fixed past time so that "modified since the last sync" is decided by the test, not by the clock. */
    static final long T0 = 1_735_689_600L; // 2025-01-01T00:00:00Z

    /**
     * The time a person's edit made after a run gets (epoch second): Copper and Mailchimp stamp a change with their
     * clock, so it is never older than the run. The next second: an edit made within the very second a run ends, to
     * a contact that run read last or wrote, cannot be told from the run's own change (see Watermarks); a test that
     * edits the sandbox's state after a run stamps the edit so. An older stamp would be a change made in the past.
     */
    static long now() {
        return java.time.Instant.now().getEpochSecond() + 1;
    }

    /** {@link #now()} plus some seconds, as Mailchimp writes {@code last_changed}. */
    static String nowIso(int plusSeconds) {
        return java.time.Instant.ofEpochSecond(now() + plusSeconds).toString().replace("Z", "+00:00");
    }

    private final ArrayNode people = JSON.createArrayNode();
    private final ArrayNode members = JSON.createArrayNode();
    private final ArrayNode forgotten = JSON.createArrayNode();
    private long nextId = 5000;

    Seed person(String email, String first, String last, String... tags) {
        ObjectNode p = people.addObject();
        p.put("id", nextId++);
        p.put("name", (first + " " + last).strip());
        p.put("first_name", first);
        p.put("last_name", last);
        ArrayNode emails = p.putArray("emails");
        if (email != null) {
            emails.addObject().put("email", email).put("category", "work");
        }
        ArrayNode t = p.putArray("tags");
        for (String tag : tags) {
            t.add(tag);
        }
        // one second apart, as real data is: the incremental read's inclusive boundary then holds one person
        p.put("date_created", T0 + (nextId - 5000));
        p.put("date_modified", T0 + (nextId - 5000));
        return this;
    }

    Seed member(String email, String status, String first, String last, String... tags) {
        ObjectNode m = members.addObject();
        m.put("id", io.cmsync.mailchimp.MailchimpMapping.subscriberHash(email));
        m.put("email_address", email);
        m.put("status", status);
        m.putObject("merge_fields").put("FNAME", first).put("LNAME", last);
        ArrayNode t = m.putArray("tags");
        long id = 100;
        for (String tag : tags) {
            t.addObject().put("id", id++).put("name", tag);
        }
        m.put("last_changed", java.time.Instant.ofEpochSecond(T0 + members.size()).toString().replace("Z", "+00:00"));
        return this;
    }

    Seed forgotten(String email) {
        forgotten.add(email);
        return this;
    }

    ObjectNode build() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode copper = root.putObject("copper");
        copper.put("next_id", nextId);
        copper.set("people", people);
        ObjectNode mailchimp = root.putObject("mailchimp");
        ObjectNode list = mailchimp.putArray("lists").addObject();
        list.put("id", SandboxServer.LIST_ID);
        list.put("name", "Audience de test");
        list.put("subscribe_url_long", "https://sandbox.us1.list-manage.com/subscribe?u=0123456789abcdef01234567&id="
                + SandboxServer.LIST_ID);
        list.set("members", members);
        mailchimp.set("forgotten", forgotten);
        return root;
    }

    static List<String> tagNames(com.fasterxml.jackson.databind.JsonNode member) {
        List<String> names = new java.util.ArrayList<>();
        member.path("tags").forEach(t -> names.add(t.isTextual() ? t.asText() : t.path("name").asText()));
        return names;
    }
}

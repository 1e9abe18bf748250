package io.cmsync.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.cmsync.sandbox.SandboxServer;

/** What the sync is responsible for in a sandbox dump, comparable across runs; and seeded contact sets. */
final class SandboxDumps {
    private SandboxDumps() {
    }

    /** Copper people by lower-cased first e-mail: names and sorted tags (a duplicate e-mail shows as a list). */
    static Map<String, List<String>> people(SandboxServer s) {
        Map<String, List<String>> out = new TreeMap<>();
        for (JsonNode p : s.dump().path("copper").path("people")) {
            String email = p.path("emails").path(0).path("email").asText("").toLowerCase(Locale.ROOT);
            List<String> tags = new ArrayList<>();
            p.path("tags").forEach(t -> tags.add(t.asText()));
            tags.sort(null);
            String line = p.path("first_name").asText("") + "|" + p.path("last_name").asText("") + "|" + tags;
            out.computeIfAbsent(email, k -> new ArrayList<>()).add(line);
        }
        return out;
    }

    /** Mailchimp members by lower-cased e-mail: status, names and sorted tags. */
    static Map<String, String> members(SandboxServer s) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode m : s.dump().path("mailchimp").path("lists").get(0).path("members")) {
            List<String> tags = Seed.tagNames(m);
            tags.sort(null);
            out.put(m.path("email_address").asText().toLowerCase(Locale.ROOT), m.path("status").asText() + "|"
                    + m.path("merge_fields").path("FNAME").asText("") + "|"
                    + m.path("merge_fields").path("LNAME").asText("") + "|" + tags);
        }
        return out;
    }

    static long duplicatePeople(SandboxServer s) {
        return people(s).values().stream().filter(l -> l.size() > 1).count();
    }

    private static final String[] FIRST = {"Anna", "Bruno", "Céline", "Denis", "Élodie", "François", "Gaëlle", "Hugo",
        "Inès", "Jérôme", "Karine", "Léo", "Maëlle", "Noël", "Océane", "Pierre"};
    private static final String[] LAST = {"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
        "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Fournier"};
    private static final String[] TAGS = {"vip", "newsletter", "salon 2025", "client", "prospect", "partenaire"};

    /**
     * {@code n} contacts of every kind the sync handles, drawn from a fixed seed: Copper only (with tags), Mailchimp
     * only, identical on both sides, names differing, unsubscribed members.
     */
    static Seed mixed(int n, long seed) {
        Random r = new Random(seed);
        Seed s = new Seed();
        for (int i = 0; i < n; i++) {
            String email = "c" + i + "@exemple.fr";
            String first = FIRST[r.nextInt(FIRST.length)];
            String last = LAST[r.nextInt(LAST.length)];
            String[] tags = r.nextInt(3) == 0 ? new String[0]
                    : new String[] {TAGS[r.nextInt(TAGS.length)], TAGS[r.nextInt(TAGS.length)]};
            if (tags.length == 2 && tags[0].equals(tags[1])) {
                tags = new String[] {tags[0]};
            }
            switch (i % 5) {
                case 0, 1 -> s.person(email, first, last, tags);
                case 2 -> s.member(email, "subscribed", first, last);
                case 3 -> s.person(email, first, last, tags).member(email, "subscribed", first, last, tags);
                default -> s.person(email, first, last, tags)
                        .member(email, r.nextBoolean() ? "subscribed" : "unsubscribed", first + "x", last);
            }
        }
        return s;
    }
}

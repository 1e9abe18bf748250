package io.cmsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile contacts on both sides, all in one audience with well-formed controls: each ends in a clear
 * line of the import report (success, error, not synced or excluded, with its reason), and none disturbs the others.
 */
class HostileInputTest {
    enum Outcome { SUCCESS, ERROR, NOT_SYNCED, EXCLUDED }

    record Case(String name, String key, Outcome expected, Consumer<ObjectNode> seed) {
    }

    private static final String LONG_ASCII = "A".repeat(300);
    private static final String LONG_ACCENTS = "é".repeat(200);
    private static final String LONG_EMOJI = "😀".repeat(100);

    private final List<Case> cases = new ArrayList<>();
    private final Map<String, String> expectedFname = new LinkedHashMap<>();

    private void person(String name, String email, Outcome expected, String first, String last, String... tags) {
        cases.add(new Case(name, email == null ? null : io.cmsync.sync.Emails.normalise(email), expected,
                root -> addPerson(root, email, first, last, tags)));
    }

    private void member(String name, String email, Outcome expected, String status, Consumer<ObjectNode> merge,
                        String... tags) {
        cases.add(new Case(name, io.cmsync.sync.Emails.normalise(email), expected, root -> {
            ObjectNode m = members(root).addObject();
            m.put("email_address", email);
            m.put("status", status);
            merge.accept(m.putObject("merge_fields"));
            ArrayNode t = m.putArray("tags");
            for (String tag : tags) {
                t.add(tag);
            }
            m.put("last_changed", "2025-01-01T00:00:00+00:00");
        }));
    }

    private static long nextId = 9000;

    private static void addPerson(ObjectNode root, String email, String first, String last, String... tags) {
        ObjectNode p = ((ArrayNode) root.path("copper").path("people")).addObject();
        p.put("id", nextId++);
        if (first != null || last != null) {
            p.put("name", ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip());
        }
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
        p.put("date_created", Seed.T0);
        p.put("date_modified", Seed.T0);
    }

    private static ArrayNode members(ObjectNode root) {
        return (ArrayNode) root.path("mailchimp").path("lists").get(0).path("members");
    }

    private static Consumer<ObjectNode> names(String f, String l) {
        return m -> {
            m.put("FNAME", f);
            m.put("LNAME", l);
        };
    }

    private void cases() {
        Outcome S = Outcome.SUCCESS;
        Outcome E = Outcome.ERROR;
        Outcome N = Outcome.NOT_SYNCED;
        Outcome X = Outcome.EXCLUDED;
        // ---- Copper: e-mails
        person("no @", "not-an-email", N, "No", "At");
        person("no @ but dots", "no-at-sign.exemple.fr", N, "No", "At");
        person("two @", "two@@exemple.fr", N, "Two", "At");
        person("no dot in domain", "a@b", N, "No", "Dot");
        person("space inside", "space in@exemple.fr", N, "Space", "In");
        person("dot before @", "trailingdot.@exemple.fr", N, "Trailing", "Dot");
        person("leading dot", ".leading@exemple.fr", N, "Leading", "Dot");
        person("double dot", "double..dot@exemple.fr", N, "Double", "Dot");
        person("local part 65", "l".repeat(65) + "@exemple.fr", N, "Long", "Local");
        person("label 64", "x@" + "d".repeat(64) + ".fr", N, "Long", "Label");
        person("255 characters", "y@" + ("d".repeat(60) + ".").repeat(5) + "fr", N, "Too", "Long");
        person("control character", "ctl\u0007@exemple.fr", N, "Control", "Char");
        person("quoted local part", "\"quoted\"@exemple.fr", N, "Quoted", "Local");
        person("localhost", "user@localhost", N, "Local", "Host");
        person("numeric TLD", "user@123.456", N, "Numeric", "Tld");
        person("non-ASCII local part", "ümlaut@exemple.fr", N, "Umlaut", "Local");
        person("comma", "com,ma@exemple.fr", N, "Com", "Ma");
        person("semicolon list", "a@exemple.fr;b@exemple.fr", N, "Two", "Addresses");
        person("fake-looking example.com", "fake@example.com", E, "Fake", "Example");
        person("fake-looking test.com", "fake@test.com", E, "Fake", "Test");
        person("upper case and spaces", "  UPPER.Case@Exemple.FR  ", S, "Upper", "Case");
        person("plus addressing", "plus+tag@exemple.fr", S, "Plus", "Tag");
        person("punycode domain", "idn@xn--exmple-cua.fr", S, "Puny", "Code");
        person("internationalised domain", "idn@exämple.fr", S, "Idn", "Unicode");
        person("zero-width space", "\u200Bzw@exemple.fr", S, "Zero", "Width");
        person("no-break space", "\u00A0nbsp@exemple.fr\u00A0", S, "No", "Break");
        person("duplicate e-mail (1)", "dup@exemple.fr", N, "Dup", "One");
        person("duplicate e-mail, other case (2)", "DUP@Exemple.fr", N, "Dup", "Two");
        // ---- Copper: names and tags
        person("very long ASCII name", "longascii@exemple.fr", S, LONG_ASCII, "Nom");
        expectedFname.put("longascii@exemple.fr", "A".repeat(255));
        // no value can stop a run (issue 13 §3): staged whole, written within Mailchimp's 255 bytes
        person("100,000-character name", "huge.name@exemple.fr", S, "H".repeat(100_000), "Nom");
        expectedFname.put("huge.name@exemple.fr", "H".repeat(255));
        person("10,000-character e-mail", "e".repeat(10_000) + "@exemple.fr", N, "Huge", "Email");
        person("very long accented name", "longaccents@exemple.fr", S, LONG_ACCENTS, "Nom");
        expectedFname.put("longaccents@exemple.fr", "é".repeat(127));
        person("very long emoji name", "longemoji@exemple.fr", S, LONG_EMOJI, "Nom");
        expectedFname.put("longemoji@exemple.fr", "😀".repeat(63));
        person("empty names", "empty@exemple.fr", S, "", "");
        person("null names", "nullnames@exemple.fr", S, null, null);
        person("newline in name (a control character: reported, written nowhere)", "newline@exemple.fr", N, "Jean\nPierre", "Retour\r\nChariot");
        person("HTML in name", "html@exemple.fr", S, "<script>alert(1)</script>", "<b>Gras</b>");
        expectedFname.put("html@exemple.fr", "<script>alert(1)</script>");
        person("emoji in name", "emojiname@exemple.fr", S, "Zoé 🎉", "Ça 👍");
        expectedFname.put("emojiname@exemple.fr", "Zoé 🎉");
        person("tab and quotes in name", "quotes@exemple.fr", S, "O'Brien\t\"Bob\"", "D'Arc");
        person("emoji tag", "emojitag@exemple.fr", S, "Emoji", "Tag", "🎉 fête", "⭐");
        person("comma in tag", "commatag@exemple.fr", S, "Comma", "Tag", "a, b", "c,d");
        person("120-character tag", "longtag@exemple.fr", S, "Long", "Tag", "t".repeat(120));
        String[] many = new String[55];
        for (int i = 0; i < many.length; i++) {
            many[i] = "tag-" + i;
        }
        person("55 tags", "manytags@exemple.fr", S, "Many", "Tags", many);
        person("blank tag", "blanktag@exemple.fr", S, "Blank", "Tag", " ", "ok");
        person("no e-mail at all", null, N, "Sans", "Email");
        person("empty e-mail", "", N, "Vide", "Email");
        // ---- Mailchimp
        // bytes that were not UTF-8 (decoded as U+FFFD) and control characters are written nowhere (issue 13 §4)
        member("undecodable name", "undecodable@exemple.fr", N, "subscribed", names("Mem\uFFFD(100", "Nom"));
        person("escape sequence in a name", "escape@exemple.fr", N, "Esc\u001B[2J", "Nom");
        person("NUL in a name", "nul@exemple.fr", N, "Nul\u0000", "Nom");
        member("member without names", "noname@exemple.fr", N, "subscribed", names("", ""));
        member("member with blank names", "blanknames@exemple.fr", N, "subscribed", names("   ", "\t"));
        member("member without merge fields", "nomerge@exemple.fr", N, "subscribed", m -> { });
        member("member with odd merge fields", "oddmerge@exemple.fr", S, "subscribed", m -> {
            m.put("FNAME", "Odd");
            m.put("LNAME", "Merge");
            m.put("BIRTHDAY", "01/01");
            m.putObject("ADDRESS").put("addr1", "1 rue").put("city", "Paris");
            m.putNull("PHONE");
        });
        member("member with null first name", "nullfname@exemple.fr", S, "subscribed", m -> {
            m.putNull("FNAME");
            m.put("LNAME", "Seul");
        });
        member("member with numeric name", "numname@exemple.fr", S, "subscribed", m -> {
            m.put("FNAME", 12345);
            m.put("LNAME", "Nombre");
        });
        member("member with long name", "mlong@exemple.fr", S, "subscribed", names("B".repeat(255), "Long"));
        member("member with emoji names", "memoji@exemple.fr", S, "subscribed", names("🎉", "🚀 Fusée"));
        member("member with HTML names", "mhtml@exemple.fr", S, "subscribed", names("<img src=x onerror=alert(1)>", "Html"));
        member("member with newline (a control character: reported, written nowhere)", "mnewline@exemple.fr", N, "subscribed", names("Line\nBreak", "Nl"));
        member("member upper case", "MUPPER@Exemple.FR", S, "subscribed", names("Mupper", "Case"));
        member("member plus addressing", "m+plus@exemple.fr", S, "subscribed", names("Mplus", "Plus"));
        member("member pending", "mpending@exemple.fr", S, "pending", names("Pending", "Member"));
        member("member cleaned, Mailchimp only", "mcleaned@exemple.fr", X, "cleaned", names("Cleaned", "Member"));
        member("member unsubscribed, Mailchimp only", "munsub@exemple.fr", X, "unsubscribed", names("Unsub", "Member"));
        member("member transactional", "mtrans@exemple.fr", X, "transactional", names("Trans", "Member"));
        member("member invalid e-mail", "bad@@exemple.fr", N, "subscribed", names("Bad", "Email"));
        member("member with tags", "mtags@exemple.fr", S, "subscribed", names("Tags", "Member"), "🎉", "a,b");
    }

    @TempDir
    Path dir;

    @Test
    void everyHostileContactEndsInAClearReportLineAndTheOthersSync() throws Exception {
        cases();
        Seed controls = new Seed();
        for (int i = 0; i < 10; i++) {
            controls.person("ctrl" + i + "@exemple.fr", "Ctrl" + i, "Témoin", "control");
            controls.member("mctrl" + i + "@exemple.fr", "subscribed", "Mctrl" + i, "Témoin");
        }
        ObjectNode root = controls.build();
        cases.forEach(c -> c.seed().accept(root));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);

        try (SyncHarness h = new SyncHarness(dir, root)) {
            h.properties.put("sync.mode", "PRODUCTION");
            int code = h.run();
            assertThat(code).as("the run completes; some contacts fail").isEqualTo(1);
            String report = h.latestReport();
            Map<String, Outcome> actual = classify(report);

            List<String> mismatches = new ArrayList<>();
            for (Case c : cases) {
                if (c.key() == null || c.key().isEmpty()) {
                    continue; // checked below: listed without e-mail
                }
                Outcome got = actual.get(c.key());
                if (got != c.expected()) {
                    mismatches.add(c.name() + " <" + c.key() + ">: expected " + c.expected() + ", report says " + got);
                }
            }
            assertThat(mismatches).isEmpty();
            assertThat(report).containsPattern("(?s)CONTACTS NON SYNCHRONISÉS \\(À CORRIGER\\):.*pas d'adresse e-mail.*pas d'adresse e-mail");
            assertThat(report).doesNotContain("Exception", "NullPointer", "com.fasterxml", "\tat ");
            // every error line says why
            assertThat(report.split("❌ ERREUR \\|", -1).length - 1).isEqualTo(count(report, "Erreur:"));

            // the controls are untouched by their neighbours
            for (int i = 0; i < 10; i++) {
                assertThat(actual.get("ctrl" + i + "@exemple.fr")).isEqualTo(Outcome.SUCCESS);
                assertThat(actual.get("mctrl" + i + "@exemple.fr")).isEqualTo(Outcome.SUCCESS);
                assertThat(h.member("ctrl" + i + "@exemple.fr").path("merge_fields").path("LNAME").asText()).isEqualTo("Témoin");
                assertThat(h.copperPerson("mctrl" + i + "@exemple.fr").path("last_name").asText()).isEqualTo("Témoin");
            }
            // names cut at 255 bytes on a character boundary; hostile text stored as text
            expectedFname.forEach((email, fname) ->
                    assertThat(h.member(email).path("merge_fields").path("FNAME").asText()).as(email).isEqualTo(fname));
            assertThat(Seed.tagNames(h.member("manytags@exemple.fr"))).hasSize(55);
            assertThat(Seed.tagNames(h.member("commatag@exemple.fr"))).contains("a, b", "c,d");
            assertThat(Seed.tagNames(h.member("emojitag@exemple.fr"))).contains("🎉 fête", "⭐");
            assertThat(h.copperPeopleWith("dup@exemple.fr")).isEqualTo(2);
            assertThat(h.member("dup@exemple.fr")).isNull();

            // and a second run neither crashes nor writes what the first one did
            h.sandbox.resetCalls();
            assertThat(h.run()).isEqualTo(1);
            assertThat(h.sandbox.calls().getOrDefault("POST /developer_api/v1/people/bulk_create", 0L)).isZero();
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** E-mail → where the import report lists it. */
    static Map<String, Outcome> classify(String report) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        String section = "";
        for (String line : report.split("\n")) {
            String l = line.strip();
            if (l.endsWith(":") && l.equals(l.toUpperCase(Locale.ROOT)) && !l.contains("|")) {
                section = l;
                continue;
            }
            if (l.contains("✅ SUCCÈS | ")) {
                out.putIfAbsent(l.substring(l.indexOf("| ") + 2).strip(), Outcome.SUCCESS);
            } else if (l.contains("❌ ERREUR | ")) {
                out.put(l.substring(l.indexOf("| ") + 2).strip(), Outcome.ERROR);
            } else if (l.matches("\\d+\\. .*") && section.startsWith("CONTACTS NON SYNCHRONISÉS")) {
                out.put(l.substring(l.indexOf(". ") + 2).strip(), Outcome.NOT_SYNCED);
            } else if (l.matches("\\d+\\. .*") && section.startsWith("CONTACTS EXCLUS")) {
                out.put(l.substring(l.indexOf(". ") + 2).strip(), Outcome.EXCLUDED);
            }
        }
        return out;
    }
}

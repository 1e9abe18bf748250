package io.cmsync.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Deterministic benchmark data in the sandbox state format (docs/sandbox.md). Contacts are numbered
 * {@code 0 .. unique()-1}; Copper holds {@code [0, perSide)}, Mailchimp holds {@code [perSide - overlap, perSide - overlap + perSide)},
 * so {@code [perSide - overlap, perSide)} is on both sides with identical names and tags. Every attribute of contact
 * {@code i} depends only on {@code (seed, i)}: the same arguments always give the same bytes.
 */
public final class DataGenerator {
    static final String[] FIRST = {"Sophie", "Lucas", "Camille", "Marie", "Pierre", "Julie", "Antoine", "Nicolas", "Emma",
        "Hugo", "Chloé", "Olivier", "François", "Sarah", "Thomas", "Inès", "Paul", "Valérie", "Manon", "Claire", "Alain",
        "Bruno", "Sylvie", "Martine", "Gérard", "Odile", "René", "Yves", "Henri", "Jean", "Nathalie", "Léa", "Louis",
        "Gabriel", "Jade", "Arthur", "Louise", "Raphaël", "Alice", "Jules"};
    static final String[] LAST = {"Bernard", "Petit", "Durand", "Martin", "Lefèvre", "Roux", "Girard", "Fournier", "Mercier",
        "Lambert", "Faure", "Roche", "David", "Vincent", "Blanc", "Guérin", "Muller", "Noël", "Henry", "Robin", "Laurent",
        "Morel", "Simon", "Michel", "Dubois", "Garnier", "Chevalier", "François", "Dupont", "Leroy", "Moreau", "Thomas",
        "Richard", "Robert", "Dubois", "Bonnet", "Rousseau", "Fontaine", "Chevallier", "Gauthier"};
    static final String[] TAGS = {"client", "prospect", "newsletter", "salon-2025", "partenaire", "webinaire"};
    /**
     * 2025-01-01T00:00:00Z: every Mailchimp member was last changed then; Copper person i was created and last
     * modified {@code i / 50} seconds later (an import of 50 people a second).
     */
    /** The mapped fields (issue 15): Copper's « Secteur » Dropdown ↔ SECTEUR, phone ↔ PHONE, company ↔ COMPANY. */
    static final long SECTOR_FIELD_ID = 777_001L;
    static final String[] SECTORS = {"Industrie", "Commerce", "Services", "Santé", "Secteur public"};
    /** The benchmark's config/mapping.yaml: three mapped fields besides the names. */
    public static final String MAPPING = """
            fields:
              - name: telephone
                copper: phone_numbers
                mailchimp: PHONE
              - name: societe
                copper: company_name
                mailchimp: COMPANY
              - name: secteur
                copper: custom:Secteur
                mailchimp: SECTEUR
            """;
    static final long SEED_EPOCH = 1_735_689_600L;
    static final String SEED_ISO = "2025-01-01T00:00:00+00:00";

    private final int perSide;
    private final int overlap;
    private final long seed;
    private final String listId;

    public DataGenerator(int perSide, int overlap, long seed, String listId) {
        if (perSide < 0 || overlap < 0 || overlap > perSide) {
            throw new IllegalArgumentException("0 <= overlap <= perSide");
        }
        this.perSide = perSide;
        this.overlap = overlap;
        this.seed = seed;
        this.listId = listId;
    }

    /** "Half overlapping": half of each side's e-mails are on the other side too. */
    public static DataGenerator halfOverlapping(int perSide, long seed, String listId) {
        return new DataGenerator(perSide, perSide / 2, seed, listId);
    }

    public int perSide() {
        return perSide;
    }

    public int overlap() {
        return overlap;
    }

    /** Distinct contacts over both sides. */
    public int unique() {
        return 2 * perSide - overlap;
    }

    public int firstMailchimp() {
        return perSide - overlap;
    }

    public boolean inCopper(int i) {
        return i >= 0 && i < perSide;
    }

    public boolean inMailchimp(int i) {
        return i >= firstMailchimp() && i < firstMailchimp() + perSide;
    }

    /** Contacts only in Copper (to be created in Mailchimp by a first sync). */
    public int copperOnly() {
        return perSide - overlap;
    }

    /** Contacts only in Mailchimp (to be created in Copper by a first sync). */
    public int mailchimpOnly() {
        return perSide - overlap;
    }

    private long mix(int i, int salt) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + salt * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int pick(int i, int salt, int n) {
        return (int) Math.floorMod(mix(i, salt), (long) n);
    }

    public String firstName(int i) {
        return FIRST[pick(i, 1, FIRST.length)];
    }

    public String lastName(int i) {
        return LAST[pick(i, 2, LAST.length)];
    }

    public String phone(int i) {
        return String.format(java.util.Locale.ROOT, "+33 1 %02d %02d %02d %02d", i / 1_000_000 % 100,
                i / 10_000 % 100, i / 100 % 100, i % 100);
    }

    public String company(int i) {
        return "Société " + LAST[pick(i, 6, LAST.length)] + " " + (i % 97);
    }

    public String sector(int i) {
        return SECTORS[pick(i, 7, SECTORS.length)];
    }

    /** The sector label of a person's custom_fields as Copper holds them ("" when unset). */
    static String sectorOf(com.fasterxml.jackson.databind.JsonNode customFields) {
        for (com.fasterxml.jackson.databind.JsonNode c : customFields) {
            if (c.path("custom_field_definition_id").asLong() == SECTOR_FIELD_ID) {
                long id = c.path("value").asLong(-1);
                for (String sector : SECTORS) {
                    if (sectorOptionId(sector) == id) {
                        return sector;
                    }
                }
            }
        }
        return "";
    }

    static long sectorOptionId(String sector) {
        return SECTOR_FIELD_ID + 100 + java.util.Arrays.asList(SECTORS).indexOf(sector);
    }

    /** Unique per contact; ASCII only; a real-looking domain (the sandbox treats example.com and test.com as fake). */
    public String email(int i) {
        String f = ascii(firstName(i)), l = ascii(lastName(i));
        return f + "." + l + "." + i + "@bench-" + (i % 7) + ".fr";
    }

    /** One or two tags, Copper people and the Mailchimp members that are also in Copper. */
    public List<String> tags(int i) {
        List<String> t = new ArrayList<>(2);
        int a = pick(i, 3, TAGS.length);
        t.add(TAGS[a]);
        if (pick(i, 4, 3) == 0) {
            t.add(TAGS[(a + 1 + pick(i, 5, TAGS.length - 1)) % TAGS.length]);
        }
        return t;
    }

    static String ascii(String s) {
        String n = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return n.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** Writes the whole sandbox state (streamed: a million contacts per side need no tree in memory). */
    public void write(OutputStream out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("copper");
            g.writeNumberField("next_id", 1_000_001L + perSide);
            g.writeArrayFieldStart("custom_field_definitions");
            g.writeStartObject();
            g.writeNumberField("id", SECTOR_FIELD_ID);
            g.writeStringField("name", "Secteur");
            g.writeStringField("data_type", "Dropdown");
            g.writeArrayFieldStart("available_on");
            g.writeString("person");
            g.writeEndArray();
            g.writeArrayFieldStart("options");
            for (int k = 0; k < SECTORS.length; k++) {
                g.writeStartObject();
                g.writeNumberField("id", sectorOptionId(SECTORS[k]));
                g.writeStringField("name", SECTORS[k]);
                g.writeNumberField("rank", k);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeArrayFieldStart("people");
            for (int i = 0; i < perSide; i++) {
                g.writeStartObject();
                g.writeNumberField("id", copperId(i));
                g.writeStringField("name", firstName(i) + " " + lastName(i));
                g.writeStringField("first_name", firstName(i));
                g.writeStringField("last_name", lastName(i));
                g.writeArrayFieldStart("emails");
                g.writeStartObject();
                g.writeStringField("email", email(i));
                g.writeStringField("category", "work");
                g.writeEndObject();
                g.writeEndArray();
                g.writeArrayFieldStart("tags");
                for (String t : tags(i)) {
                    g.writeString(t);
                }
                g.writeEndArray();
                g.writeStringField("company_name", company(i));
                g.writeArrayFieldStart("phone_numbers");
                g.writeStartObject();
                g.writeStringField("number", phone(i));
                g.writeStringField("category", "work");
                g.writeEndObject();
                g.writeEndArray();
                g.writeArrayFieldStart("custom_fields");
                g.writeStartObject();
                g.writeNumberField("custom_field_definition_id", SECTOR_FIELD_ID);
                g.writeNumberField("value", sectorOptionId(sector(i)));
                g.writeEndObject();
                g.writeEndArray();
                // an import: 50 people a second (one second for all would be a search Copper cannot page past 100,000)
                g.writeNumberField("date_created", SEED_EPOCH + i / 50);
                g.writeNumberField("date_modified", SEED_EPOCH + i / 50);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("mailchimp");
            g.writeArrayFieldStart("lists");
            g.writeStartObject();
            g.writeStringField("id", listId);
            g.writeStringField("name", "Benchmark audience");
            g.writeStringField("date_created", SEED_ISO);
            g.writeArrayFieldStart("merge_fields");
            int mergeId = 1;
            for (String[] f : new String[][] {{"FNAME", "text"}, {"LNAME", "text"}, {"ADDRESS", "address"},
                    {"PHONE", "phone"}, {"COMPANY", "text"}, {"SECTEUR", "dropdown"}}) {
                g.writeStartObject();
                g.writeNumberField("merge_id", mergeId++);
                g.writeStringField("tag", f[0]);
                g.writeStringField("name", f[0]);
                g.writeStringField("type", f[1]);
                g.writeBooleanField("required", false);
                g.writeObjectFieldStart("options");
                if ("SECTEUR".equals(f[0])) {
                    g.writeArrayFieldStart("choices");
                    for (String c : SECTORS) {
                        g.writeString(c);
                    }
                    g.writeEndArray();
                } else if ("PHONE".equals(f[0])) {
                    g.writeStringField("phone_format", "none");
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("members");
            for (int i = firstMailchimp(); i < firstMailchimp() + perSide; i++) {
                g.writeStartObject();
                g.writeStringField("email_address", email(i));
                g.writeStringField("status", "subscribed");
                g.writeObjectFieldStart("merge_fields");
                g.writeStringField("FNAME", firstName(i));
                g.writeStringField("LNAME", lastName(i));
                g.writeStringField("PHONE", phone(i));
                g.writeStringField("COMPANY", company(i));
                g.writeStringField("SECTEUR", sector(i));
                g.writeEndObject();
                if (inCopper(i)) {
                    g.writeArrayFieldStart("tags");
                    for (String t : tags(i)) {
                        g.writeString(t);
                    }
                    g.writeEndArray();
                }
                g.writeStringField("last_changed", SEED_ISO);
                g.writeStringField("timestamp_signup", SEED_ISO);
                g.writeStringField("timestamp_opt", SEED_ISO);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("forgotten");
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    public static long copperId(int i) {
        return 1_000_001L + i;
    }
}

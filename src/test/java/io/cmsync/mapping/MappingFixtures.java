package io.cmsync.mapping;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cmsync.copper.CopperPerson;
import io.cmsync.mapping.Definitions.CustomFieldDef;
import io.cmsync.mapping.Definitions.MergeFieldDef;

/** Definitions like the sandbox's demo data, with a merge field of every type, and helpers. */
final class MappingFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper COPPER_JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private MappingFixtures() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static MergeFieldDef merge(String tag, String type, String options) {
        return new MergeFieldDef(tag, tag.toLowerCase(), type, false, "", json(options == null ? "{}" : options));
    }

    static MergeFieldDef required(String tag, String type) {
        return new MergeFieldDef(tag, tag.toLowerCase(), type, true, "", json("{}"));
    }

    static List<MergeFieldDef> mergeFields() {
        List<MergeFieldDef> m = new ArrayList<>();
        m.add(merge("FNAME", "text", "{\"size\":25}"));
        m.add(merge("LNAME", "text", "{\"size\":25}"));
        m.add(merge("ADDRESS", "address", "{\"default_country\":164}"));
        m.add(merge("PHONE", "phone", "{\"phone_format\":\"none\"}"));
        m.add(merge("USPHONE", "phone", "{\"phone_format\":\"US\"}"));
        m.add(merge("COMPANY", "text", "{\"size\":25}"));
        m.add(merge("TITLE", "text", null));
        m.add(merge("CITY", "text", null));
        m.add(merge("ZIP", "zip", null));
        m.add(merge("WEBSITE", "url", null));
        m.add(merge("PHOTO", "imageurl", null));
        m.add(merge("SECTEUR", "dropdown",
                "{\"choices\":[\"Industrie\",\"Commerce\",\"Services\",\"Santé\",\"Secteur public\"]}"));
        m.add(merge("SECTRADIO", "radio",
                "{\"choices\":[\"Industrie\",\"Commerce\",\"Services\",\"Santé\",\"Secteur public\"]}"));
        m.add(merge("CLIENTDEP", "date", "{\"date_format\":\"DD/MM/YYYY\"}"));
        m.add(merge("BIRTHDAY", "birthday", "{\"date_format\":\"DD/MM\"}"));
        m.add(merge("INTERETS", "text", null));
        m.add(merge("SMS", "text", null));
        m.add(merge("SMSRADIO", "radio", "{\"choices\":[\"true\",\"false\"]}"));
        m.add(merge("CA", "number", null));
        m.add(merge("REMISE", "number", null));
        m.add(merge("EFFECTIF", "number", null));
        m.add(merge("REF", "text", null));
        m.add(merge("NOTES", "text", null));
        m.add(merge("LINKEDIN", "url", null));
        m.add(merge("PHONEPRO", "text", null));
        return m;
    }

    static CustomFieldDef custom(long id, String name, String type, List<String> on, String... options) {
        List<CustomFieldDef.Option> opts = new ArrayList<>();
        for (int i = 0; i < options.length; i++) {
            opts.add(new CustomFieldDef.Option(id * 100 + i + 1, options[i], i));
        }
        return new CustomFieldDef(id, name, type, on, opts);
    }

    static List<CustomFieldDef> customFields() {
        List<String> person = List.of("person");
        return List.of(
                custom(510001, "Secteur", "Dropdown", List.of("person", "company"), "Industrie", "Commerce",
                        "Services", "Santé", "Secteur public"),
                custom(510002, "Client depuis", "Date", person),
                custom(510003, "Centres d'intérêt", "MultiSelect", List.of("person", "lead"), "Formations",
                        "Nouveaux produits", "Événements"),
                custom(510004, "Accepte les SMS", "Checkbox", person),
                custom(510005, "Chiffre d'affaires annuel", "Currency", person),
                custom(510006, "Taux de remise", "Percentage", person),
                custom(510007, "Effectif", "Float", person),
                custom(510008, "Référence client", "String", person),
                custom(510009, "Notes commerciales", "Text", person),
                custom(510010, "Page LinkedIn", "URL", person),
                custom(510011, "Budget du projet", "Currency", List.of("opportunity")),
                custom(510012, "Compte lié", "Connect", person));
    }

    static Definitions definitions() {
        return new Definitions(mergeFields(), customFields());
    }

    /** A mapping from YAML text (the names added as the loader does). */
    static FieldMapping mapping(String yaml) {
        try {
            return MappingLoader.parse(new StringReader(yaml), Path.of("mapping.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static CopperPerson person(String json) {
        try {
            return COPPER_JSON.readValue(json, CopperPerson.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode object(Object value) {
        return JSON.valueToTree(value);
    }
}

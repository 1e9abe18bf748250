package io.cmsync.sandbox;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Streams a state JSON document into the stores, one record at a time (no whole-document tree). */
final class StateLoader {
    private StateLoader() {
    }

    /** Caller holds both write locks. */
    static void load(JsonParser p, CopperStore copper, MailchimpStore mc) throws IOException {
        copper.beginLoad();
        mc.beginLoad();
        Long nextId = null;
        List<String> topForgotten = null;
        if (p.currentToken() == null) {
            p.nextToken();
        }
        if (p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String side = p.currentName();
                JsonToken t = p.nextToken();
                if ("copper".equals(side) && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("people".equals(f) && v == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                copper.loadPerson(p.readValueAsTree());
                            }
                        } else if ("custom_field_definitions".equals(f) && v == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                copper.customFields.load(p.readValueAsTree());
                            }
                        } else if ("next_id".equals(f) && v.isNumeric()) {
                            nextId = p.getLongValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if ("mailchimp".equals(side) && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        JsonToken v = p.nextToken();
                        if ("lists".equals(f) && v == JsonToken.START_ARRAY) {
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                loadList(p, mc);
                            }
                        } else if ("forgotten".equals(f) && v == JsonToken.START_ARRAY) {
                            topForgotten = new ArrayList<>();
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                topForgotten.add(p.getText());
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        copper.endLoad(nextId);
        mc.endLoad(topForgotten);
    }

    private static void loadList(JsonParser p, MailchimpStore mc) throws IOException {
        ObjectNode header = Http.obj();
        MailchimpStore.MList list = null;
        List<JsonNode> pending = null; // members seen before the list id
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if ("members".equals(f) && v == JsonToken.START_ARRAY) {
                if (list == null && header.has("id")) {
                    list = mc.loadListHeader(header);
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode m = p.readValueAsTree();
                    if (list != null) {
                        mc.loadMember(list, m);
                    } else {
                        if (pending == null) {
                            pending = new ArrayList<>();
                        }
                        pending.add(m);
                    }
                }
            } else {
                header.set(f, p.readValueAsTree());
            }
        }
        list = mc.loadListHeader(header);
        if (pending != null) {
            for (JsonNode m : pending) {
                mc.loadMember(list, m);
            }
        }
    }
}

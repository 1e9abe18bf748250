package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cmsync.sandbox.CopperStore.Invalid;
import io.cmsync.sandbox.CopperStore.Person;
import io.cmsync.sandbox.CopperStore.SearchResult;
import io.cmsync.sandbox.CopperStore.Unrecognized;
import io.cmsync.sandbox.Http.HttpError;
import io.cmsync.sandbox.Http.Req;
import io.cmsync.sandbox.Http.Resp;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.cmsync.sandbox.Http.arr;
import static io.cmsync.sandbox.Http.obj;

/** Copper Developer API v1 handlers (People, tags, account). */
final class CopperApi {
    private final CopperStore store;

    CopperApi(CopperStore store) {
        this.store = store;
    }

    static Resp error(int status, String message) {
        ObjectNode o = obj();
        o.put("success", false);
        o.put("status", status);
        o.put("message", message);
        return Resp.json(status, o);
    }

    static HttpError fail(int status, String message) {
        return new HttpError(error(status, message));
    }

    static Resp notFound() {
        return error(404, "Resource not found");
    }

    /** Returns an error response when the X-PW headers are wrong, else null. */
    static Resp auth(Req r) {
        String token = r.header("X-PW-AccessToken");
        String email = r.header("X-PW-UserEmail");
        String app = r.header("X-PW-Application");
        if (token == null || email == null || app == null) {
            return error(401, "Unauthorized: the X-PW-AccessToken, X-PW-UserEmail and X-PW-Application headers are required");
        }
        if (!"developer_api".equals(app.trim())) {
            return error(401, "Unauthorized: X-PW-Application must be developer_api");
        }
        if (!SandboxServer.COPPER_API_KEY.equals(token.trim())
                || !SandboxServer.COPPER_USER_EMAIL.equalsIgnoreCase(email.trim())) {
            return error(401, "Unauthorized: invalid API key or user e-mail");
        }
        return null;
    }

    private static JsonNode body(Req r) {
        JsonNode b;
        try {
            b = r.json();
        } catch (Http.JsonSyntax e) {
            throw fail(400, "Bad Request: malformed JSON body");
        }
        if (b.isMissingNode() || b.isNull()) {
            return obj();
        }
        if (!b.isObject()) {
            throw fail(400, "Bad Request: the JSON body must be an object");
        }
        return b;
    }

    private static long id(Req r) {
        try {
            return Long.parseLong(r.param("id"));
        } catch (NumberFormatException e) {
            throw new HttpError(notFound());
        }
    }

    // ---------------------------------------------------------------- people

    Resp search(Req r) {
        ObjectNode b = (ObjectNode) body(r);
        try {
            CopperStore.checkAttributes(b, CopperStore.SEARCH_FIELDS);
        } catch (Unrecognized e) {
            return error(422, e.getMessage());
        }
        long pageNumber;
        long pageSize;
        try {
            Long pn = Http.lng(b.get("page_number"));
            Long ps = Http.lng(b.get("page_size"));
            pageNumber = pn == null ? 1 : pn;
            pageSize = ps == null ? 20 : ps;
        } catch (NumberFormatException e) {
            return error(422, "Invalid input: Validation errors: Page size: is not a number");
        }
        if (pageSize < 1 || pageSize > 200) {
            return error(422, "Invalid input: Validation errors: Page size: must be between 1 and 200");
        }
        if (pageNumber < 1) {
            return error(422, "Invalid input: Validation errors: Page number: must be greater than or equal to 1");
        }
        String sortBy = Http.text(b, "sort_by");
        if (sortBy == null) {
            sortBy = "first_name";
        }
        if (!CopperStore.SORTS.contains(sortBy)) {
            return error(422, "Invalid input: Validation errors: Sort by: is not included in the list");
        }
        String dir = Http.text(b, "sort_direction");
        if (dir != null && !dir.equalsIgnoreCase("asc") && !dir.equalsIgnoreCase("desc")) {
            return error(422, "Invalid input: Validation errors: Sort direction: is not included in the list");
        }
        boolean desc = dir != null && dir.equalsIgnoreCase("desc");
        ArrayNode out = arr();
        int total;
        store.lock.readLock().lock();
        try {
            SearchResult res;
            try {
                res = store.search(b, sortBy, desc);
            } catch (CopperStore.BadSearch e) {
                return error(422, e.getMessage());
            }
            total = res.total();
            long from = (pageNumber - 1) * pageSize;
            if (from < res.matches().length) {
                long to = Math.min(res.matches().length, from + pageSize);
                for (int i = (int) from; i < to; i++) {
                    out.add(store.toJson(res.matches()[i], computed(r)));
                }
            }
        } finally {
            store.lock.readLock().unlock();
        }
        return Resp.ok(out).header("X-PW-TOTAL", Integer.toString(total));
    }

    Resp fetchByEmail(Req r) {
        JsonNode b = body(r);
        try {
            CopperStore.checkAttributes(b, Set.of("email"));
        } catch (Unrecognized e) {
            return error(422, e.getMessage());
        }
        String email = Http.text(b, "email");
        store.lock.readLock().lock();
        try {
            List<Person> l = store.byEmail(email);
            return l.isEmpty() ? notFound() : Resp.ok(store.toJson(l.get(0), computed(r)));
        } finally {
            store.lock.readLock().unlock();
        }
    }

    Resp get(Req r) {
        long id = id(r);
        store.lock.readLock().lock();
        try {
            Person p = store.get(id);
            return p == null ? notFound() : Resp.ok(store.toJson(p, computed(r)));
        } finally {
            store.lock.readLock().unlock();
        }
    }

    Resp create(Req r) {
        JsonNode b = body(r);
        store.lock.writeLock().lock();
        try {
            return Resp.ok(store.toJson(store.create(b), computed(r)));
        } catch (Invalid e) {
            return error(422, e.message());
        } catch (Unrecognized e) {
            return error(422, e.getMessage());
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    Resp update(Req r) {
        long id = id(r);
        JsonNode b = body(r);
        store.lock.writeLock().lock();
        try {
            Person p = store.update(id, b);
            return p == null ? notFound() : Resp.ok(store.toJson(p, computed(r)));
        } catch (Invalid e) {
            return error(422, e.message());
        } catch (Unrecognized e) {
            return error(422, e.getMessage());
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    Resp delete(Req r) {
        long id = id(r);
        store.lock.writeLock().lock();
        try {
            if (!store.delete(id)) {
                return notFound();
            }
        } finally {
            store.lock.writeLock().unlock();
        }
        ObjectNode o = obj();
        o.put("id", id);
        o.put("is_deleted", true);
        return Resp.ok(o);
    }

    Resp bulk(Req r, boolean update) {
        JsonNode b = body(r);
        try {
            CopperStore.checkAttributes(b, Set.of("people"));
        } catch (Unrecognized e) {
            return error(422, e.getMessage());
        }
        JsonNode people = b.get("people");
        if (people == null || !people.isArray()) {
            return error(422, "Invalid input: Validation errors: People: can't be blank");
        }
        if (people.size() > 10) {
            ObjectNode o = obj();
            o.put("error", "Request size too large, limit is 10");
            return Resp.json(422, o);
        }
        ArrayNode out = arr();
        store.lock.writeLock().lock();
        try {
            for (JsonNode item : people) {
                JsonNode idNode = item.get("id");
                try {
                    if (!item.isObject()) {
                        throw new Invalid("base", "Base", "invalid");
                    }
                    Person p;
                    if (update) {
                        Long id = idNode == null ? null : Http.lng(idNode);
                        if (id == null) {
                            throw new Invalid("id", "Id", "can't be blank");
                        }
                        ObjectNode copy = ((ObjectNode) item).deepCopy();
                        copy.remove("id");
                        p = store.update(id, copy);
                        if (p == null) {
                            throw new Invalid("id", "Id", "not found");
                        }
                    } else {
                        p = store.create(item);
                    }
                    out.add(store.toJson(p, computed(r)));
                } catch (Invalid | Unrecognized | NumberFormatException e) {
                    ObjectNode f = out.addObject();
                    f.put("success", false);
                    ObjectNode msg = f.putObject("message");
                    if (e instanceof Invalid inv) {
                        msg.putArray(inv.field).addObject().put("error", inv.error);
                    } else if (e instanceof Unrecognized) {
                        msg.putArray("base").addObject().put("error", e.getMessage()
                                .replace("Invalid input: Validation errors: Base: ", ""));
                    } else {
                        msg.putArray("id").addObject().put("error", "invalid");
                    }
                    if (update && idNode != null) {
                        f.set("id", idNode);
                    }
                }
            }
        } finally {
            store.lock.writeLock().unlock();
        }
        return Resp.ok(out);
    }

    // ---------------------------------------------------------------- misc

    Resp tags(Req r) {
        ArrayNode out = arr();
        store.lock.readLock().lock();
        try {
            Map<String, int[]> counts = store.tagCounts();
            List<Map.Entry<String, int[]>> entries = new java.util.ArrayList<>(counts.entrySet());
            if ("count".equals(r.q("sort_by"))) {
                entries.sort((a, c) -> Integer.compare(c.getValue()[0], a.getValue()[0]));
            }
            boolean namesOnly = "true".equalsIgnoreCase(r.q("tag_names_only"));
            for (Map.Entry<String, int[]> e : entries) {
                if (namesOnly) {
                    out.add(e.getKey());
                    continue;
                }
                ObjectNode t = out.addObject();
                t.put("name", e.getKey());
                t.put("count", e.getValue()[0]);
                t.put("count_people", e.getValue()[0]);
                t.put("count_leads", 0);
                t.put("count_companies", 0);
                t.put("count_opportunities", 0);
                t.put("count_projects", 0);
                t.put("count_tasks", 0);
            }
        } finally {
            store.lock.readLock().unlock();
        }
        return Resp.ok(out);
    }

    Resp account(Req r) {
        ObjectNode o = obj();
        o.put("id", 100624);
        o.put("name", "Copper Sandbox");
        o.put("primary_timezone", "Europe/Paris");
        ObjectNode s = o.putObject("settings");
        s.put("setting_team_permissions_enabled", false);
        s.put("setting_enable_leads", true);
        return Resp.ok(o);
    }

    Resp customFieldDefinitions(Req r) {
        store.lock.readLock().lock();
        try {
            ArrayNode out = arr();
            store.customFields.all().forEach(d -> out.add(d.deepCopy()));
            return Resp.ok(out);
        } finally {
            store.lock.readLock().unlock();
        }
    }

    Resp customFieldDefinition(Req r) {
        long id = id(r);
        store.lock.readLock().lock();
        try {
            ObjectNode d = store.customFields.get(id);
            return d == null ? notFound() : Resp.ok(d.deepCopy());
        } finally {
            store.lock.readLock().unlock();
        }
    }

    Resp createCustomFieldDefinition(Req r) {
        JsonNode b = body(r);
        try {
            CopperStore.checkAttributes(b, Set.of("name", "data_type", "available_on", "is_filterable", "options",
                    "currency", "canonical_name"));
        } catch (Unrecognized e) {
            return error(422, e.getMessage());
        }
        store.lock.writeLock().lock();
        try {
            return Resp.ok(store.customFields.create(b).deepCopy());
        } catch (Invalid e) {
            return error(422, e.message());
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    /** {@code ?custom_field_computed_values=true} (CONTRACT §7.4). */
    private static boolean computed(Req r) {
        return "true".equalsIgnoreCase(r.q("custom_field_computed_values"));
    }

    static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}

package io.cmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small HTTP/JSON helpers shared by the sandbox emulators (never by the product's clients). */
final class Http {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NF = JsonNodeFactory.instance;

    private Http() {
    }

    static ObjectNode obj() {
        return NF.objectNode();
    }

    static ArrayNode arr() {
        return NF.arrayNode();
    }

    /** A parsed request. */
    static final class Req {
        final String method;
        final String path;
        final Map<String, String> query;
        final Headers headers;
        final byte[] body;
        final Map<String, String> params = new HashMap<>();
        private JsonNode json;

        Req(String method, String path, Map<String, String> query, Headers headers, byte[] body) {
            this.method = method;
            this.path = path;
            this.query = query;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            return headers == null ? null : headers.getFirst(name);
        }

        String param(String name) {
            return params.get(name);
        }

        String q(String name) {
            return query.get(name);
        }

        boolean hasBody() {
            return body != null && body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank();
        }

        /** Parsed body, MissingNode when empty; throws JsonSyntax when malformed. */
        JsonNode json() {
            if (json == null) {
                if (!hasBody()) {
                    json = MissingNode.getInstance();
                } else {
                    try {
                        json = MAPPER.readTree(body);
                    } catch (Exception e) {
                        throw new JsonSyntax();
                    }
                }
            }
            return json;
        }
    }

    static final class JsonSyntax extends RuntimeException {
        JsonSyntax() {
            super("malformed JSON", null, false, false);
        }
    }

    /** A response; JSON bodies stay as a tree until sent so that fields filtering can apply. */
    static final class Resp {
        final int status;
        JsonNode json;
        byte[] raw;
        String contentType = "application/json; charset=utf-8";
        final Map<String, String> headers = new LinkedHashMap<>();

        Resp(int status) {
            this.status = status;
        }

        static Resp json(int status, JsonNode node) {
            Resp r = new Resp(status);
            r.json = node;
            return r;
        }

        static Resp ok(JsonNode node) {
            return json(200, node);
        }

        static Resp empty(int status) {
            return new Resp(status);
        }

        Resp header(String k, String v) {
            headers.put(k, v);
            return this;
        }

        Resp type(String ct) {
            contentType = ct;
            return this;
        }
    }

    /** Thrown by handlers to answer with an error response. */
    static final class HttpError extends RuntimeException {
        final Resp resp;

        HttpError(Resp resp) {
            super(null, null, false, false);
            this.resp = resp;
        }
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            m.put(decode(k), decode(v));
        }
        return m;
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static String md5(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] d = md.digest(s.getBytes(StandardCharsets.UTF_8));
            char[] out = new char[32];
            final char[] hex = "0123456789abcdef".toCharArray();
            for (int i = 0; i < 16; i++) {
                out[i * 2] = hex[(d[i] >> 4) & 0xF];
                out[i * 2 + 1] = hex[d[i] & 0xF];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text of a field, null when absent or JSON null. */
    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    /** Tolerant number parsing: accepts numbers and numeric strings. Returns null when absent/null. */
    static Long lng(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                throw new NumberFormatException(v.asText());
            }
        }
        if (v.isBoolean()) {
            throw new NumberFormatException(v.asText());
        }
        throw new NumberFormatException(v.toString());
    }

    static boolean simpleEmailValid(String e) {
        if (e == null) {
            return false;
        }
        int at = e.indexOf('@');
        if (at <= 0 || at != e.lastIndexOf('@') || at == e.length() - 1) {
            return false;
        }
        String domain = e.substring(at + 1);
        if (domain.startsWith(".") || domain.endsWith(".") || !domain.contains(".") || domain.contains("..")) {
            return false;
        }
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            if (Character.isWhitespace(c) || c == ',' || c == ';' || c == '<' || c == '>') {
                return false;
            }
        }
        return true;
    }
}

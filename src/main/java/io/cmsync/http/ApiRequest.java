package io.cmsync.http;

/**
 * One API call, relative to the side's base URL.
 *
 * @param method HTTP method
 * @param path   path below the base URL, e.g. {@code people/search}
 * @param query  raw query string without '?', or null
 * @param body   JSON body, or null
 * @param label  endpoint label for logs and metrics, e.g. {@code POST people/search} (no ids, no secrets)
 */
public record ApiRequest(String method, String path, String query, String body, String label) {

    public static ApiRequest get(String path, String query, String label) {
        return new ApiRequest("GET", path, query, null, label);
    }

    public static ApiRequest post(String path, String body, String label) {
        return new ApiRequest("POST", path, null, body, label);
    }

    public static ApiRequest put(String path, String body, String label) {
        return new ApiRequest("PUT", path, null, body, label);
    }
}

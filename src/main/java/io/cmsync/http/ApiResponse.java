package io.cmsync.http;

import java.util.Map;

/** What came back: status, body text and the few headers the clients read (lower-case names). */
public record ApiResponse(int status, String body, Map<String, String> headers) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}

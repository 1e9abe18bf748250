package io.cmsync.contract;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.cmsync.http.ApiRequest;
import io.cmsync.http.ApiResponse;
import io.cmsync.http.ApiTransport;

/**
 * A small {@link ApiTransport} of the tests' own (java.net.http through {@link Wire}, not the product's Camel route)
 * that hands every exchange, as it went over the wire, to a checker. The checker returns its findings; they are kept
 * in {@link #violations()} and also thrown at once so a failing call points at the client method that made it.
 */
final class WireTransport implements ApiTransport {
    private final String baseUrl;
    private final String[] headers;
    private final Function<Wire.Exchange, List<String>> checker;
    private final List<Wire.Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param baseUrl the side's base URL (e.g. {@code http://127.0.0.1:1234/3.0})
     * @param headers what the product's transport adds (credentials, Accept), name/value pairs
     */
    WireTransport(String baseUrl, Function<Wire.Exchange, List<String>> checker, String... headers) {
        this.baseUrl = baseUrl;
        this.headers = headers;
        this.checker = checker;
    }

    @Override
    public ApiResponse send(ApiRequest request) {
        URI base = URI.create(baseUrl);
        String host = base.getScheme() + "://" + base.getRawAuthority();
        Wire.Exchange x = Wire.send(host, request.method(), base.getRawPath() + "/" + request.path(), request.query(),
                request.body(), headers);
        exchanges.add(x);
        List<String> found = checker.apply(x);
        if (!found.isEmpty()) {
            String text = request.label() + " (" + x + "):\n  " + String.join("\n  ", found)
                    + "\n  request body: " + x.requestBody() + "\n  response body: " + x.responseBody();
            violations.add(text);
            throw new AssertionError("contract violation in " + text);
        }
        Map<String, String> h = new HashMap<>();
        x.responseHeaders().forEach((k, v) -> {
            if (k != null && !v.isEmpty()) {
                h.put(k.toLowerCase(Locale.ROOT), v.get(0));
            }
        });
        return new ApiResponse(x.status(), x.responseBody() == null ? "" : x.responseBody(), h);
    }

    List<Wire.Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    List<String> violations() {
        return List.copyOf(violations);
    }
}

package io.cmsync.http;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;

/**
 * Sends API calls through a Camel route (e.g. {@code direct:copper-api}) whose http endpoint does the wire work, so
 * that every call to Copper and Mailchimp goes through camel-http and the route an integration engineer can see.
 * The credentials are added as headers here and removed by the route once the call is made.
 */
public final class CamelApiTransport implements ApiTransport {
    private final Supplier<ProducerTemplate> template;
    private final String endpointUri;
    private final Consumer<Message> credentials;

    public CamelApiTransport(Supplier<ProducerTemplate> template, String endpointUri, Consumer<Message> credentials) {
        this.template = template;
        this.endpointUri = endpointUri;
        this.credentials = credentials;
    }

    @Override
    public ApiResponse send(ApiRequest request) {
        Exchange result = template.get().send(endpointUri, exchange -> {
            Message in = exchange.getIn();
            in.setHeader(Exchange.HTTP_METHOD, request.method());
            in.setHeader(Exchange.HTTP_PATH, request.path());
            if (request.query() != null && !request.query().isEmpty()) {
                in.setHeader(Exchange.HTTP_QUERY, request.query());
            }
            in.setHeader("Accept", "application/json");
            if (request.body() != null) {
                in.setHeader(Exchange.CONTENT_TYPE, "application/json");
                in.setBody(request.body());
            } else {
                in.setBody(null);
            }
            credentials.accept(in);
        });
        Exception failure = result.getException();
        if (failure != null) {
            throw new ApiIoException(describe(failure), null);
        }
        Message out = result.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = out.getBody(String.class);
        Map<String, String> headers = new HashMap<>();
        for (String name : new String[] {"Retry-After", "X-PW-TOTAL", "Content-Type", "Allow", "Date"}) {
            Object v = out.getHeader(name);
            if (v == null) {
                v = findIgnoringCase(out.getHeaders(), name);
            }
            if (v != null) {
                headers.put(name.toLowerCase(Locale.ROOT), v.toString());
            }
        }
        return new ApiResponse(status == null ? 0 : status, body == null ? "" : body, headers);
    }

    private static Object findIgnoringCase(Map<String, Object> headers, String name) {
        for (Map.Entry<String, Object> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A short reason without the request (whose headers carry credentials). */
    private static String describe(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof IOException)) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}

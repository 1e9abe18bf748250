package io.cmsync.api;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * camel-http's header filter, except that a {@code Content-Type} header is sent on a call without a body (GET,
 * DELETE): Copper asks for {@code Content-Type: application/json} on every call (CONTRACT §1), and camel-http
 * otherwise only sends the one its request body carries. With a body, the body's own header is sent, once.
 */
final class BodilessContentType extends HttpHeaderFilterStrategy {
    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        if (Exchange.CONTENT_TYPE.equalsIgnoreCase(headerName) && exchange != null
                && exchange.getMessage().getBody() == null) {
            return false;
        }
        return super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}

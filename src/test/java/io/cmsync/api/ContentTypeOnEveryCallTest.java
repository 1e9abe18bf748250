package io.cmsync.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Copper CONTRACT §1: Content-Type: application/json on every call, GET and DELETE included; never twice. */
class ContentTypeOnEveryCallTest {

    @Test
    void bodilessCallsCarryTheContentTypeAndCallsWithABodyCarryItOnce() throws Exception {
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            List<String> types = ex.getRequestHeaders().get("Content-Type");
            seen.put(ex.getRequestMethod(), types == null ? List.of() : new CopyOnWriteArrayList<>(types));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("http", ApiClients.httpComponent(Duration.ofSeconds(5), Duration.ofSeconds(5)));
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/developer_api/v1";
            for (String method : new String[] {"GET", "DELETE", "POST"}) {
                template.send(uri, e -> {
                    e.getIn().setHeader(Exchange.HTTP_METHOD, method);
                    e.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
                    e.getIn().setBody("POST".equals(method) ? "{\"page_size\":1}" : null);
                });
            }
        } finally {
            server.stop(0);
        }
        assertThat(seen.get("GET")).containsExactly("application/json");
        assertThat(seen.get("DELETE")).containsExactly("application/json");
        assertThat(seen.get("POST")).hasSize(1).allSatisfy(t -> assertThat(t).startsWith("application/json"));
    }
}

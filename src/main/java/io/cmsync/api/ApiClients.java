package io.cmsync.api;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import io.cmsync.config.Settings;
import io.cmsync.copper.CopperClient;
import io.cmsync.http.CallListener;
import io.cmsync.http.CamelApiTransport;
import io.cmsync.http.RateLimiter;
import io.cmsync.http.RetryingCaller;
import io.cmsync.mailchimp.MailchimpClient;

/**
 * The two API clients, built the same way for the sync and for the management commands: credentials as headers,
 * retries, Copper's rate limits, and every call through the {@code direct:copper-api} / {@code direct:mailchimp-api}
 * routes of {@code routes/api.yaml} (camel-http).
 */
public record ApiClients(CopperClient copper, MailchimpClient mailchimp) {

    /** Clients sending through whatever Camel context {@code template} belongs to (the routes must be loaded). */
    public static ApiClients create(Settings settings, Supplier<ProducerTemplate> template) {
        return create(settings, template, CallListener.NONE, settings.httpMaxAttempts());
    }

    /** Same, telling {@code listener} about every API call (metrics). */
    public static ApiClients create(Settings settings, Supplier<ProducerTemplate> template, CallListener listener) {
        return create(settings, template, listener, settings.httpMaxAttempts());
    }

    /** Same, with {@code maxAttempts} per call (1 for the health checks: they report, they do not retry). */
    public static ApiClients create(Settings settings, Supplier<ProducerTemplate> template, CallListener listener,
                                    int maxAttempts) {
        return create(settings, template, listener, maxAttempts, new SharedLimits());
    }

    /** The header that tells {@code direct:mailchimp-api} the account's base URL (its data centre). */
    public static final String MAILCHIMP_BASE_URL_HEADER = "CmsyncMailchimpBaseUrl";
    /** Mailchimp's simultaneous connections per account (CONTRACT §6). */
    public static final int MAILCHIMP_CONNECTIONS = 10;

    /**
     * The limits of an account, shared by the clients of every sync pair on that account: one Copper user (its
     * e-mail) has one rolling-minute budget and one bulk budget, one Mailchimp API key its 10 connections.
     */
    public static final class SharedLimits {
        private final java.util.Map<String, RateLimiter> copperMinute = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Map<String, RateLimiter> copperBulk = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Map<String, java.util.concurrent.Semaphore> mailchimpConnections =
                new java.util.concurrent.ConcurrentHashMap<>();

        /** The Copper user an API e-mail names (one account's limits, whatever its spelling). */
        public static String copperUser(String email) {
            return email.strip().toLowerCase(java.util.Locale.ROOT);
        }

        /** The rolling-minute limiter of the Copper user {@code email}. */
        public RateLimiter copperMinute(String email, int perMinute) {
            return copperMinute.computeIfAbsent(copperUser(email), e -> RateLimiter.perMinute(perMinute));
        }

        RateLimiter copperBulk(String email, int perSecond) {
            return copperBulk.computeIfAbsent(copperUser(email),
                    e -> new RateLimiter(perSecond, 1000, System::currentTimeMillis, RetryingCaller.threadSleep(),
                            false));
        }

        java.util.concurrent.Semaphore mailchimpConnections(String apiKey) {
            return mailchimpConnections.computeIfAbsent(apiKey,
                    k -> new java.util.concurrent.Semaphore(MAILCHIMP_CONNECTIONS, true));
        }
    }

    /** Same, the account limits taken from {@code limits} (shared with the other pairs' clients). */
    public static ApiClients create(Settings settings, Supplier<ProducerTemplate> template, CallListener listener,
                                    int maxAttempts, SharedLimits limits) {
        var secrets = settings.secrets();
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                ("cmsync:" + secrets.mailchimpApiKey()).getBytes(StandardCharsets.UTF_8));
        CamelApiTransport copperTransport = new CamelApiTransport(template, "direct:copper-api",
                (Message m) -> {
                    m.setHeader("X-PW-AccessToken", secrets.copperApiKey());
                    m.setHeader("X-PW-Application", "developer_api");
                    m.setHeader("X-PW-UserEmail", secrets.copperApiEmail());
                    // on every call, GET and DELETE included (CONTRACT §1): sent by BodilessContentType
                    m.setHeader(org.apache.camel.Exchange.CONTENT_TYPE, "application/json");
                });
        String mailchimpBase = settings.mailchimpBaseUrl().toString();
        CamelApiTransport camelMailchimp = new CamelApiTransport(template, "direct:mailchimp-api",
                (Message m) -> {
                    m.setHeader("Authorization", basic);
                    // accounts of several pairs may live in different data centres: the route sends where this says
                    m.setHeader(MAILCHIMP_BASE_URL_HEADER, mailchimpBase);
                });
        java.util.concurrent.Semaphore connections = limits.mailchimpConnections(secrets.mailchimpApiKey());
        io.cmsync.http.ApiTransport mailchimpTransport = request -> {
            // at most 10 calls at once per Mailchimp account, whatever the number of pairs on it
            connections.acquireUninterruptibly();
            try {
                return camelMailchimp.send(request);
            } finally {
                connections.release();
            }
        };
        // no key nor Authorization value in any log line, whatever the level (HTTP client header logs included)
        io.cmsync.logging.SecretMaskingFilter.install(java.util.List.of(secrets.copperApiKey(),
                secrets.mailchimpApiKey(), basic.substring("Basic ".length())));
        RetryingCaller copperCaller = new RetryingCaller(CopperClient.SIDE, copperTransport, maxAttempts,
                Duration.ofMillis(500), Duration.ofSeconds(30),
                limits.copperMinute(secrets.copperApiEmail(), settings.copperRequestsPerMinute()),
                RetryingCaller.threadSleep(), listener)
                .politeness(Duration.ofSeconds(60), false); // a 429 without Retry-After: a rolling minute (CONTRACT §12)
        RetryingCaller mailchimpCaller = new RetryingCaller(MailchimpClient.SIDE, mailchimpTransport,
                maxAttempts, Duration.ofMillis(500), Duration.ofSeconds(30), RateLimiter.unlimited(),
                RetryingCaller.threadSleep(), listener)
                .politeness(Duration.ZERO, true); // a 403 without a body: too many connections (CONTRACT §6)
        // Copper's bulk endpoints add their own limit (3 requests per second) to the rolling minute
        RateLimiter bulk = limits.copperBulk(secrets.copperApiEmail(), settings.copperBulkRequestsPerSecond());
        return new ApiClients(new CopperClient(copperCaller, bulk),
                new MailchimpClient(mailchimpCaller, secrets.mailchimpListId(),
                        // the batch results are fetched from a pre-signed URL, outside the route, without credentials
                        MailchimpClient.httpDownloader(Duration.ofSeconds(settings.httpResponseTimeoutSeconds())),
                        RetryingCaller.threadSleep(), Duration.ofSeconds(settings.mailchimpBatchMaxWaitSeconds())));
    }

    /** The real APIs are https, the sandbox http: the API routes' two camel-http components. */
    public static final String[] HTTP_SCHEMES = {"http", "https"};

    /** A camel-http component as the API routes need it: the configured timeouts, no retries of its own. */
    public static HttpComponent httpComponent(Settings settings) {
        return httpComponent(Duration.ofSeconds(settings.httpConnectTimeoutSeconds()),
                Duration.ofSeconds(settings.httpResponseTimeoutSeconds()));
    }

    static HttpComponent httpComponent(Duration connectTimeout, Duration responseTimeout) {
        HttpComponent c = new HttpComponent();
        c.setConnectTimeout(connectTimeout.toMillis());
        c.setResponseTimeout(responseTimeout.toMillis());
        c.setSoTimeout(responseTimeout.toMillis());
        c.setHeaderFilterStrategy(new BodilessContentType());
        // HttpClient 5.5 silently re-sends a request answered 429 or 503 after its Retry-After (CAMEL-23345):
        // retries and pacing belong to RetryingCaller, which logs each one and counts it against the rate limit
        c.setAutomaticRetriesDisabled(true);
        return c;
    }

    /**
     * A minimal Camel context with only the two API routes of {@code routes/api.yaml} (no sync route, no schedule),
     * for the management commands. Close it when done.
     */
    public static Standalone standalone(Settings settings) throws Exception {
        return standalone(settings, Path.of("routes/api.yaml"));
    }

    public static Standalone standalone(Settings settings, Path apiRoutes) throws Exception {
        DefaultCamelContext ctx = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("copper.base-url", settings.copperBaseUrl().toString());
        p.setProperty("mailchimp.base-url", settings.mailchimpBaseUrl().toString());
        ctx.getPropertiesComponent().setInitialProperties(p);
        for (String scheme : HTTP_SCHEMES) {
            ctx.addComponent(scheme, httpComponent(settings));
        }
        // the API routes name their error handling (routeConfigurationId), declared in errors.yaml beside them
        PluginHelper.getRoutesLoader(ctx).loadRoutes(
                ResourceHelper.resolveResource(ctx, "file:" + apiRoutes.resolveSibling("errors.yaml").toAbsolutePath()),
                ResourceHelper.resolveResource(ctx, "file:" + apiRoutes.toAbsolutePath()));
        ctx.start();
        ProducerTemplate template = ctx.createProducerTemplate();
        return new Standalone(ctx, template, create(settings, () -> template));
    }

    /** A started command context and its clients. */
    public record Standalone(CamelContext context, ProducerTemplate template, ApiClients clients)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                template.close();
            } catch (Exception ignored) {
                // closing anyway
            }
            try {
                context.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop Camel: " + e.getMessage(), e);
            }
        }
    }
}

package io.cmsync.sandbox;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cmsync.sandbox.Http.HttpError;
import io.cmsync.sandbox.Http.Req;
import io.cmsync.sandbox.Http.Resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stateful in-memory emulator of the Copper Developer API v1 ({@code /developer_api/v1/}) and the Mailchimp
 * Marketing API v3 ({@code /3.0/}) on one HTTP port of 127.0.0.1, plus an admin API under {@code /_sandbox/}.
 * Independent of the product's clients by design. See docs/sandbox.md.
 */
public final class SandboxServer implements AutoCloseable {
    public static final String COPPER_API_KEY = "sandbox-copper-key";
    public static final String COPPER_USER_EMAIL = "sandbox@example.com";
    public static final String MAILCHIMP_API_KEY = "sandbox0mailchimp0key-us1";
    public static final String LIST_ID = "5a1dbc0c4e";

    static final String COPPER_PREFIX = "/developer_api/v1";
    static final String MC_PREFIX = "/3.0";
    private static final String DEMO_RESOURCE = "/sandbox/demo-data.json";

    private enum Side { COPPER, MAILCHIMP }

    private interface Handler {
        Resp handle(Req r) throws Exception;
    }

    private record Route(String method, Side side, String template, String[] segs, Handler handler) {
    }

    private final SandboxOptions options;
    private final HttpServer server;
    private final ExecutorService executor;
    private final CopperStore copper = new CopperStore();
    private final MailchimpStore mailchimp = new MailchimpStore();
    private final CopperApi copperApi = new CopperApi(copper);
    private final MailchimpApi mcApi = new MailchimpApi(mailchimp);
    private final MailchimpBatches batches = new MailchimpBatches(this::dispatchInternal, this::baseUrl);
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    /** The latest API calls with their times (at most {@value #CALL_LOG_MAX}), oldest first. */
    private final java.util.concurrent.ConcurrentLinkedDeque<Call> callLog = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final java.util.concurrent.atomic.AtomicInteger callLogSize = new java.util.concurrent.atomic.AtomicInteger();
    static final int CALL_LOG_MAX = 100_000;

    /**
     * One API call as the sandbox received it: when it came and when its handling ended (epoch milliseconds), its
     * method and path (a Mailchimp path names its audience: {@code /mailchimp/3.0/lists/<id>/…}).
     */
    public record Call(long startMillis, long endMillis, String method, String path) {
        /** The Mailchimp audience the call is about, or null (a Copper call, or a Mailchimp call of no audience). */
        public String listId() {
            var m = java.util.regex.Pattern.compile("/lists/([^/]+)").matcher(path);
            return m.find() ? m.group(1) : null;
        }
    }
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private volatile FaultConfig faults = FaultConfig.none();
    private Random random = new Random(FaultConfig.none().seed());
    private final AtomicInteger mcInFlight = new AtomicInteger();
    private final Map<String, ArrayDeque<Long>> copperWindows = new HashMap<>();
    private final Path seedFile;

    static {
        // The JDK server writes a response's headers and body in two segments; with Nagle's algorithm on, the body
        // waits for the client's delayed ACK of the headers (40 ms on Linux) on every kept-alive connection
        // (JDK-6968351). The real APIs add no such stall: latency is only what the fault settings add. Read once,
        // when the JDK server's configuration class loads, hence before any server of this JVM is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private SandboxServer(SandboxOptions options) throws IOException {
        this.options = options;
        this.seedFile = options.dataFile();
        if (options.stateFile() != null && !options.reset() && Files.exists(options.stateFile())) {
            loadFile(options.stateFile());
        } else {
            loadSeed();
        }
        registerRoutes();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 1024);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "sandbox-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static SandboxServer start(SandboxOptions options) throws IOException {
        return new SandboxServer(options == null ? SandboxOptions.defaults() : options);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public String copperBaseUrl() {
        return baseUrl() + COPPER_PREFIX;
    }

    public String mailchimpBaseUrl() {
        return baseUrl() + MC_PREFIX;
    }

    /** Multi-line text for the console: base URLs, accepted keys, audience id. */
    public String describe() {
        return String.join("\n",
                "Sandbox listening on " + baseUrl(),
                "  Copper API     : " + copperBaseUrl(),
                "    X-PW-AccessToken: " + COPPER_API_KEY,
                "    X-PW-UserEmail  : " + COPPER_USER_EMAIL,
                "    X-PW-Application: developer_api",
                "  Mailchimp API  : " + mailchimpBaseUrl(),
                "    API key (Basic password or Bearer): " + MAILCHIMP_API_KEY + "  (dc us1)",
                "    Audience (list) id: " + LIST_ID,
                "  Admin API      : " + baseUrl() + "/_sandbox/ (state, reset, calls, faults)",
                "  Data           : " + (options.dataFile() == null ? "built-in demo data" : options.dataFile().toString())
                        + (options.stateFile() == null ? "" : ", state file " + options.stateFile()));
    }

    // ------------------------------------------------------------------ state

    private void loadSeed() throws IOException {
        if (seedFile != null) {
            loadFile(seedFile);
            return;
        }
        try (InputStream in = SandboxServer.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IOException("missing resource " + DEMO_RESOURCE);
            }
            loadStream(in);
        }
    }

    private void loadFile(Path file) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            loadStream(in);
        }
    }

    /** Streams a state document (record by record) into the stores. */
    private void loadStream(InputStream in) throws IOException {
        try (JsonParser p = Http.MAPPER.getFactory().createParser(in)) {
            loadParser(p);
        }
    }

    private void loadParser(JsonParser p) throws IOException {
        copper.lock.writeLock().lock();
        mailchimp.lock.writeLock().lock();
        try {
            StateLoader.load(p, copper, mailchimp);
        } finally {
            mailchimp.lock.writeLock().unlock();
            copper.lock.writeLock().unlock();
        }
    }

    /**
     * A Mailchimp audience with this id, created empty (default merge fields) when the sandbox has none: what
     * {@code --sandbox} gives each declared sync pair. An existing one is left as it is (its members, its name).
     *
     * @return true when the audience was created
     */
    public boolean ensureList(String id, String name) {
        mailchimp.lock.writeLock().lock();
        try {
            if (mailchimp.lists.containsKey(id)) {
                return false;
            }
            mailchimp.loadListHeader(Http.obj().put("id", id).put("name", name));
            return true;
        } finally {
            mailchimp.lock.writeLock().unlock();
        }
    }

    /** Same JSON as GET /_sandbox/state. */
    public ObjectNode dump() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            writeState(bos);
            return (ObjectNode) Http.MAPPER.readTree(bos.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeState(OutputStream out) throws IOException {
        copper.lock.readLock().lock();
        mailchimp.lock.readLock().lock();
        try (JsonGenerator g = Http.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeFieldName("copper");
            copper.write(g);
            g.writeFieldName("mailchimp");
            mailchimp.write(g);
            g.writeEndObject();
        } finally {
            mailchimp.lock.readLock().unlock();
            copper.lock.readLock().unlock();
        }
    }

    /** Replaces the whole state. */
    public void load(JsonNode state) {
        try (JsonParser p = Http.MAPPER.treeAsTokens(state == null ? Http.obj() : state)) {
            loadParser(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Back to the seed (demo data or the --data file). */
    public void reset() {
        batches.clear();
        try {
            loadSeed();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void save() throws IOException {
        Path f = options.stateFile();
        if (f == null) {
            return;
        }
        Path abs = f.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
            writeState(out);
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Map<String, Long> calls() {
        Map<String, Long> m = new TreeMap<>();
        calls.forEach((k, v) -> {
            long c = v.sum();
            if (c > 0) {
                m.put(k, c);
            }
        });
        return m;
    }

    /** The latest API calls (up to {@value #CALL_LOG_MAX}) with their times, oldest first. */
    public List<Call> callLog() {
        return List.copyOf(callLog);
    }

    private void logCall(Call call) {
        callLog.addLast(call);
        if (callLogSize.incrementAndGet() > CALL_LOG_MAX && callLog.pollFirst() != null) {
            callLogSize.decrementAndGet();
        }
    }

    public long totalCalls() {
        return total.sum();
    }

    public void resetCalls() {
        calls.clear();
        total.reset();
        callLog.clear();
        callLogSize.set(0);
        statuses.clear();
    }

    public void faults(FaultConfig config) {
        FaultConfig c = config == null ? FaultConfig.none() : config;
        synchronized (this) {
            random = new Random(c.seed());
        }
        synchronized (copperWindows) {
            copperWindows.clear();
        }
        faults = c;
    }

    public FaultConfig faults() {
        return faults;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            save();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ routing

    private void route(String method, Side side, String template, Handler h) {
        String full = (side == Side.COPPER ? COPPER_PREFIX : MC_PREFIX) + template;
        routes.add(new Route(method, side, full, full.substring(1).split("/"), h));
    }

    private void registerRoutes() {
        Side c = Side.COPPER;
        route("POST", c, "/people/search", copperApi::search);
        route("POST", c, "/people/fetch_by_email", copperApi::fetchByEmail);
        route("POST", c, "/people/bulk_create", r -> copperApi.bulk(r, false));
        route("POST", c, "/people/bulk_update", r -> copperApi.bulk(r, true));
        route("POST", c, "/people", copperApi::create);
        route("GET", c, "/people/{id}", copperApi::get);
        route("PUT", c, "/people/{id}", copperApi::update);
        route("DELETE", c, "/people/{id}", copperApi::delete);
        route("GET", c, "/account", copperApi::account);
        route("GET", c, "/tags", copperApi::tags);
        route("GET", c, "/custom_field_definitions", copperApi::customFieldDefinitions);
        route("POST", c, "/custom_field_definitions", copperApi::createCustomFieldDefinition);
        route("GET", c, "/custom_field_definitions/{id}", copperApi::customFieldDefinition);
        Side m = Side.MAILCHIMP;
        route("GET", m, "/ping", mcApi::ping);
        route("GET", m, "/lists", mcApi::lists);
        route("GET", m, "/lists/{list_id}", mcApi::getList);
        route("POST", m, "/lists/{list_id}", mcApi::batchSubscribe);
        route("GET", m, "/lists/{list_id}/members", mcApi::listMembers);
        route("POST", m, "/lists/{list_id}/members", mcApi::createMember);
        route("GET", m, "/lists/{list_id}/members/{subscriber_hash}", mcApi::getMember);
        route("PUT", m, "/lists/{list_id}/members/{subscriber_hash}", mcApi::putMember);
        route("PATCH", m, "/lists/{list_id}/members/{subscriber_hash}", mcApi::patchMember);
        route("DELETE", m, "/lists/{list_id}/members/{subscriber_hash}", mcApi::archiveMember);
        route("GET", m, "/lists/{list_id}/members/{subscriber_hash}/tags", mcApi::memberTags);
        route("POST", m, "/lists/{list_id}/members/{subscriber_hash}/tags", mcApi::postMemberTags);
        route("POST", m, "/lists/{list_id}/members/{subscriber_hash}/actions/delete-permanent", mcApi::deletePermanent);
        route("GET", m, "/lists/{list_id}/segments", mcApi::listSegments);
        route("POST", m, "/lists/{list_id}/segments", mcApi::createSegment);
        route("GET", m, "/lists/{list_id}/segments/{segment_id}", mcApi::getSegment);
        route("POST", m, "/lists/{list_id}/segments/{segment_id}", mcApi::batchSegment);
        route("DELETE", m, "/lists/{list_id}/segments/{segment_id}", mcApi::deleteSegment);
        route("GET", m, "/lists/{list_id}/segments/{segment_id}/members", mcApi::segmentMembers);
        route("GET", m, "/lists/{list_id}/tag-search", mcApi::tagSearch);
        route("GET", m, "/lists/{list_id}/merge-fields", mcApi::mergeFields);
        route("POST", m, "/lists/{list_id}/merge-fields", mcApi::createMergeField);
        route("POST", m, "/batches", batches::create);
        route("GET", m, "/batches", batches::list);
        route("GET", m, "/batches/{batch_id}", batches::get);
    }

    /** Finds the route; fills path params. Returns null when no template matches (pathOnly tells whether the path exists). */
    private Route match(String method, String path, Map<String, String> params, boolean[] pathExists) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String[] segs = p.substring(1).split("/");
        for (Route r : routes) {
            if (r.segs.length != segs.length) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            boolean ok = true;
            for (int i = 0; i < segs.length && ok; i++) {
                String t = r.segs[i];
                if (t.startsWith("{")) {
                    if (segs[i].isEmpty()) {
                        ok = false;
                    } else {
                        found.put(t.substring(1, t.length() - 1), Http.decode(segs[i]));
                    }
                } else if (!t.equals(segs[i])) {
                    ok = false;
                }
            }
            if (ok) {
                pathExists[0] = true;
                if (r.method.equals(method)) {
                    params.putAll(found);
                    return r;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) throws IOException {
        try {
            String method = ex.getRequestMethod().toUpperCase();
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/_sandbox/") || path.equals("/_sandbox")) {
                Resp ar = admin(ex, method, path);
                if (ar != null) {
                    send(ex, ar, null);
                } else {
                    ex.close();
                }
                return;
            }
            Side side = path.startsWith(COPPER_PREFIX + "/") ? Side.COPPER
                    : path.startsWith(MC_PREFIX + "/") ? Side.MAILCHIMP : null;
            if (side == null) {
                Resp r = Resp.json(404, Http.obj().put("error", "not_found")
                        .put("hint", "Copper is under " + COPPER_PREFIX + "/, Mailchimp under " + MC_PREFIX + "/"));
                send(ex, r, null);
                return;
            }
            handleApi(ex, method, path, side);
        } catch (Throwable t) {
            try {
                ex.close();
            } catch (Exception ignored) {
                // nothing
            }
        }
    }

    private void handleApi(HttpExchange ex, String method, String path, Side side) throws IOException {
        Map<String, String> params = new HashMap<>();
        boolean[] pathExists = new boolean[1];
        Route route = match(method, path, params, pathExists);
        String key = method + " " + (route != null ? route.template : (side == Side.COPPER ? COPPER_PREFIX : MC_PREFIX) + "/*");
        calls.computeIfAbsent(key, k -> new LongAdder()).increment();
        total.increment();
        FaultConfig f = faults;
        boolean mcSlot = false;
        long startMillis = System.currentTimeMillis();
        Resp resp;
        try {
            if (side == Side.MAILCHIMP) {
                mcInFlight.incrementAndGet();
                mcSlot = true;
            }
            if (f.latencyMs() > 0) {
                Thread.sleep(f.latencyMs());
            }
            if (side == Side.MAILCHIMP && f.mailchimpMaxConcurrent() > 0 && mcInFlight.get() > f.mailchimpMaxConcurrent()) {
                answer(ex, MailchimpApi.problem(429, "Too Many Requests",
                        "You have exceeded the limit of 10 simultaneous connections."), null);
                return;
            }
            if (side == Side.COPPER && f.copperRequestsPerMinute() > 0) {
                long retry = copperRateCheck(ex.getRequestHeaders().getFirst("X-PW-AccessToken"), f.copperRequestsPerMinute());
                if (retry > 0) {
                    answer(ex, CopperApi.error(429, "Rate limit exceeded").header("Retry-After", Long.toString(retry)), null);
                    return;
                }
            }
            if (f.randomFaults()) {
                double x;
                boolean coin;
                synchronized (this) {
                    x = random.nextDouble();
                    coin = random.nextBoolean();
                }
                if (x < f.dropRatio()) {
                    ex.close(); // no response headers sent: the connection is closed
                    return;
                }
                if (x < f.dropRatio() + f.timeoutRatio()) {
                    Thread.sleep(f.timeoutMs());
                    ex.close();
                    return;
                }
                if (x < f.dropRatio() + f.timeoutRatio() + f.errorRatio()) {
                    answer(ex, randomError(side, coin), null);
                    return;
                }
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Req req = new Req(method, path, Http.parseQuery(ex.getRequestURI().getRawQuery()), ex.getRequestHeaders(), body);
            req.params.putAll(params);
            Resp auth = side == Side.COPPER ? CopperApi.auth(req) : MailchimpApi.auth(req);
            if (auth != null) {
                resp = auth;
            } else if (route == null) {
                resp = notFound(side, pathExists[0]);
            } else {
                try {
                    resp = route.handler.handle(req);
                } catch (HttpError e) {
                    resp = e.resp;
                } catch (MailchimpApi.McError e) {
                    resp = e.resp();
                }
            }
            if (side == Side.MAILCHIMP && resp.json != null && resp.status < 300) {
                resp.json = MailchimpApi.filterFields(resp.json, req.q("fields"), req.q("exclude_fields"));
            }
            if (f.lostAnswerRatio() > 0 && resp.status < 300 && !"GET".equals(method) && !path.endsWith("/search")) {
                double x;
                synchronized (this) {
                    x = random.nextDouble();
                }
                if (x < f.lostAnswerRatio()) {
                    // the write is applied; the client only sees a gateway's error (the answer was lost on the way)
                    resp = side == Side.COPPER ? CopperApi.error(503, "Service Unavailable")
                            : MailchimpApi.problem(503, "Service Unavailable", "The answer was lost after the write.");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
            return;
        } catch (Exception e) {
            resp = side == Side.COPPER ? CopperApi.error(500, "Internal Server Error: " + e)
                    : MailchimpApi.problem(500, "Internal Server Error", "A deep, internal error has occurred during the "
                    + "processing of your request. Please contact support.");
        } finally {
            if (mcSlot) {
                mcInFlight.decrementAndGet();
            }
            logCall(new Call(startMillis, System.currentTimeMillis(), method, path));
        }
        answer(ex, resp, side);
    }

    /** Sends an API call's response and counts it by status (admin answers are not counted). */
    private void answer(HttpExchange ex, Resp resp, Side side) throws IOException {
        statuses.computeIfAbsent(resp.status, k -> new LongAdder()).increment();
        send(ex, resp, side);
    }

    /** How many API calls were answered with each HTTP status (dropped and timed-out calls have none). */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> m = new TreeMap<>();
        statuses.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /**
     * One operation of a Mailchimp batch, run as if it had been sent to {@code path} (under /3.0) with the batch's
     * headers: same authentication and handlers, but not counted, not faulted, no latency.
     */
    private Resp dispatchInternal(String method, String path, Map<String, String> query,
                                  com.sun.net.httpserver.Headers headers, byte[] body) {
        Map<String, String> params = new HashMap<>();
        boolean[] pathExists = new boolean[1];
        Route route = match(method, path, params, pathExists);
        Req req = new Req(method, path, query, headers, body);
        req.params.putAll(params);
        Resp resp = MailchimpApi.auth(req);
        if (resp != null) {
            return resp;
        }
        if (route == null || route.side() != Side.MAILCHIMP) {
            return notFound(Side.MAILCHIMP, pathExists[0]);
        }
        try {
            resp = route.handler.handle(req);
        } catch (HttpError e) {
            resp = e.resp;
        } catch (MailchimpApi.McError e) {
            resp = e.resp();
        } catch (Exception e) {
            resp = MailchimpApi.problem(500, "Internal Server Error", "A deep, internal error has occurred during the "
                    + "processing of your request. Please contact support.");
        }
        if (resp.json != null && resp.status < 300) {
            resp.json = MailchimpApi.filterFields(resp.json, req.q("fields"), req.q("exclude_fields"));
        }
        return resp;
    }

    /** How long a Mailchimp batch takes from {@code pending} to {@code finished}; 0 (default) = on the first GET. */
    public void batchProcessingMs(long ms) {
        batches.processingMs(ms);
    }

    private static Resp notFound(Side side, boolean pathExists) {
        if (side == Side.COPPER) {
            return CopperApi.notFound();
        }
        if (pathExists) {
            return MailchimpApi.problem(405, "Method Not Allowed", "The requested method and resource are not compatible. "
                    + "See the Allow header for this resource's available methods.");
        }
        return MailchimpApi.problem(404, "Resource Not Found", MailchimpApi.NOT_FOUND_DETAIL);
    }

    private static Resp randomError(Side side, boolean rateLimit) {
        if (side == Side.COPPER) {
            return rateLimit ? CopperApi.error(429, "Rate limit exceeded").header("Retry-After", "1")
                    : CopperApi.error(500, "Internal Server Error");
        }
        return rateLimit ? MailchimpApi.problem(429, "Too Many Requests", "You have exceeded the limit of 10 simultaneous connections.")
                : MailchimpApi.problem(500, "Internal Server Error",
                "A deep, internal error has occurred during the processing of your request. Please contact support.");
    }

    /** Rolling 60 s window per API key. Returns 0 when allowed, else the Retry-After seconds. */
    private long copperRateCheck(String key, int limit) {
        long now = System.nanoTime() / 1_000_000;
        synchronized (copperWindows) {
            ArrayDeque<Long> w = copperWindows.computeIfAbsent(key == null ? "" : key, k -> new ArrayDeque<>());
            while (!w.isEmpty() && w.peekFirst() <= now - 60_000) {
                w.pollFirst();
            }
            if (w.size() >= limit) {
                long waitMs = w.peekFirst() + 60_000 - now;
                return Math.max(1, (waitMs + 999) / 1000);
            }
            w.addLast(now);
            return 0;
        }
    }

    private static void send(HttpExchange ex, Resp r, Side side) throws IOException {
        byte[] bytes = r.raw;
        if (bytes == null && r.json != null) {
            bytes = Http.MAPPER.writeValueAsBytes(r.json);
        }
        var h = ex.getResponseHeaders();
        r.headers.forEach(h::set);
        if (side == Side.MAILCHIMP && !h.containsKey("X-Request-Id")) {
            h.set("X-Request-Id", java.util.UUID.randomUUID().toString());
        }
        if (bytes == null || r.status == 204) {
            ex.sendResponseHeaders(r.status, -1);
        } else {
            h.set("Content-Type", r.contentType);
            ex.sendResponseHeaders(r.status, bytes.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(bytes);
            }
        }
        ex.close();
    }

    // ------------------------------------------------------------------ admin

    private Resp admin(HttpExchange ex, String method, String path) throws IOException {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (method.equals("GET") && p.startsWith(MailchimpBatches.RESULTS_PREFIX)) {
            // the pre-signed results URL of a batch (S3 in real life): no credentials, not counted, never faulted
            return batches.results(p.substring(MailchimpBatches.RESULTS_PREFIX.length()),
                    Http.parseQuery(ex.getRequestURI().getRawQuery()));
        }
        try {
            switch (method + " " + p) {
                case "GET /_sandbox/state" -> {
                    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                    ex.sendResponseHeaders(200, 0); // chunked: streamed record by record
                    try (OutputStream os = new java.io.BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
                        writeState(os);
                    }
                    return null;
                }
                case "PUT /_sandbox/state" -> {
                    try (JsonParser jp = Http.MAPPER.getFactory().createParser(body)) {
                        loadParser(jp);
                    }
                    return Resp.empty(204);
                }
                case "POST /_sandbox/reset" -> {
                    reset();
                    return Resp.empty(204);
                }
                case "POST /_sandbox/save" -> {
                    save();
                    return Resp.empty(204);
                }
                case "GET /_sandbox/calls" -> {
                    ObjectNode o = Http.obj();
                    calls().forEach(o::put);
                    o.put("total", totalCalls());
                    return Resp.ok(o);
                }
                case "GET /_sandbox/responses" -> {
                    ObjectNode o = Http.obj();
                    statuses().forEach((status, n) -> o.put(String.valueOf(status), n));
                    return Resp.ok(o);
                }
                case "DELETE /_sandbox/calls" -> {
                    resetCalls();
                    return Resp.empty(204);
                }
                case "GET /_sandbox/faults" -> {
                    return Resp.ok(faultsJson(faults));
                }
                case "PUT /_sandbox/faults" -> {
                    faults(parseFaults(body.length == 0 ? Http.obj() : Http.MAPPER.readTree(body)));
                    return Resp.ok(faultsJson(faults));
                }
                default -> {
                    return Resp.json(404, Http.obj().put("error", "unknown admin endpoint " + method + " " + p));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return Resp.json(400, Http.obj().put("error", "bad request: " + e.getMessage()));
        }
    }

    static ObjectNode faultsJson(FaultConfig f) {
        ObjectNode o = Http.obj();
        o.put("latencyMs", f.latencyMs());
        o.put("copperRequestsPerMinute", f.copperRequestsPerMinute());
        o.put("mailchimpMaxConcurrent", f.mailchimpMaxConcurrent());
        o.put("errorRatio", f.errorRatio());
        o.put("timeoutRatio", f.timeoutRatio());
        o.put("dropRatio", f.dropRatio());
        o.put("timeoutMs", f.timeoutMs());
        o.put("seed", f.seed());
        o.put("lostAnswerRatio", f.lostAnswerRatio());
        return o;
    }

    /** Parses a FaultConfig from camelCase or snake_case JSON; missing fields take the {@link FaultConfig#none()} values. */
    static FaultConfig parseFaults(JsonNode n) {
        FaultConfig d = FaultConfig.none();
        return new FaultConfig(
                (long) num(n, "latencyMs", d.latencyMs()),
                (int) num(n, "copperRequestsPerMinute", d.copperRequestsPerMinute()),
                (int) num(n, "mailchimpMaxConcurrent", d.mailchimpMaxConcurrent()),
                num(n, "errorRatio", d.errorRatio()),
                num(n, "timeoutRatio", d.timeoutRatio()),
                num(n, "dropRatio", d.dropRatio()),
                (long) num(n, "timeoutMs", d.timeoutMs()),
                (long) num(n, "seed", d.seed()),
                num(n, "lostAnswerRatio", d.lostAnswerRatio()));
    }

    private static double num(JsonNode n, String camel, double dflt) {
        JsonNode v = n.get(camel);
        if (v == null) {
            v = n.get(camel.replaceAll("([A-Z])", "_$1").toLowerCase());
        }
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber() && !(v.isTextual() && v.asText().matches("-?[0-9.]+"))) {
            throw new IllegalArgumentException(camel + " must be a number");
        }
        return v.asDouble();
    }
}

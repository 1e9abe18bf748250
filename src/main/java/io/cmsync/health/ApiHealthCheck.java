package io.cmsync.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.cmsync.config.Secrets;
import io.cmsync.http.ApiException;
import io.cmsync.run.Secretless;

/**
 * {@code copper-api} / {@code mailchimp-api}: one cheap authenticated call (Copper {@code GET account}, Mailchimp
 * {@code GET ping}) with the configured credentials. The answer is kept for {@code cacheTtl} so that scrapes never
 * hammer the API, and a probe that takes longer than {@code timeout} reports DOWN (it goes on in the background and
 * its answer is kept). The message names the side and the HTTP status, never a key. Readiness only.
 */
public final class ApiHealthCheck extends AbstractHealthCheck {
    /** The probe: returns normally when the API answered 2xx, throws otherwise. */
    @FunctionalInterface
    public interface Probe {
        void call() throws Exception;
    }

    /**
     * One account (or audience) to probe, and the sync pairs that use it.
     *
     * @param pairs    the pairs' names, empty for today's single pair (the check's output is then as before pairs)
     * @param what     what is probed besides the account, as the message names it ("audience a1b2c3"), or null
     * @param keyNames the settings a person checks when the credentials are refused
     * @param whatKey  the setting that names {@code what} (checked when the API answers 404), or null
     */
    public record Target(java.util.List<String> pairs, String what, String whatKey, String keyNames, Probe probe,
                         Secrets secrets) {
        public Target {
            pairs = java.util.List.copyOf(pairs);
        }

        /** « (pair en) », « (audience a1b2c3, pairs fr, en) »; empty for today's single pair. */
        String suffix() {
            if (pairs.isEmpty()) {
                return "";
            }
            String named = (pairs.size() == 1 ? "pair " : "pairs ") + String.join(", ", pairs);
            return " (" + (what == null ? "" : what + ", ") + named + ")";
        }
    }

    private record Outcome(HealthCheck.State state, String message, int httpStatus, Instant at,
                           Map<String, HealthCheck.State> byPair) {
        Outcome(HealthCheck.State state, String message, int httpStatus, Instant at) {
            this(state, message, httpStatus, at, Map.of());
        }
    }

    private final String side;
    private final java.util.List<Target> targets;
    private final Supplier<Duration> cacheTtlSetting;
    private final Supplier<Duration> timeoutSetting;
    private volatile Duration cacheTtl;
    private volatile Duration timeout;
    private final Clock clock;
    private final Secrets secrets;
    private final ExecutorService executor;
    private volatile Outcome cached;
    private Future<Outcome> inFlight;

    public ApiHealthCheck(String id, String side, String keyNames, Probe probe, Duration cacheTtl, Duration timeout,
                          Clock clock, Secrets secrets) {
        this(id, side, keyNames, probe, () -> cacheTtl, () -> timeout, clock, secrets);
    }

    /**
     * Several accounts or audiences (several sync pairs): each probed once per cache period, the check DOWN when one
     * is; its message and details name each one's pairs.
     */
    public ApiHealthCheck(String id, String side, java.util.List<Target> targets, Supplier<Duration> cacheTtl,
                          Supplier<Duration> timeout, Clock clock) {
        super(ObservabilitySetup.GROUP, id);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("nothing to probe");
        }
        this.side = side;
        this.targets = java.util.List.copyOf(targets);
        this.cacheTtlSetting = cacheTtl;
        this.timeoutSetting = timeout;
        this.clock = clock;
        this.secrets = targets.get(0).secrets();
        this.executor = executor(id);
    }

    /** Same, with the durations read on the first check (from settings only known once Camel has started). */
    public ApiHealthCheck(String id, String side, String keyNames, Probe probe, Supplier<Duration> cacheTtl,
                          Supplier<Duration> timeout, Clock clock, Secrets secrets) {
        super(ObservabilitySetup.GROUP, id);
        this.side = side;
        this.targets = java.util.List.of(new Target(java.util.List.of(), null, null, keyNames, probe, secrets));
        this.cacheTtlSetting = cacheTtl;
        this.timeoutSetting = timeout;
        this.clock = clock;
        this.secrets = secrets;
        this.executor = executor(id);
    }

    private static ExecutorService executor(String id) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "health-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Outcome o = current();
        builder.state(o.state());
        builder.message(o.message());
        builder.detail("api", side);
        builder.detail("checked.at", o.at().toString());
        builder.detail("cache.seconds", cacheTtl.toSeconds());
        if (o.httpStatus() > 0) {
            builder.detail(HealthCheck.HTTP_RESPONSE_CODE, o.httpStatus());
        }
        if (!o.byPair().isEmpty()) {
            builder.detail("pairs", String.join(", ", o.byPair().keySet()));
            o.byPair().forEach((pair, state) -> builder.detail("pair." + pair, state.name()));
        }
    }

    private Outcome current() {
        if (cacheTtl == null || timeout == null) {
            cacheTtl = cacheTtlSetting.get();
            timeout = timeoutSetting.get();
        }
        Outcome o = cached;
        Instant now = clock.instant();
        if (o != null && Duration.between(o.at(), now).compareTo(cacheTtl) < 0) {
            return o;
        }
        Future<Outcome> f;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = executor.submit(this::probeNow);
            }
            f = inFlight;
        }
        try {
            o = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            cached = o;
            return o;
        } catch (TimeoutException e) {
            return new Outcome(State.DOWN, side + ": no answer within " + timeout.toSeconds() + " s", 0, now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(State.UNKNOWN, side + ": check interrupted", 0, now);
        } catch (ExecutionException e) {
            return new Outcome(State.DOWN, side + ": check failed", 0, now);
        }
    }

    /** Every target in turn: one outcome, DOWN when one is, naming each target's pairs. */
    private Outcome probeNow() {
        if (targets.size() == 1 && targets.get(0).pairs().isEmpty()) {
            Outcome o = probe(targets.get(0));
            cached = o;
            return o;
        }
        Instant at = clock.instant();
        Map<String, HealthCheck.State> byPair = new java.util.LinkedHashMap<>();
        java.util.List<String> down = new java.util.ArrayList<>();
        java.util.List<String> up = new java.util.ArrayList<>();
        int status = 200; // the first problem's, if any
        for (Target target : targets) {
            Outcome o = probe(target);
            String message = o.message() + target.suffix();
            if (o.state() == State.UP) {
                up.add(message);
            } else {
                if (down.isEmpty()) {
                    status = o.httpStatus();
                }
                down.add(message);
            }
            for (String pair : target.pairs()) {
                byPair.put(pair, o.state());
            }
        }
        java.util.List<String> all = new java.util.ArrayList<>(down);
        all.addAll(up); // a problem first: the message is read from its start
        Outcome o = new Outcome(down.isEmpty() ? State.UP : State.DOWN, String.join("; ", all), status, at, byPair);
        cached = o;
        return o;
    }

    private Outcome probe(Target target) {
        Instant at = clock.instant();
        Probe probe = target.probe();
        String keyNames = target.keyNames();
        Secrets secrets = target.secrets();
        try {
            probe.call();
            return new Outcome(State.UP, side + " answered with valid credentials", 200, at);
        } catch (ApiException e) {
            String message;
            if (e.authenticationFailure()) {
                message = side + " refused the credentials (HTTP " + e.status() + "): check " + keyNames;
            } else if (e.status() == 0) {
                message = side + ": " + withoutEndpoint(Secretless.mask(String.valueOf(e.getMessage()), secrets));
            } else if (e.status() == 404 && target.whatKey() != null) {
                // the account answered, but does not know what the pair names (its audience id)
                message = side + " answered HTTP 404 for the " + target.what() + ": check " + target.whatKey();
            } else {
                message = side + " answered HTTP " + e.status();
            }
            return new Outcome(State.DOWN, Secretless.mask(message, secrets), e.status(), at);
        } catch (Exception e) {
            return new Outcome(State.DOWN, side + ": " + e.getClass().getSimpleName(), 0, at);
        }
    }

    /**
     * The cause without the call's "Copper POST people/search: " prefix: the health JSON escapes '/' (« people\\/search »)
     * and the side is named already. A message without that prefix is kept whole, after "no answer".
     */
    private String withoutEndpoint(String detail) {
        int colon = detail.indexOf(": ");
        if (detail.startsWith(side + " ") && colon > 0 && colon + 2 < detail.length()) {
            return detail.substring(colon + 2);
        }
        return "no answer (" + detail + ")";
    }

    /** Stops the probe thread. */
    public void close() {
        executor.shutdownNow();
    }
}

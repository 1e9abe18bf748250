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

    private record Outcome(HealthCheck.State state, String message, int httpStatus, Instant at) {
    }

    private final String side;
    private final String keyNames;
    private final Probe probe;
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

    /** Same, with the durations read on the first check (from settings only known once Camel has started). */
    public ApiHealthCheck(String id, String side, String keyNames, Probe probe, Supplier<Duration> cacheTtl,
                          Supplier<Duration> timeout, Clock clock, Secrets secrets) {
        super(ObservabilitySetup.GROUP, id);
        this.side = side;
        this.keyNames = keyNames;
        this.probe = probe;
        this.cacheTtlSetting = cacheTtl;
        this.timeoutSetting = timeout;
        this.clock = clock;
        this.secrets = secrets;
        this.executor = Executors.newSingleThreadExecutor(r -> {
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

    private Outcome probeNow() {
        Instant at = clock.instant();
        try {
            probe.call();
            Outcome o = new Outcome(State.UP, side + " answered with valid credentials", 200, at);
            cached = o;
            return o;
        } catch (ApiException e) {
            String message;
            if (e.authenticationFailure()) {
                message = side + " refused the credentials (HTTP " + e.status() + "): check " + keyNames;
            } else if (e.status() == 0) {
                message = side + ": " + withoutEndpoint(Secretless.mask(String.valueOf(e.getMessage()), secrets));
            } else {
                message = side + " answered HTTP " + e.status();
            }
            Outcome o = new Outcome(State.DOWN, Secretless.mask(message, secrets), e.status(), at);
            cached = o;
            return o;
        } catch (Exception e) {
            Outcome o = new Outcome(State.DOWN, side + ": " + e.getClass().getSimpleName(), 0, at);
            cached = o;
            return o;
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

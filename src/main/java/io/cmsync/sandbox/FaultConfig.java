package io.cmsync.sandbox;

/**
 * Fault injection settings. JSON form (PUT /_sandbox/faults) uses the same camelCase names; snake_case is accepted.
 *
 * @param latencyMs               added latency per API call (ms)
 * @param copperRequestsPerMinute Copper rolling 60 s limit per API key (0 = off); beyond: 429 + Retry-After
 * @param mailchimpMaxConcurrent  Mailchimp max simultaneous in-flight requests (0 = off); beyond: 429
 * @param errorRatio              probability of a random error (500 or 429, half each)
 * @param timeoutRatio            probability of hanging {@code timeoutMs} then closing without a response
 * @param dropRatio               probability of closing the connection without a response
 * @param timeoutMs               hang duration of a timeout fault (ms)
 * @param seed                    random seed (deterministic fault sequence)
 */
public record FaultConfig(long latencyMs, int copperRequestsPerMinute, int mailchimpMaxConcurrent, double errorRatio,
                          double timeoutRatio, double dropRatio, long timeoutMs, long seed) {
    public static FaultConfig none() {
        return new FaultConfig(0, 0, 0, 0, 0, 0, 30_000, 42);
    }

    boolean randomFaults() {
        return errorRatio > 0 || timeoutRatio > 0 || dropRatio > 0;
    }
}

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
 * @param lostAnswerRatio         probability that a write (any call but GET and searches) is applied and its answer
 *                                lost: a 503 is sent instead, as a proxy in front of the API would
 */
public record FaultConfig(long latencyMs, int copperRequestsPerMinute, int mailchimpMaxConcurrent, double errorRatio,
                          double timeoutRatio, double dropRatio, long timeoutMs, long seed, double lostAnswerRatio) {
    public FaultConfig(long latencyMs, int copperRequestsPerMinute, int mailchimpMaxConcurrent, double errorRatio,
                       double timeoutRatio, double dropRatio, long timeoutMs, long seed) {
        this(latencyMs, copperRequestsPerMinute, mailchimpMaxConcurrent, errorRatio, timeoutRatio, dropRatio, timeoutMs,
                seed, 0);
    }

    public static FaultConfig none() {
        return new FaultConfig(0, 0, 0, 0, 0, 0, 30_000, 42, 0);
    }

    boolean randomFaults() {
        return errorRatio > 0 || timeoutRatio > 0 || dropRatio > 0;
    }
}

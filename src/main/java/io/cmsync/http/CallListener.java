package io.cmsync.http;

/**
 * Told about every attempt {@link RetryingCaller} makes, for metrics. Receives only the side, the endpoint label of
 * {@link ApiRequest#label()} (no ids, no secrets) and the HTTP status; never the request or the response.
 */
public interface CallListener {
    /** Listens to nothing. */
    CallListener NONE = new CallListener() {
        @Override
        public void answered(String side, String endpoint, int status) {
        }

        @Override
        public void noAnswer(String side, String endpoint) {
        }
    };

    /** One attempt got an HTTP answer (any status, 429 included). */
    void answered(String side, String endpoint, int status);

    /** One attempt got no answer (timeout, refused or dropped connection). */
    void noAnswer(String side, String endpoint);

    /**
     * An attempt failed and the call is tried again after {@code waitMillis} (the console tells a person watching).
     *
     * @param status the answer's HTTP status, 0 when none came
     * @param next   the attempt about to be made, of {@code max}
     */
    default void retrying(String side, String endpoint, int status, int next, int max, long waitMillis) {
    }

    /** Tells {@code first}, then {@code second}; a failing listener never stops the other. */
    static CallListener both(CallListener first, CallListener second) {
        return new CallListener() {
            @Override
            public void answered(String side, String endpoint, int status) {
                first.answered(side, endpoint, status);
                second.answered(side, endpoint, status);
            }

            @Override
            public void noAnswer(String side, String endpoint) {
                first.noAnswer(side, endpoint);
                second.noAnswer(side, endpoint);
            }

            @Override
            public void retrying(String side, String endpoint, int status, int next, int max, long waitMillis) {
                first.retrying(side, endpoint, status, next, max, waitMillis);
                second.retrying(side, endpoint, status, next, max, waitMillis);
            }
        };
    }
}

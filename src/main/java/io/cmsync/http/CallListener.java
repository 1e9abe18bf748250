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
}

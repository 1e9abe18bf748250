package io.cmsync.http;

/**
 * A call failed for good (after retries, or a non-retryable answer). The message names the side and endpoint and a
 * short reason from the response; never a header or key.
 */
public class ApiException extends RuntimeException {
    private final String side;
    private final int status;

    public ApiException(String side, int status, String message) {
        super(message);
        this.side = side;
        this.status = status;
    }

    public String side() {
        return side;
    }

    /** HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    public boolean authenticationFailure() {
        return status == 401 || status == 403;
    }
}

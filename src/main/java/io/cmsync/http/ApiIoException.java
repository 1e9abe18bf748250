package io.cmsync.http;

/** The call did not get an HTTP answer (refused, dropped, timed out). Retryable. */
public class ApiIoException extends RuntimeException {
    public ApiIoException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.cmsync.state;

/** The synced state could not be read or written. */
public class StateException extends RuntimeException {
    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}

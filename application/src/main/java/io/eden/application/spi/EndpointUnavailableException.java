package io.eden.application.spi;

/**
 * A database an API call needs could not be reached or failed to answer (a validation while the
 * target is down, say). Not Eden's bug and not the caller's mistake: the call may succeed once
 * the database is back. The message says which side and why, never a password.
 */
public class EndpointUnavailableException extends RuntimeException {

    public EndpointUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

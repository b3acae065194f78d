package io.eden.application.error;

/** A request the application refuses; adapters map each kind to their own answer (HTTP status, exit code). */
public abstract sealed class ApplicationException extends RuntimeException
        permits NotFoundException, ConflictException {

    protected ApplicationException(String message) {
        super(message);
    }
}

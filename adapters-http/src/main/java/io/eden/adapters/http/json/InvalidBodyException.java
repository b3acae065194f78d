package io.eden.adapters.http.json;

/** The body is JSON but not the kind of document the request needs (e.g. an array instead of an object). */
public final class InvalidBodyException extends RuntimeException {

    public InvalidBodyException(String message) {
        super(message);
    }
}

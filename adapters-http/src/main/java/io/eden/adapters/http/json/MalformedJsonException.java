package io.eden.adapters.http.json;

/** The body is not JSON at all; the message says where if the parser could tell, and never quotes the body. */
public final class MalformedJsonException extends RuntimeException {

    public MalformedJsonException(String message) {
        super(message);
    }
}

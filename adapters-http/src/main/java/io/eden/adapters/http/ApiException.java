package io.eden.adapters.http;

/** A refusal decided by the HTTP layer itself (auth, routing, body size), with its status and error code. */
final class ApiException extends RuntimeException {
    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}

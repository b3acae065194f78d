package io.eden.application.error;

/** The request is well formed but the current state does not allow it (id taken, resource in use, address busy). */
public final class ConflictException extends ApplicationException {
    private final String code;

    public ConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}

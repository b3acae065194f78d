package io.eden.domain.error;

import java.util.Objects;

/** A value that can never be valid, named by the field (snake_case path) it came from. */
public final class InvalidValueException extends DomainException {
    private final String field;

    public InvalidValueException(String field, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field is null");
    }

    public String field() {
        return field;
    }

    /** The same problem seen from an enclosing object: {@code write_mode.mode} becomes {@code strategy.write_mode.mode}. */
    public InvalidValueException under(String parent) {
        return new InvalidValueException(parent + "." + field, parent + "." + getMessage());
    }
}

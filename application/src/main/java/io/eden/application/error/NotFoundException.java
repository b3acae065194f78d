package io.eden.application.error;

import java.util.Optional;

/** An id that names nothing; {@code field} is set when the id came from a request body rather than the path. */
public final class NotFoundException extends ApplicationException {
    private final String kind;
    private final String id;
    private final Optional<String> field;

    public NotFoundException(String kind, String id) {
        this(kind, id, Optional.empty());
    }

    public NotFoundException(String kind, String id, Optional<String> field) {
        super(kind + " '" + id + "' does not exist");
        this.kind = kind;
        this.id = id;
        this.field = field;
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }

    public Optional<String> field() {
        return field;
    }
}

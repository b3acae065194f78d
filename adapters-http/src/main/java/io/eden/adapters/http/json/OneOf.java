package io.eden.adapters.http.json;

import java.util.Objects;

/**
 * A response value that takes one of several shapes: {@code failure_handling} is a string or an
 * object, {@code write_mode} is one of two objects. dsl-json compiles records, not unions, so this
 * wrapper carries the chosen shape and {@link OneOfConverter} writes it with that shape's own
 * compiled converter.
 */
public record OneOf(Object value) {
    public OneOf {
        Objects.requireNonNull(value, "value is null");
    }

    public static OneOf text(String text) {
        return new OneOf(text);
    }

    /** A record annotated with {@code @CompiledJson}. */
    public static OneOf document(Record document) {
        return new OneOf(document);
    }
}

package io.eden.domain.routing;

/** One of the two databases of a migration. */
public enum Side {
    SOURCE, TARGET;

    public Side other() {
        return this == SOURCE ? TARGET : SOURCE;
    }
}

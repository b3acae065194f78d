package io.eden.domain.model;

import java.util.Locale;

/** What the last check of an endpoint found. */
public enum Health {
    HEALTHY, UNHEALTHY, UNKNOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

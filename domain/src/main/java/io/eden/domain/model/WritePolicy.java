package io.eden.domain.model;

import io.eden.domain.error.InvalidValueException;
import java.util.Locale;

/** Which side's reply a dual write returns to the client. */
public enum WritePolicy {
    /** The source answers; the target gets the mirror. */
    OLD_AUTHORITATIVE,
    /** The target answers; the source gets the mirror. */
    NEW_AUTHORITATIVE,
    /** The source answers when it can; the write succeeds if either side took it. */
    BEST_EFFORT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WritePolicy fromWireName(String field, String name) {
        for (WritePolicy policy : values()) {
            if (policy.wireName().equals(name)) {
                return policy;
            }
        }
        throw new InvalidValueException(field,
                field + " must be one of old_authoritative, new_authoritative, best_effort");
    }
}

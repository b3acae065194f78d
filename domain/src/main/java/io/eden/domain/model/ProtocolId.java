package io.eden.domain.model;

import io.eden.domain.error.InvalidValueException;
import java.util.regex.Pattern;

/** The stable id of a wire protocol ({@code redis}, {@code postgres}); a plugin may bring others. */
public record ProtocolId(String value) {
    private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    public static final ProtocolId REDIS = new ProtocolId("redis");
    public static final ProtocolId POSTGRES = new ProtocolId("postgres");

    public ProtocolId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new InvalidValueException("protocol", "protocol must be a lower-case name such as 'redis'");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}

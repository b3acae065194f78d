package io.eden.bootstrap;

import io.eden.domain.error.InvalidValueException;
import io.eden.domain.model.ListenAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code --listen} value: {@code HOST:PORT} (Redis, as in the seed) or
 * {@code PROTOCOL://HOST:PORT}. The protocol stays a name here; which plugin serves it is
 * known only once plugins are loaded.
 */
public record ListenSpec(Optional<String> scheme, ListenAddress address) {
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,31}");

    public ListenSpec {
        Objects.requireNonNull(scheme, "scheme is null");
        Objects.requireNonNull(address, "address is null");
    }

    /**
     * @throws IllegalArgumentException with a message for the operator; it never repeats the value
     */
    public static ListenSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("give HOST:PORT or PROTOCOL://HOST:PORT, e.g. 0.0.0.0:6379");
        }
        String value = text.strip();
        Optional<String> scheme = Optional.empty();
        int sep = value.indexOf("://");
        if (sep >= 0) {
            String name = value.substring(0, sep).toLowerCase(Locale.ROOT);
            if (!SCHEME.matcher(name).matches()) {
                throw new IllegalArgumentException("the protocol before :// must be a name such as redis or postgres");
            }
            scheme = Optional.of(name);
            value = value.substring(sep + 3);
        }
        if (value.contains("@") || value.contains("/") || value.contains("?")) {
            // a listener has no user, password, path or options; and the text may hold a password
            throw new IllegalArgumentException("give only PROTOCOL://HOST:PORT, without user, password or path");
        }
        try {
            return new ListenSpec(scheme, ListenAddress.parse(value));
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException(e.getMessage().replace("listen ", "the address "), e);
        }
    }

    @Override
    public String toString() {
        return scheme.map(s -> s + "://").orElse("") + address;
    }
}

package io.eden.domain.model;

import io.eden.domain.error.InvalidValueException;

/** A host and port to accept clients on; port 0 asks the system for a free one. */
public record ListenAddress(String host, int port) {
    public ListenAddress {
        if (host == null || host.isBlank()) {
            throw new InvalidValueException("listen", "listen needs a host, e.g. 0.0.0.0:6379");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidValueException("listen", "listen port must be between 0 and 65535");
        }
    }

    /** Parses {@code HOST:PORT}, {@code [v6]:PORT} or {@code :PORT} (all interfaces). */
    public static ListenAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidValueException("listen", "listen is required, e.g. 0.0.0.0:6379");
        }
        String value = text.strip();
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidValueException("listen", "listen must be HOST:PORT, e.g. 0.0.0.0:6379");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) {
                throw new InvalidValueException("listen", "listen has an empty IPv6 address; use [::]:PORT for all");
            }
        } else if (host.contains(":")) {
            throw new InvalidValueException("listen", "listen needs brackets around an IPv6 address, e.g. [::1]:6379");
        } else if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidValueException("listen", "listen port must be a number, e.g. 0.0.0.0:6379");
        }
        return new ListenAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

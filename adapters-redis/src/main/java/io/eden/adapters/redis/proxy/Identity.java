package io.eden.adapters.redis.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a client is on the upstream: {@link #NONE} before any successful AUTH, else the user
 * (null for the one-argument AUTH) and password the upstream accepted. Lanes are kept per
 * identity, so no client ever runs a command on a connection authenticated as someone else.
 */
record Identity(byte[] user, byte[] password) {
    static final Identity NONE = new Identity(null, null);

    /** The credentials of an endpoint's URI. */
    static Identity of(io.eden.domain.model.EndpointUri uri) {
        return new Identity(uri.user().map(u -> u.getBytes(StandardCharsets.UTF_8)).orElse(null),
                uri.password().map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null));
    }

    boolean authenticates() {
        return password != null;
    }

    /** The AUTH command a new connection for this identity sends first. */
    List<byte[]> authCommand() {
        List<byte[]> words = new ArrayList<>();
        words.add("AUTH".getBytes(StandardCharsets.US_ASCII));
        if (user != null) {
            words.add(user);
        }
        words.add(password);
        return words;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identity other && java.util.Arrays.equals(user, other.user)
                && java.util.Arrays.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(user) + java.util.Arrays.hashCode(password);
    }

    @Override
    public String toString() {
        return password == null ? "Identity[none]" : "Identity[" + (user == null ? "default"
                : new String(user, StandardCharsets.UTF_8)) + "]";
    }
}

package io.eden.domain.routing;

import java.util.Objects;
import java.util.Optional;

/**
 * Where one slot's traffic goes: the side reads are served from, the side whose reply a
 * write returns (authoritative), and the side that gets a mirror of each write, if any.
 * {@code eitherSuffices} is the best-effort policy: a write succeeds if either side took it.
 */
public record RouteDecision(Side read, Side write, Optional<Side> mirror, boolean eitherSuffices) {
    public static final RouteDecision SOURCE_ONLY = new RouteDecision(Side.SOURCE, Side.SOURCE, Optional.empty(), false);
    public static final RouteDecision TARGET_ONLY = new RouteDecision(Side.TARGET, Side.TARGET, Optional.empty(), false);

    public RouteDecision {
        Objects.requireNonNull(read, "read is null");
        Objects.requireNonNull(write, "write is null");
        Objects.requireNonNull(mirror, "mirror is null");
        if (mirror.isPresent() && mirror.get() == write) {
            throw new IllegalArgumentException("a write cannot be mirrored to its own side");
        }
    }

    static RouteDecision writeTo(Side read, Side authoritative, boolean eitherSuffices) {
        return new RouteDecision(read, authoritative, Optional.of(authoritative.other()), eitherSuffices);
    }
}

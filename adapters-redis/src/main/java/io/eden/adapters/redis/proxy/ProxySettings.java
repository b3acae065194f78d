package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Redis proxy treats its peers.
 *
 * @param clientLimits          what a client may send before it is told {@code Protocol error}
 * @param upstreamConnectTimeout how long a client's upstream connection may take to open
 * @param healthTimeout         the connect and read timeout of a health check
 */
public record ProxySettings(RespLimits clientLimits, Duration upstreamConnectTimeout, Duration healthTimeout) {
    public static final ProxySettings DEFAULTS = new ProxySettings(RespLimits.DEFAULTS,
            Duration.ofSeconds(5), Duration.ofSeconds(2));

    public ProxySettings {
        Objects.requireNonNull(clientLimits, "clientLimits is null");
        requirePositive("upstreamConnectTimeout", upstreamConnectTimeout);
        requirePositive("healthTimeout", healthTimeout);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be positive and below 24 days");
        }
    }

    public ProxySettings withClientLimits(RespLimits limits) {
        return new ProxySettings(limits, upstreamConnectTimeout, healthTimeout);
    }
}

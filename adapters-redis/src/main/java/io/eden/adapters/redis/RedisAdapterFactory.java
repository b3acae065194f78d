package io.eden.adapters.redis;

import io.eden.adapters.redis.proxy.UpstreamAddress;
import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.ProtocolAdapterFactory;
import java.util.Set;

/** The Redis protocol plugin, found by {@link java.util.ServiceLoader}. */
public final class RedisAdapterFactory implements ProtocolAdapterFactory {

    @Override
    public String id() {
        return "redis";
    }

    @Override
    public Set<String> uriSchemes() {
        return Set.of("redis", "rediss");
    }

    @Override
    public int defaultPort() {
        return UpstreamAddress.DEFAULT_PORT;
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public ProtocolAdapter create(AdapterContext context) {
        return new RedisProtocolAdapter(context.metrics(), RedisAdapterOptions.parse(context.options()),
                RedisAdapterOptions.parseMovement(context.options()));
    }
}

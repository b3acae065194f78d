package io.eden.adapters.redis;

import io.eden.adapters.redis.proxy.ProxyMetrics;
import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.proxy.RedisHealthCheck;
import io.eden.adapters.redis.proxy.RedisInterlayListener;
import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.RouteView;
import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ProtocolId;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redis protocol adapter, foundation version: every client gets its own upstream
 * connection to the interlay's endpoint and its traffic passes through unchanged (after
 * being checked as RESP). Data movement comes with the lanes and is refused until then.
 */
public final class RedisProtocolAdapter implements ProtocolAdapter {
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final RedisHealthCheck health;
    private final Set<RedisInterlayListener> listeners = ConcurrentHashMap.newKeySet();

    public RedisProtocolAdapter(EdenMetrics metrics, ProxySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.metrics = new ProxyMetrics(Objects.requireNonNull(metrics, "metrics is null"));
        this.health = new RedisHealthCheck(settings.healthTimeout());
    }

    @Override
    public InterlayListener listen(Interlay interlay, RouteView route) throws IOException {
        Objects.requireNonNull(route, "route is null");
        if (!ProtocolId.REDIS.equals(interlay.protocol())) {
            throw new IllegalArgumentException("interlay '" + interlay.id() + "' speaks " + interlay.protocol()
                    + ", not redis");
        }
        if (interlay.tls()) {
            throw new UnsupportedCapabilityException("TLS listeners", "Redis interlays accept plain TCP clients for"
                    + " now; TLS towards clients comes with the Redis proxy work (rediss:// endpoints upstream work"
                    + " already). Create interlay '" + interlay.id() + "' without tls.");
        }
        RedisInterlayListener listener = RedisInterlayListener.start(interlay, route, settings, metrics,
                listeners::remove);
        listeners.add(listener);
        return listener;
    }

    @Override
    public Health checkHealth(Endpoint endpoint) {
        return health.check(endpoint);
    }

    @Override
    public void close() {
        for (RedisInterlayListener listener : List.copyOf(listeners)) {
            listener.close();
        }
    }
}

package io.eden.adapters.redis.support;

import io.eden.adapters.redis.RedisProtocolAdapter;
import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.ProtocolId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import redis.clients.jedis.Jedis;

/** The Redis adapter listening on a free local port for one interlay, as the server would run it. */
public final class EdenUnderTest implements AutoCloseable {
    public static final String INTERLAY = "cache";

    public final RecordingMetrics metrics = new RecordingMetrics();
    public final RedisProtocolAdapter adapter;
    public final InterlayListener listener;

    private EdenUnderTest(ProxySettings settings, Function<Interlay, RouteView> route) {
        adapter = new RedisProtocolAdapter(metrics, settings);
        try {
            listener = adapter.listen(interlay(false), route.apply(interlay(false)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EdenUnderTest proxying(Endpoint endpoint) {
        return proxying(endpoint, ProxySettings.DEFAULTS);
    }

    public static EdenUnderTest proxying(Endpoint endpoint, ProxySettings settings) {
        return new EdenUnderTest(settings, interlay -> FixedRoute.to(interlay, endpoint));
    }

    /** Eden with a route of the test's making, e.g. one with a migration's target and state. */
    public static EdenUnderTest routed(ProxySettings settings, Function<Interlay, RouteView> route) {
        return new EdenUnderTest(settings, route);
    }

    public static EdenUnderTest withoutEndpoint() {
        return new EdenUnderTest(ProxySettings.DEFAULTS, FixedRoute::unbound);
    }

    public static Interlay interlay(boolean tls) {
        return new Interlay(INTERLAY, ProtocolId.REDIS, new ListenAddress("127.0.0.1", 0), tls, Optional.empty(),
                Map.of());
    }

    public int port() {
        return listener.boundAddress().getPort();
    }

    public Jedis jedis() {
        return new Jedis("127.0.0.1", port());
    }

    public long commandsForwarded() {
        return metrics.count("eden_throughput_ops", Map.of("protocol", "redis", "interlay", INTERLAY));
    }

    public long errors(String kind) {
        return metrics.count("eden_errors_total", Map.of("protocol", "redis", "kind", kind));
    }

    @Override
    public void close() {
        adapter.close();
    }
}

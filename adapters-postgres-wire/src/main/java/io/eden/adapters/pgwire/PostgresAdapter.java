package io.eden.adapters.pgwire;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.RouteView;
import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The PostgreSQL adapter: v3 protocol listeners (session or transaction pooling) and health checks. */
final class PostgresAdapter implements ProtocolAdapter {
    private final PostgresHealthProbe probe;
    private final Map<String, String> options;
    private final PgMetrics metrics;
    private final CancelKeys cancelKeys = new CancelKeys();
    private final Set<PgListener> listeners = ConcurrentHashMap.newKeySet();
    private final int loopCount;
    private EventLoops loops;

    PostgresAdapter(PostgresHealthProbe probe, AdapterContext context) {
        this.probe = Objects.requireNonNull(probe, "probe is null");
        this.options = Map.copyOf(context.options());
        this.metrics = new PgMetrics(context.metrics());
        this.loopCount = loopCount(options.get("event_loops"));
    }

    private static int loopCount(String text) {
        if (text == null) {
            return EventLoops.defaultCount();
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("postgres.event_loops must be a positive integer");
    }

    /** The event loops, started with the first transaction-mode interlay. */
    private synchronized EventLoops loops() {
        if (loops == null) {
            loops = new EventLoops(loopCount);
        }
        return loops;
    }

    @Override
    public InterlayListener listen(Interlay interlay, RouteView route) throws IOException {
        PgSettings settings;
        try {
            settings = PgSettings.of(options, interlay.settings(), interlay.tls());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedCapabilityException("this PostgreSQL interlay", e.getMessage());
        }
        PgListener[] holder = new PgListener[1];
        EventLoops transactionLoops = settings.poolMode() == PgSettings.PoolMode.TRANSACTION ? loops() : null;
        PgListener listener = PgListener.start(interlay, route, settings, metrics, cancelKeys, transactionLoops,
                () -> listeners.remove(holder[0]));
        holder[0] = listener;
        listeners.add(listener);
        return listener;
    }

    @Override
    public Health checkHealth(Endpoint endpoint) {
        return probe.check(endpoint.uri().host(), endpoint.uri().portOr(PostgresAdapterFactory.DEFAULT_PORT));
    }

    @Override
    public void close() {
        for (PgListener listener : List.copyOf(listeners)) {
            listener.close();
        }
        synchronized (this) {
            if (loops != null) {
                loops.close();
                loops = null;
            }
        }
    }
}

package io.eden.adapters.redis;

import io.eden.adapters.redis.migration.MovementSettings;
import io.eden.adapters.redis.migration.RedisDataMovement;
import io.eden.adapters.redis.proxy.LaneGate;
import io.eden.adapters.redis.proxy.ProxyMetrics;
import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.proxy.RedisHealthCheck;
import io.eden.adapters.redis.proxy.RedisInterlayListener;
import io.eden.application.spi.DataMovement;
import io.eden.application.spi.DataMovementRequest;
import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.RouteView;
import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ProtocolId;
import io.eden.domain.routing.Side;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redis protocol adapter: clients of an interlay share its lanes (see {@link LaneGate});
 * a migration's data movement copies, checks and repairs through the same lanes, so that its
 * work is ordered against every client write.
 */
public final class RedisProtocolAdapter implements ProtocolAdapter {
    private final EdenMetrics edenMetrics;
    private final ProxySettings settings;
    private final MovementSettings movementSettings;
    private final ProxyMetrics metrics;
    private final RedisHealthCheck health;
    private final Set<RedisInterlayListener> listeners = ConcurrentHashMap.newKeySet();
    private final Map<String, LaneGate> gates = new ConcurrentHashMap<>();
    private final Map<String, RouteView> routes = new ConcurrentHashMap<>();
    private final Map<String, RedisDataMovement> movements = new ConcurrentHashMap<>();

    public RedisProtocolAdapter(EdenMetrics metrics, ProxySettings settings) {
        this(metrics, settings, MovementSettings.DEFAULTS);
    }

    public RedisProtocolAdapter(EdenMetrics metrics, ProxySettings settings, MovementSettings movementSettings) {
        this.edenMetrics = Objects.requireNonNull(metrics, "metrics is null");
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.movementSettings = Objects.requireNonNull(movementSettings, "movementSettings is null");
        this.metrics = new ProxyMetrics(metrics);
        this.health = new RedisHealthCheck(settings.healthTimeout(), settings.upstreamTls());
    }

    @Override
    public InterlayListener listen(Interlay interlay, RouteView route) throws IOException {
        Objects.requireNonNull(route, "route is null");
        if (!ProtocolId.REDIS.equals(interlay.protocol())) {
            throw new IllegalArgumentException("interlay '" + interlay.id() + "' speaks " + interlay.protocol()
                    + ", not redis");
        }
        if (interlay.tls() && settings.clientTls().isEmpty()) {
            throw new UnsupportedCapabilityException("a TLS interlay without a certificate", "interlay '"
                    + interlay.id() + "' asks for TLS; start Eden with --option redis.tls-cert-file=CHAIN.pem"
                    + " --option redis.tls-key-file=KEY.pem, or create it without tls");
        }
        routes.put(interlay.id(), route);
        RedisInterlayListener listener = RedisInterlayListener.start(interlay, route, settings, metrics,
                gate(interlay.id()), listeners::remove);
        listeners.add(listener);
        return listener;
    }

    @Override
    public Health checkHealth(Endpoint endpoint) {
        return health.check(endpoint);
    }

    @Override
    public DataMovement startDataMovement(DataMovementRequest request) {
        if (request.migration().data().type() == DataMode.Type.SNAPSHOT) {
            throw new UnsupportedCapabilityException("data type snapshot", "Redis data moves with data type scan"
                    + " (SCAN + DUMP/RESTORE under the lanes) or none; snapshot (RDB transfer) is not built.");
        }
        String interlayId = request.assignment().interlayId();
        RedisDataMovement movement = RedisDataMovement.start(request, gate(interlayId), settings, movementSettings,
                slot -> {
                    RouteView route = routes.get(interlayId);
                    return route == null ? Side.SOURCE : route.current().decide(slot).write();
                });
        movements.put(interlayId, movement);
        return new DataMovement() {
            @Override
            public io.eden.domain.model.MigrationProgress progress() {
                return movement.progress();
            }

            @Override
            public io.eden.application.spi.ValidationReport validate() {
                return movement.validate();
            }

            @Override
            public void close() {
                movements.remove(interlayId, movement);
                movement.close();
            }
        };
    }

    /** The lanes of an interlay, made on first use and kept: its listener and its data movement share them. */
    private LaneGate gate(String interlayId) {
        return gates.computeIfAbsent(interlayId, id -> {
            LaneGate gate = new LaneGate(id, settings, metrics);
            Map<String, String> labels = Map.of("protocol", "redis", "interlay", id);
            edenMetrics.gauge("eden_replication_lag_ms",
                    "Age of the oldest mirrored write not yet answered by both sides", labels,
                    () -> current(id).map(m -> (double) m.progress().replicationLagMillis()).orElse(0.0));
            edenMetrics.gauge("eden_copy_keys_copied", "Keys the running copy has put on the target", labels,
                    () -> current(id).map(m -> (double) m.progress().keysCopied()).orElse(0.0));
            edenMetrics.gauge("eden_copy_keys_total_estimate", "Keys the running copy expects to copy", labels,
                    () -> current(id).map(m -> (double) m.progress().keysTotalEstimate()).orElse(0.0));
            edenMetrics.gauge("eden_divergent_keys", "Keys known to differ between the sides, waiting for repair",
                    labels, () -> current(id).map(m -> (double) m.progress().divergentKeys()).orElse(0.0));
            return gate;
        });
    }

    private java.util.Optional<RedisDataMovement> current(String interlayId) {
        return java.util.Optional.ofNullable(movements.get(interlayId));
    }

    @Override
    public void close() {
        for (RedisDataMovement movement : List.copyOf(movements.values())) {
            movement.close();
        }
        for (RedisInterlayListener listener : List.copyOf(listeners)) {
            listener.close();
        }
    }
}

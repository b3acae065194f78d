package io.eden.adapters.redis.proxy;

import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.EdenMetrics.Counter;
import io.eden.application.spi.EdenMetrics.Latency;
import java.util.Map;

/**
 * The handles the Redis proxy records into, made once per adapter so the hot path only
 * increments. Per-interlay handles come from {@link #forInterlay}.
 */
public final class ProxyMetrics {
    static final String PROTOCOL = "redis";

    private final EdenMetrics metrics;
    final Counter protocolErrors;
    final Counter upstreamErrors;
    final Counter noEndpointErrors;
    final Counter slowClientErrors;
    final Counter maxClientsErrors;
    final Counter tlsHandshakeErrors;
    final Counter mirrorErrors;
    final Counter mirrorDivergence;
    final Latency requestLatency;

    public ProxyMetrics(EdenMetrics metrics) {
        this.metrics = metrics;
        this.protocolErrors = error(metrics, "protocol");
        this.upstreamErrors = error(metrics, "upstream");
        this.noEndpointErrors = error(metrics, "no_endpoint");
        this.slowClientErrors = error(metrics, "slow_client");
        this.maxClientsErrors = error(metrics, "max_clients");
        this.tlsHandshakeErrors = error(metrics, "tls_handshake");
        this.mirrorErrors = error(metrics, "mirror_error");
        this.mirrorDivergence = error(metrics, "mirror_divergence");
        this.requestLatency = metrics.latency("eden_proxy_latency_ms",
                "Time Eden adds to a request: from the read of a client's messages to the last of them"
                + " queued upstream; one sample per read",
                Map.of("protocol", PROTOCOL));
    }

    private static Counter error(EdenMetrics metrics, String kind) {
        return metrics.counter("eden_errors_total", "Errors by protocol and kind",
                Map.of("protocol", PROTOCOL, "kind", kind));
    }

    /** The command meter of one interlay; its connection gauge reads {@code activeConnections}. */
    Counter forInterlay(String interlayId, java.util.function.IntSupplier activeConnections) {
        Map<String, String> labels = Map.of("protocol", PROTOCOL, "interlay", interlayId);
        metrics.gauge("eden_connections_active", "Client connections open on an interlay", labels,
                activeConnections::getAsInt);
        return metrics.meter("eden_throughput_ops", "Commands forwarded per second", labels);
    }

    /** Upstream connections of one interlay, by side ({@code source}, {@code target}, and {@code pinned} ones). */
    void upstreamConnections(String interlayId, String side, java.util.function.IntSupplier open) {
        metrics.gauge("eden_upstream_connections", "Open upstream connections of an interlay, by side",
                Map.of("protocol", PROTOCOL, "interlay", interlayId, "side", side), open::getAsInt);
    }
}

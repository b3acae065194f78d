package io.eden.adapters.pgwire;

import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.EdenMetrics.Counter;
import io.eden.application.spi.EdenMetrics.Latency;
import java.util.Map;
import java.util.function.IntSupplier;

/** The handles the PostgreSQL proxy records into; the hot path only increments. */
final class PgMetrics {
    static final String PROTOCOL = "postgres";

    private final EdenMetrics metrics;
    final Counter protocolErrors;
    final Counter upstreamErrors;
    final Counter authErrors;
    final Counter noEndpointErrors;
    final Latency requestLatency;
    final Latency poolWait;

    PgMetrics(EdenMetrics metrics) {
        this.metrics = metrics;
        this.protocolErrors = error("protocol");
        this.upstreamErrors = error("upstream");
        this.authErrors = error("auth");
        this.noEndpointErrors = error("no_endpoint");
        Map<String, String> labels = Map.of("protocol", PROTOCOL);
        this.requestLatency = metrics.latency("eden_proxy_latency_ms",
                "Time Eden adds to a request: from the read of a client's messages to the last of them"
                + " queued upstream; one sample per read", labels);
        this.poolWait = metrics.latency("eden_pool_wait_ms",
                "Time a client waited for a pooled server connection", labels);
    }

    private Counter error(String kind) {
        return metrics.counter("eden_errors_total", "Errors by protocol and kind", Map.of("protocol", PROTOCOL, "kind", kind));
    }

    /** The message meter of one interlay, with its client and server connection gauges. */
    Counter forInterlay(String interlayId, IntSupplier clients, IntSupplier serversInUse) {
        Map<String, String> labels = Map.of("protocol", PROTOCOL, "interlay", interlayId);
        metrics.gauge("eden_connections_active", "Client connections open on an interlay", labels, clients::getAsInt);
        metrics.gauge("eden_server_connections_in_use", "Server connections serving a client right now", labels,
                serversInUse::getAsInt);
        return metrics.meter("eden_throughput_ops", "Client messages forwarded per second", labels);
    }
}

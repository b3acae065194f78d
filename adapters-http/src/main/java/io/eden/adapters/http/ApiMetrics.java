package io.eden.adapters.http;

import io.eden.application.spi.EdenMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts API requests by status and times them; statuses come from this code only, so labels stay few. */
final class ApiMetrics {
    private final EdenMetrics metrics;
    private final Map<Integer, EdenMetrics.Counter> byStatus = new ConcurrentHashMap<>();
    private final EdenMetrics.Latency latency;

    ApiMetrics(EdenMetrics metrics) {
        this.metrics = metrics;
        this.latency = metrics.latency("eden_api_request_latency_ms", "Time to answer an API request", Map.of());
    }

    void record(int status, long nanos) {
        byStatus.computeIfAbsent(status, s -> metrics.counter("eden_api_requests_total",
                "API requests answered, by HTTP status", Map.of("status", Integer.toString(s)))).increment();
        latency.recordNanos(nanos);
    }
}

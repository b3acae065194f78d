package io.eden.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.http.ApiFixture.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsAndHealthTest {
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void healthz_follows_readiness() {
        Reply up = api.send("GET", "/healthz", null, null);
        assertEquals(200, up.status());
        assertEquals(Map.of("status", "ok"), up.json());

        api.ready.set(false);
        Reply down = api.send("GET", "/healthz", null, null);
        assertEquals(503, down.status());
        assertEquals("unavailable", down.text("status"));
    }

    @Test
    void metrics_is_valid_prometheus_text_with_labelled_metrics() {
        api.metrics.counter("eden_errors_total", "Connection and protocol errors",
                Map.of("interlay", "redis_interlay", "kind", "quote\"back\\slash")).add(3);
        api.metrics.latency("eden_proxy_latency_ms", "Latency added by the proxy", Map.of("interlay", "redis_interlay"))
                .recordNanos(2_000_000);
        api.metrics.meter("eden_throughput_ops", "Operations per second", Map.of("interlay", "redis_interlay")).add(5);
        api.metrics.gauge("eden_connections_active", "Client connections", Map.of("interlay", "redis_interlay"), () -> 7);
        api.get("/api/v1/endpoints");

        Reply reply = api.send("GET", "/metrics", null, null);

        assertEquals(200, reply.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", reply.header("Content-Type"));
        Map<String, String> types = PrometheusText.validate(reply.body());
        assertEquals("counter", types.get("eden_errors_total"));
        assertEquals("summary", types.get("eden_proxy_latency_ms"));
        assertEquals("gauge", types.get("eden_throughput_ops"));
        assertEquals("counter", types.get("eden_throughput_ops_total"));
        assertEquals("gauge", types.get("eden_connections_active"));
        assertEquals("counter", types.get("eden_api_requests_total"));
        String body = reply.body();
        assertTrue(body.contains("eden_errors_total{interlay=\"redis_interlay\",kind=\"quote\\\"back\\\\slash\",} 3.0"), body);
        assertTrue(body.contains("eden_proxy_latency_ms{interlay=\"redis_interlay\",quantile=\"0.5\",} 2.0"), body);
        assertTrue(body.contains("eden_proxy_latency_ms_count{interlay=\"redis_interlay\",} 1.0"), body);
        assertTrue(body.contains("eden_throughput_ops_total{interlay=\"redis_interlay\",} 5.0"), body);
        assertTrue(body.contains("eden_connections_active{interlay=\"redis_interlay\",} 7.0"), body);
        assertTrue(body.contains("eden_api_requests_total{status=\"200\",}"), body);
        assertTrue(body.contains("# HELP eden_errors_total Connection and protocol errors"), body);
    }
}

package io.eden.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DropwizardEdenMetricsTest {
    private final MetricRegistry registry = new MetricRegistry();
    private final DropwizardEdenMetrics metrics = new DropwizardEdenMetrics(registry);

    private String scrape() throws IOException {
        StringWriter out = new StringWriter();
        metrics.writePrometheusText(out);
        PrometheusText.validate(out.toString());
        return out.toString();
    }

    @Test
    void series_of_one_family_share_its_help_and_type_lines() throws IOException {
        metrics.counter("eden_errors_total", "errors", Map.of("interlay", "a")).increment();
        metrics.counter("eden_errors_total", "errors", Map.of("interlay", "b")).add(2);
        metrics.counter("eden_errors_total", "errors", Map.of("interlay", "a")).increment();

        String text = scrape();

        assertEquals(1, text.split("# TYPE eden_errors_total counter", -1).length - 1, text);
        assertTrue(text.contains("eden_errors_total{interlay=\"a\",} 2.0"), text);
        assertTrue(text.contains("eden_errors_total{interlay=\"b\",} 2.0"), text);
    }

    @Test
    void a_counter_name_without_total_gets_it() throws IOException {
        metrics.counter("eden_mirror_errors", "mirror errors", Map.of()).add(4);

        assertTrue(scrape().contains("\neden_mirror_errors_total 4.0"));
    }

    @Test
    void a_counter_never_goes_down() throws IOException {
        var counter = metrics.counter("eden_x_total", "x", Map.of());
        counter.add(5);
        counter.add(-3);

        assertTrue(scrape().contains("\neden_x_total 5.0"));
    }

    @Test
    void latency_is_a_summary_in_milliseconds() throws IOException {
        var latency = metrics.latency("eden_proxy_latency_ms", "added latency", Map.of());
        for (int i = 0; i < 100; i++) {
            latency.recordNanos(500_000);
        }

        String text = scrape();

        assertTrue(text.contains("# TYPE eden_proxy_latency_ms summary"), text);
        assertTrue(text.contains("eden_proxy_latency_ms{quantile=\"0.5\",} 0.5"), text);
        assertTrue(text.contains("eden_proxy_latency_ms{quantile=\"0.99\",} 0.5"), text);
        assertTrue(text.contains("eden_proxy_latency_ms_count 100.0"), text);
    }

    @Test
    void a_gauge_registered_again_replaces_its_supplier_and_a_failing_one_reads_nan() throws IOException {
        metrics.gauge("eden_replication_lag_ms", "lag", Map.of("migration", "m"), () -> 1);
        metrics.gauge("eden_replication_lag_ms", "lag", Map.of("migration", "m"), () -> 2);
        metrics.gauge("eden_broken", "broken", Map.of(), () -> {
            throw new IllegalStateException("gone");
        });

        String text = scrape();

        assertTrue(text.contains("eden_replication_lag_ms{migration=\"m\",} 2.0"), text);
        assertTrue(text.contains("eden_broken NaN"), text);
    }

    @Test
    void a_meter_is_a_rate_gauge_and_a_total() throws IOException {
        metrics.meter("eden_throughput_ops", "ops", Map.of()).add(10);

        String text = scrape();

        assertTrue(text.contains("# TYPE eden_throughput_ops gauge"), text);
        assertTrue(text.contains("# TYPE eden_throughput_ops_total counter"), text);
        assertTrue(text.contains("eden_throughput_ops_total 10.0"), text);
    }

    @Test
    void the_same_name_and_labels_give_the_same_dropwizard_metric() {
        metrics.counter("eden_a_total", "a", Map.of("x", "1", "y", "2"));
        metrics.counter("eden_a_total", "a", Map.of("y", "2", "x", "1"));

        assertEquals(1, registry.getCounters().size());
        assertSame(registry.getCounters().values().iterator().next(),
                registry.getCounters().get("eden_a_total{x=\"1\",y=\"2\"}"));
    }

    @Test
    void conflicting_or_invalid_registrations_are_refused() {
        metrics.counter("eden_c_total", "c", Map.of("x", "1"));
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("eden_c_total", "c", Map.of("x", "1"), () -> 1));
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("eden_c_total", "c", Map.of("y", "1")));
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("bad-name", "c", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> metrics.counter("eden_d_total", "c", Map.of("__x", "1")));
        assertThrows(IllegalArgumentException.class, () -> metrics.latency("eden_l", "l", Map.of("quantile", "1")));
    }

    @Test
    void metrics_put_into_the_registry_directly_are_exported_too() throws IOException {
        registry.counter("some.library.counter").inc();

        assertTrue(scrape().contains("some_library_counter 1.0"));
    }
}

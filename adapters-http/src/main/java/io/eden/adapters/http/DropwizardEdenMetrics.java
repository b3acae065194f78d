package io.eden.adapters.http;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import io.eden.application.spi.EdenMetrics;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * {@link EdenMetrics} over a Dropwizard {@link MetricRegistry}, exported as Prometheus text through
 * the Dropwizard bridge. Prometheus names and labels survive the flat Dropwizard names through
 * {@link MetricCatalog}. What each kind becomes:
 * <ul>
 *   <li>counter: a Prometheus counter; {@code _total} is appended when the name lacks it, as the
 *       text format requires of counters;</li>
 *   <li>meter {@code x}: gauge {@code x} with the one-minute rate per second, and counter {@code x_total};</li>
 *   <li>latency {@code x}: summary {@code x} in milliseconds with quantiles 0.5 to 0.999 and {@code x_count};</li>
 *   <li>gauge: a gauge; registering one again replaces its supplier.</li>
 * </ul>
 * Registering the same name and labels again returns the same series.
 */
public final class DropwizardEdenMetrics implements EdenMetrics {
    /** The content type of {@link #writePrometheusText}: text format 0.0.4. */
    public static final String PROMETHEUS_CONTENT_TYPE = TextFormat.CONTENT_TYPE_004;

    private final MetricRegistry registry;
    private final MetricCatalog catalog = new MetricCatalog();
    private final CollectorRegistry prometheus = new CollectorRegistry();

    public DropwizardEdenMetrics() {
        this(new MetricRegistry());
    }

    public DropwizardEdenMetrics(MetricRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry is null");
        new CatalogCollector(new DropwizardExports(registry, new CatalogSampleBuilder(catalog)), catalog)
                .register(prometheus);
    }

    public MetricRegistry registry() {
        return registry;
    }

    /** Writes every metric of the registry in Prometheus text format 0.0.4. */
    public void writePrometheusText(Writer out) throws IOException {
        TextFormat.write004(out, prometheus.metricFamilySamples());
    }

    @Override
    public Counter counter(String name, String help, Map<String, String> labels) {
        String family = name != null && name.endsWith("_total") ? name : name + "_total";
        com.codahale.metrics.Counter counter =
                registry.counter(catalog.register(MetricCatalog.Kind.COUNTER, family, family, help, labels));
        return new Counter() {
            @Override
            public void increment() {
                counter.inc();
            }

            @Override
            public void add(long amount) {
                // A counter never goes down; a negative amount is a caller's bug, not worth an exception on the hot path.
                if (amount > 0) {
                    counter.inc(amount);
                }
            }
        };
    }

    @Override
    public Counter meter(String name, String help, Map<String, String> labels) {
        Meter meter = registry.meter(catalog.register(MetricCatalog.Kind.METER_COUNT, name + "_total", name,
                help, labels));
        registry.gauge(catalog.register(MetricCatalog.Kind.METER_RATE, name, name, help, labels),
                () -> meter::getOneMinuteRate);
        return new Counter() {
            @Override
            public void increment() {
                meter.mark();
            }

            @Override
            public void add(long amount) {
                if (amount > 0) {
                    meter.mark(amount);
                }
            }
        };
    }

    @Override
    public Latency latency(String name, String help, Map<String, String> labels) {
        // Lock-free: latencies are recorded on the proxy's hot path by many threads at once.
        Histogram histogram = registry.histogram(catalog.register(MetricCatalog.Kind.LATENCY, name, name, help, labels),
                () -> new Histogram(LockFreeExponentiallyDecayingReservoir.builder().build()));
        return nanos -> {
            if (nanos >= 0) {
                histogram.update(nanos);
            }
        };
    }

    @Override
    public synchronized void gauge(String name, String help, Map<String, String> labels, DoubleSupplier value) {
        Objects.requireNonNull(value, "value is null");
        String key = catalog.register(MetricCatalog.Kind.GAUGE, name, name, help, labels);
        registry.remove(key);
        // A supplier that throws would fail the whole scrape; NaN marks just this series as unknown.
        registry.register(key, (Gauge<Double>) () -> {
            try {
                return value.getAsDouble();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        });
    }
}

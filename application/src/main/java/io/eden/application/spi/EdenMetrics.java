package io.eden.application.spi;

import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The metrics a plugin records, without naming a metrics library. Names follow Prometheus
 * conventions ({@code eden_errors_total}); labels are fixed per handle, so the hot path only
 * calls {@link Counter#increment()} or {@link Latency#recordNanos(long)}.
 */
public interface EdenMetrics {

    Counter counter(String name, String help, Map<String, String> labels);

    /** Counts events and is exported as a per-second rate. */
    Counter meter(String name, String help, Map<String, String> labels);

    /** A latency histogram, exported in milliseconds. */
    Latency latency(String name, String help, Map<String, String> labels);

    void gauge(String name, String help, Map<String, String> labels, DoubleSupplier value);

    interface Counter {
        void increment();

        void add(long amount);
    }

    interface Latency {
        void recordNanos(long nanos);
    }

    /** Records nothing: for tools and tests that do not export metrics. */
    EdenMetrics NONE = new EdenMetrics() {
        private static final Counter NO_COUNTER = new Counter() {
            @Override
            public void increment() {
            }

            @Override
            public void add(long amount) {
            }
        };

        @Override
        public Counter counter(String name, String help, Map<String, String> labels) {
            return NO_COUNTER;
        }

        @Override
        public Counter meter(String name, String help, Map<String, String> labels) {
            return NO_COUNTER;
        }

        @Override
        public Latency latency(String name, String help, Map<String, String> labels) {
            return nanos -> {
            };
        }

        @Override
        public void gauge(String name, String help, Map<String, String> labels, DoubleSupplier value) {
        }
    };
}

package io.eden.adapters.redis.support;

import io.eden.application.spi.EdenMetrics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/** Eden's own metrics port, keeping values in memory so tests can read what the adapter recorded. */
public final class RecordingMetrics implements EdenMetrics {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();

    /** The count of a counter or meter, or the number of samples of a latency. */
    public long count(String name, Map<String, String> labels) {
        LongAdder adder = counts.get(key(name, labels));
        return adder == null ? 0 : adder.sum();
    }

    public double gauge(String name, Map<String, String> labels) {
        DoubleSupplier gauge = gauges.get(key(name, labels));
        if (gauge == null) {
            throw new AssertionError("no gauge " + key(name, labels) + " in " + gauges.keySet());
        }
        return gauge.getAsDouble();
    }

    @Override
    public Counter counter(String name, String help, Map<String, String> labels) {
        return adderCounter(name, labels);
    }

    @Override
    public Counter meter(String name, String help, Map<String, String> labels) {
        return adderCounter(name, labels);
    }

    @Override
    public Latency latency(String name, String help, Map<String, String> labels) {
        LongAdder samples = counts.computeIfAbsent(key(name, labels), k -> new LongAdder());
        return nanos -> {
            if (nanos < 0) {
                throw new AssertionError("negative latency " + nanos);
            }
            samples.increment();
        };
    }

    @Override
    public void gauge(String name, String help, Map<String, String> labels, DoubleSupplier value) {
        gauges.put(key(name, labels), value);
    }

    private Counter adderCounter(String name, Map<String, String> labels) {
        LongAdder adder = counts.computeIfAbsent(key(name, labels), k -> new LongAdder());
        return new Counter() {
            @Override
            public void increment() {
                adder.increment();
            }

            @Override
            public void add(long amount) {
                adder.add(amount);
            }
        };
    }

    private static String key(String name, Map<String, String> labels) {
        return name + new TreeMap<>(labels);
    }
}

package io.eden.adapters.http;

import io.prometheus.client.Collector;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What {@link DropwizardEdenMetrics} registered. Dropwizard names are flat strings, so each series
 * is stored under a name that encodes its labels ({@code eden_errors_total{interlay="a"}}); this
 * catalog keeps the parts, so that the export can give Prometheus back the real name, labels,
 * type and help without parsing strings.
 */
final class MetricCatalog {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** How a family was registered; decides its Prometheus type and whether values need scaling. */
    enum Kind {
        COUNTER(Collector.Type.COUNTER), METER_COUNT(Collector.Type.COUNTER), METER_RATE(Collector.Type.GAUGE),
        LATENCY(Collector.Type.SUMMARY), GAUGE(Collector.Type.GAUGE);

        final Collector.Type type;

        Kind(Collector.Type type) {
            this.type = type;
        }
    }

    record Family(String name, Kind kind, String help, List<String> labelNames) {
    }

    /** One labelled series; {@code sampleBase} is the name the bridge's suffixes are appended to. */
    record Series(String sampleBase, List<String> labelNames, List<String> labelValues) {
    }

    private final Map<String, Family> families = new ConcurrentHashMap<>();
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    /**
     * Registers one series of a family and returns its Dropwizard name. The same family must always
     * come with the same kind and label names: Prometheus rejects a family that mixes them.
     */
    synchronized String register(Kind kind, String family, String sampleBase, String help, Map<String, String> labels) {
        if (family == null || !METRIC_NAME.matcher(family).matches()) {
            throw new IllegalArgumentException("'" + family + "' is not a valid Prometheus metric name");
        }
        TreeMap<String, String> sorted = new TreeMap<>(labels == null ? Map.of() : labels);
        sorted.forEach((name, value) -> checkLabel(kind, family, name, value));
        List<String> names = List.copyOf(sorted.keySet());
        Family known = families.computeIfAbsent(family, f -> new Family(f, kind, help == null ? "" : help, names));
        if (known.kind() != kind || !known.labelNames().equals(names)) {
            throw new IllegalArgumentException("metric " + family + " is already registered as " + known.kind()
                    + " with labels " + known.labelNames() + "; cannot add it as " + kind + " with labels " + names);
        }
        String key = dropwizardName(family, sorted);
        series.putIfAbsent(key, new Series(sampleBase, names, List.copyOf(sorted.values())));
        return key;
    }

    Optional<Family> family(String name) {
        return Optional.ofNullable(families.get(name));
    }

    Optional<Series> series(String dropwizardName) {
        return Optional.ofNullable(series.get(dropwizardName));
    }

    private static void checkLabel(Kind kind, String family, String name, String value) {
        if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid label name (metric " + family + ")");
        }
        if (kind == Kind.LATENCY && name.equals("quantile")) {
            throw new IllegalArgumentException("label 'quantile' is reserved for the quantiles of " + family);
        }
        Objects.requireNonNull(value, () -> "label " + name + " of " + family + " has no value");
    }

    /** The Prometheus text form, escaped, so that two label sets can never encode to the same name. */
    private static String dropwizardName(String family, TreeMap<String, String> labels) {
        if (labels.isEmpty()) {
            return family;
        }
        StringBuilder name = new StringBuilder(family).append('{');
        labels.forEach((k, v) -> name.append(k).append("=\"").append(v.replace("\\", "\\\\")
                .replace("\"", "\\\"").replace("\n", "\\n")).append("\","));
        name.setLength(name.length() - 1);
        return name.append('}').toString();
    }
}

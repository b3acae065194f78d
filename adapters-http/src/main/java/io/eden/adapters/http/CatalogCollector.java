package io.eden.adapters.http;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.DropwizardExports;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Dropwizard bridge, regrouped by the catalog. The bridge exports a Dropwizard counter as a
 * gauge, writes generated help texts, and groups by a family name from which the client library
 * strips {@code _total}, which merges a meter's {@code x_total} into its rate gauge {@code x}.
 * Here every sample goes to the family it was registered in, with that family's type and help,
 * and latencies (recorded in nanoseconds) are scaled to milliseconds.
 */
final class CatalogCollector extends Collector {
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final DropwizardExports bridge;
    private final MetricCatalog catalog;

    CatalogCollector(DropwizardExports bridge, MetricCatalog catalog) {
        this.bridge = bridge;
        this.catalog = catalog;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        Map<MetricCatalog.Family, List<MetricFamilySamples.Sample>> known = new LinkedHashMap<>();
        List<MetricFamilySamples> result = new ArrayList<>();
        for (MetricFamilySamples family : bridge.collect()) {
            List<MetricFamilySamples.Sample> foreign = new ArrayList<>();
            for (MetricFamilySamples.Sample sample : family.samples) {
                // A summary's x_count is not a family of its own: it belongs to the bridge family x.
                Optional<MetricCatalog.Family> registered = catalog.family(sample.name).or(() -> catalog.family(family.name));
                if (registered.isPresent()) {
                    known.computeIfAbsent(registered.get(), f -> new ArrayList<>()).add(
                            registered.get().kind() == MetricCatalog.Kind.LATENCY ? inMillis(sample) : sample);
                } else {
                    foreign.add(sample);
                }
            }
            if (!foreign.isEmpty()) {
                result.add(new MetricFamilySamples(family.name, family.type, family.help, foreign));
            }
        }
        known.forEach((family, samples) ->
                result.add(new MetricFamilySamples(family.name(), family.kind().type, family.help(), samples)));
        // The bridge groups through a HashMap; a stable order makes scrapes comparable.
        result.sort(Comparator.comparing(family -> family.name));
        return result;
    }

    private static MetricFamilySamples.Sample inMillis(MetricFamilySamples.Sample sample) {
        return sample.labelNames.contains("quantile")
                ? new MetricFamilySamples.Sample(sample.name, sample.labelNames, sample.labelValues,
                sample.value / NANOS_PER_MILLI)
                : sample;
    }
}

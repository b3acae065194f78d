package io.eden.adapters.http;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the encoded Dropwizard name back into a Prometheus name and labels. Metrics that others put
 * into the registry directly (not through {@link DropwizardEdenMetrics}) keep the bridge's default form.
 */
final class CatalogSampleBuilder implements SampleBuilder {
    private final MetricCatalog catalog;
    private final SampleBuilder fallback = new DefaultSampleBuilder();

    CatalogSampleBuilder(MetricCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix,
                                                             List<String> additionalLabelNames,
                                                             List<String> additionalLabelValues, double value) {
        return catalog.series(dropwizardName).map(series -> {
            List<String> names = new ArrayList<>(series.labelNames());
            names.addAll(additionalLabelNames);
            List<String> values = new ArrayList<>(series.labelValues());
            values.addAll(additionalLabelValues);
            String suffix = nameSuffix == null ? "" : nameSuffix;
            return new Collector.MetricFamilySamples.Sample(series.sampleBase() + suffix, names, values, value);
        }).orElseGet(() -> fallback.createSample(dropwizardName, nameSuffix, additionalLabelNames,
                additionalLabelValues, value));
    }
}

package io.eden.adapters.http;

import io.eden.adapters.http.json.Documents.HealthDoc;
import io.eden.adapters.http.json.JsonCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} and {@code /metrics}, open without a token so that load balancers and Prometheus
 * need no secret. Served at the root, where scrapers look, and under the API base, where the API lists them.
 */
final class OpsResource {
    private final JsonCodec json;
    private final DropwizardEdenMetrics metrics;
    private final BooleanSupplier ready;

    OpsResource(JsonCodec json, DropwizardEdenMetrics metrics, BooleanSupplier ready) {
        this.json = json;
        this.metrics = metrics;
        this.ready = ready;
    }

    void register(Router router, String base) {
        for (String prefix : new String[] {"", base}) {
            router.addOpen("GET", prefix + "/healthz", request -> health())
                    .addOpen("GET", prefix + "/metrics", request -> scrape());
        }
    }

    private Response health() {
        boolean up = ready.getAsBoolean();
        return Response.json(up ? 200 : 503, json.write(new HealthDoc(up ? "ok" : "unavailable")));
    }

    private Response scrape() {
        StringWriter text = new StringWriter();
        try {
            metrics.writePrometheusText(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Response(200, DropwizardEdenMetrics.PROMETHEUS_CONTENT_TYPE,
                text.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }
}

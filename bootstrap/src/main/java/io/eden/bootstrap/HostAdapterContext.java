package io.eden.bootstrap;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.EdenMetrics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/** What this server hands every protocol adapter. */
record HostAdapterContext(EdenMetrics metrics, Path dataDir, Map<String, String> options) implements AdapterContext {
    HostAdapterContext {
        Objects.requireNonNull(metrics, "metrics is null");
        Objects.requireNonNull(dataDir, "dataDir is null");
        options = Map.copyOf(options);
    }
}

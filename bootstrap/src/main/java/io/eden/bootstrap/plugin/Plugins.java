package io.eden.bootstrap.plugin;

import io.eden.application.spi.ProtocolAdapterFactory;
import java.io.IOException;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol factories this server found, each with where it came from, and the class
 * loaders of the plugin folder, which stay open as long as the factories are in use.
 */
public final class Plugins implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

    /** One factory and its origin: {@code class path} or the plugin's jar or folder. */
    public record Found(ProtocolAdapterFactory factory, String origin) {
        public Found {
            Objects.requireNonNull(factory, "factory is null");
            Objects.requireNonNull(origin, "origin is null");
        }
    }

    private final List<Found> found;
    private final List<URLClassLoader> loaders;

    Plugins(List<Found> found, List<URLClassLoader> loaders) {
        this.found = List.copyOf(found);
        this.loaders = List.copyOf(loaders);
    }

    public List<Found> found() {
        return found;
    }

    public List<ProtocolAdapterFactory> factories() {
        return found.stream().map(Found::factory).toList();
    }

    @Override
    public void close() {
        for (URLClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.warn("Could not close plugin class loader {}: {}", loader.getName(), e.toString());
            }
        }
    }
}

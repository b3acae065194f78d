package io.eden.bootstrap;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.ProtocolAdapterFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code --option PROTOCOL.NAME=VALUE} values, split by protocol: each adapter sees only its
 * own, without the prefix ({@code --option redis.max-bulk-length=64mb} gives the Redis adapter
 * {@code max-bulk-length=64mb}). The registry hands every factory one context, so each factory is
 * wrapped to create its adapter with a context of its own options.
 */
final class ProtocolOptions {
    private ProtocolOptions() {
    }

    static List<ProtocolAdapterFactory> scope(List<ProtocolAdapterFactory> factories, Map<String, String> options,
                                              EdenMetrics metrics, Path dataDir) {
        Set<String> ids = new TreeSet<>();
        factories.forEach(f -> ids.add(f.id()));
        for (String key : options.keySet()) {
            int dot = key.indexOf('.');
            if (dot <= 0 || dot == key.length() - 1 || !ids.contains(key.substring(0, dot))) {
                throw StartupException.usage("--option " + key + ": give PROTOCOL.NAME=VALUE with PROTOCOL one of "
                        + String.join(", ", ids));
            }
        }
        return factories.stream()
                .<ProtocolAdapterFactory>map(f -> new Scoped(f, new HostAdapterContext(metrics, dataDir,
                        optionsOf(f.id(), options))))
                .toList();
    }

    private static Map<String, String> optionsOf(String protocol, Map<String, String> options) {
        Map<String, String> own = new LinkedHashMap<>();
        String prefix = protocol + ".";
        options.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                own.put(key.substring(prefix.length()), value);
            }
        });
        return own;
    }

    /** A factory that creates its adapter with its own context, whatever context the registry passes. */
    private record Scoped(ProtocolAdapterFactory factory, AdapterContext context) implements ProtocolAdapterFactory {
        @Override
        public String id() {
            return factory.id();
        }

        @Override
        public Set<String> uriSchemes() {
            return factory.uriSchemes();
        }

        @Override
        public int defaultPort() {
            return factory.defaultPort();
        }

        @Override
        public int spiVersion() {
            return factory.spiVersion();
        }

        @Override
        public ProtocolAdapter create(AdapterContext ignored) {
            return factory.create(context);
        }
    }
}

package io.eden.application.service;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.ProtocolAdapterFactory;
import io.eden.domain.error.InvalidValueException;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.ProtocolId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The protocol plugins this server found, by id and by URI scheme. An adapter is created on
 * first use, once. A plugin built against another SPI version, or claiming an id or scheme
 * another plugin has, is refused at start rather than failing later in the middle of traffic.
 */
public final class ProtocolRegistry implements AutoCloseable {
    private final Map<String, ProtocolAdapterFactory> byId = new LinkedHashMap<>();
    private final Map<String, ProtocolAdapterFactory> byScheme = new LinkedHashMap<>();
    private final Map<String, ProtocolAdapter> adapters = new ConcurrentHashMap<>();
    private final AdapterContext context;

    public ProtocolRegistry(List<ProtocolAdapterFactory> factories, AdapterContext context) {
        this.context = Objects.requireNonNull(context, "context is null");
        for (ProtocolAdapterFactory factory : factories) {
            if (factory.spiVersion() != ProtocolAdapterFactory.SPI_VERSION) {
                throw new IllegalStateException("protocol plugin '" + factory.id() + "' was built for SPI version "
                        + factory.spiVersion() + " but this server speaks version " + ProtocolAdapterFactory.SPI_VERSION);
            }
            if (byId.putIfAbsent(factory.id(), factory) != null) {
                throw new IllegalStateException("two protocol plugins claim the id '" + factory.id() + "'");
            }
            for (String scheme : factory.uriSchemes()) {
                ProtocolAdapterFactory other = byScheme.putIfAbsent(scheme.toLowerCase(Locale.ROOT), factory);
                if (other != null) {
                    throw new IllegalStateException("protocol plugins '" + other.id() + "' and '" + factory.id()
                            + "' both claim the URI scheme '" + scheme + "'");
                }
            }
        }
    }

    /** The protocol an endpoint URI belongs to, or a 400-worthy error naming the schemes that exist. */
    public ProtocolId protocolOf(EndpointUri uri) {
        ProtocolAdapterFactory factory = byScheme.get(uri.scheme());
        if (factory == null) {
            throw new InvalidValueException("uri", "uri scheme '" + uri.scheme()
                    + "' is not served by any protocol plugin; known schemes: " + String.join(", ", schemes()));
        }
        return new ProtocolId(factory.id());
    }

    public boolean knows(ProtocolId protocol) {
        return byId.containsKey(protocol.value());
    }

    public ProtocolAdapter adapter(ProtocolId protocol) {
        ProtocolAdapterFactory factory = factory(protocol);
        return adapters.computeIfAbsent(protocol.value(), id -> factory.create(context));
    }

    private java.util.SortedSet<String> schemes() {
        return new TreeSet<>(byScheme.keySet());
    }

    public java.util.Set<String> protocolIds() {
        return java.util.Collections.unmodifiableSet(byId.keySet());
    }

    private ProtocolAdapterFactory factory(ProtocolId protocol) {
        ProtocolAdapterFactory factory = byId.get(protocol.value());
        if (factory == null) {
            throw new InvalidValueException("protocol", "protocol '" + protocol + "' has no plugin here; known: "
                    + String.join(", ", byId.keySet()));
        }
        return factory;
    }

    @Override
    public void close() {
        adapters.values().forEach(ProtocolAdapter::close);
        adapters.clear();
    }
}

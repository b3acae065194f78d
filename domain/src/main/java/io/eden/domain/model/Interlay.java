package io.eden.domain.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A named listener whose clients Eden routes to an endpoint. It may exist before its
 * endpoint does ({@code eden-server --listen} declares one), then binds to the first
 * endpoint of its protocol.
 */
public record Interlay(String id, ProtocolId protocol, ListenAddress listen, boolean tls,
                       Optional<String> endpointId, Map<String, String> settings) {
    public Interlay {
        Check.id("id", id);
        Objects.requireNonNull(protocol, "protocol is null");
        Objects.requireNonNull(listen, "listen is null");
        Objects.requireNonNull(endpointId, "endpointId is null");
        settings = Map.copyOf(settings);
    }

    public Interlay boundTo(String endpoint) {
        return new Interlay(id, protocol, listen, tls, Optional.of(Check.id("endpoint", endpoint)), settings);
    }

    public boolean isBound() {
        return endpointId.isPresent();
    }
}

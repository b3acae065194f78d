package io.eden.domain.model;

import java.util.Objects;

/** A database Eden can reach; its protocol follows the URI's scheme. */
public record Endpoint(String id, EndpointUri uri, ProtocolId protocol) {
    public Endpoint {
        Check.id("id", id);
        Objects.requireNonNull(uri, "uri is null");
        Objects.requireNonNull(protocol, "protocol is null");
    }
}

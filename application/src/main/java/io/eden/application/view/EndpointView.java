package io.eden.application.view;

import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;

/** An endpoint as shown to people: the URI redacted, with its health. */
public record EndpointView(String id, String protocol, String uri, Health health) {
    public static EndpointView of(Endpoint endpoint, Health health) {
        return new EndpointView(endpoint.id(), endpoint.protocol().value(), endpoint.uri().redacted(), health);
    }
}

package io.eden.application.usecase;

import io.eden.application.error.ConflictException;
import io.eden.application.port.out.EndpointRepository;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.service.InterlayRoutes;
import io.eden.application.service.ProtocolRegistry;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.EndpointView;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.Interlay;

/**
 * Registers a database. An interlay of the same protocol that has no endpoint yet (one
 * declared by {@code --listen}) binds to it, which is how the seed's walkthrough gets
 * {@code redis_interlay} routed without ever creating it.
 */
public final class CreateEndpoint {
    public record Command(String id, String uri) {
    }

    private final EndpointRepository endpoints;
    private final InterlayRepository interlays;
    private final ProtocolRegistry protocols;
    private final InterlayRoutes routes;
    private final ViewAssembler views;

    public CreateEndpoint(EndpointRepository endpoints, InterlayRepository interlays, ProtocolRegistry protocols,
                          InterlayRoutes routes, ViewAssembler views) {
        this.endpoints = endpoints;
        this.interlays = interlays;
        this.protocols = protocols;
        this.routes = routes;
        this.views = views;
    }

    public synchronized EndpointView execute(Command command) {
        EndpointUri uri = EndpointUri.parse(command.uri());
        Endpoint endpoint = new Endpoint(command.id(), uri, protocols.protocolOf(uri));
        if (!endpoints.insert(endpoint)) {
            throw new ConflictException("already_exists", "endpoint '" + endpoint.id() + "' already exists");
        }
        for (Interlay interlay : interlays.findAll()) {
            if (!interlay.isBound() && interlay.protocol().equals(endpoint.protocol())) {
                interlays.update(interlay.boundTo(endpoint.id()));
                routes.refresh(interlay.id());
            }
        }
        return views.endpoint(endpoint);
    }
}

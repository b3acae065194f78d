package io.eden.application.usecase;

import io.eden.application.error.ConflictException;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.service.InterlayRoutes;
import io.eden.application.service.ListenerSupervisor;
import io.eden.application.service.Lookup;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.InterlayView;
import io.eden.domain.model.Check;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import java.util.Map;
import java.util.Optional;

/** Creates a listener that routes to an endpoint; its protocol is the endpoint's. */
public final class CreateInterlay {
    public record Command(String id, String endpoint, String listen, boolean tls, Map<String, String> settings) {
    }

    private final Lookup lookup;
    private final InterlayRepository interlays;
    private final ListenerSupervisor listeners;
    private final InterlayRoutes routes;
    private final ViewAssembler views;

    public CreateInterlay(Lookup lookup, InterlayRepository interlays, ListenerSupervisor listeners,
                          InterlayRoutes routes, ViewAssembler views) {
        this.lookup = lookup;
        this.interlays = interlays;
        this.listeners = listeners;
        this.routes = routes;
        this.views = views;
    }

    public synchronized InterlayView execute(Command command) {
        Check.id("id", command.id());
        Endpoint endpoint = lookup.endpoint(Check.id("endpoint", command.endpoint()), "endpoint");
        Interlay interlay = new Interlay(command.id(), endpoint.protocol(), ListenAddress.parse(command.listen()),
                command.tls(), Optional.of(endpoint.id()), command.settings() == null ? Map.of() : command.settings());
        if (interlays.find(interlay.id()).isPresent()) {
            throw new ConflictException("already_exists", "interlay '" + interlay.id() + "' already exists");
        }
        // Bind first: an interlay that cannot listen is not worth storing.
        listeners.start(interlay);
        try {
            if (!interlays.insert(interlay)) {
                throw new ConflictException("already_exists", "interlay '" + interlay.id() + "' already exists");
            }
        } catch (RuntimeException e) {
            listeners.stop(interlay.id());
            throw e;
        }
        routes.refresh(interlay.id());
        return views.interlay(interlay);
    }
}

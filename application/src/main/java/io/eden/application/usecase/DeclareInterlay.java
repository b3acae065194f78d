package io.eden.application.usecase;

import io.eden.application.port.out.EndpointRepository;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.service.ProtocolRegistry;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.ProtocolId;
import java.util.Map;
import java.util.Optional;

/**
 * An interlay named on the command line ({@code --listen}). The command line owns its address:
 * a stored interlay of that name keeps its endpoint but takes the new address. A new one
 * binds to the first endpoint of its protocol, if there is one already.
 */
public final class DeclareInterlay {
    public record Command(String id, ProtocolId protocol, ListenAddress listen) {
    }

    private final InterlayRepository interlays;
    private final EndpointRepository endpoints;
    private final ProtocolRegistry protocols;

    public DeclareInterlay(InterlayRepository interlays, EndpointRepository endpoints, ProtocolRegistry protocols) {
        this.interlays = interlays;
        this.endpoints = endpoints;
        this.protocols = protocols;
    }

    public synchronized Interlay execute(Command command) {
        if (!protocols.knows(command.protocol())) {
            throw new io.eden.domain.error.InvalidValueException("listen", "no protocol plugin serves '"
                    + command.protocol() + "'; known: " + String.join(", ", protocols.protocolIds()));
        }
        Optional<Interlay> stored = interlays.find(command.id());
        if (stored.isPresent()) {
            Interlay old = stored.get();
            if (!old.protocol().equals(command.protocol())) {
                throw new io.eden.domain.error.InvalidValueException("listen", "interlay '" + command.id()
                        + "' already exists for protocol " + old.protocol() + ", not " + command.protocol());
            }
            Interlay moved = new Interlay(old.id(), old.protocol(), command.listen(), old.tls(), old.endpointId(),
                    old.settings());
            interlays.update(moved);
            return moved;
        }
        Optional<String> first = endpoints.findAll().stream()
                .filter(e -> e.protocol().equals(command.protocol())).map(Endpoint::id).findFirst();
        Interlay created = new Interlay(command.id(), command.protocol(), command.listen(), false, first, Map.of());
        interlays.insert(created);
        return created;
    }
}

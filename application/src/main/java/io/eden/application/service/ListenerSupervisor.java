package io.eden.application.service;

import io.eden.application.error.ConflictException;
import io.eden.application.spi.InterlayListener;
import io.eden.domain.model.Interlay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Starts and stops the listener of each interlay through its protocol's adapter. */
public final class ListenerSupervisor implements AutoCloseable {
    private final ProtocolRegistry protocols;
    private final InterlayRoutes routes;
    private final Map<String, InterlayListener> running = new ConcurrentHashMap<>();

    public ListenerSupervisor(ProtocolRegistry protocols, InterlayRoutes routes) {
        this.protocols = protocols;
        this.routes = routes;
    }

    /**
     * Binds the interlay's address.
     *
     * @throws ConflictException when the address cannot be bound (in use, not local)
     */
    public InterlayListener start(Interlay interlay) {
        if (running.containsKey(interlay.id())) {
            throw new ConflictException("already_listening", "interlay '" + interlay.id() + "' is already listening");
        }
        try {
            InterlayListener listener = protocols.adapter(interlay.protocol()).listen(interlay, routes.view(interlay));
            running.put(interlay.id(), listener);
            return listener;
        } catch (IOException e) {
            throw new ConflictException("listen_failed",
                    "cannot listen on " + interlay.listen() + " for interlay '" + interlay.id() + "': " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new ConflictException("listen_failed", "cannot listen on " + interlay.listen()
                    + " for interlay '" + interlay.id() + "': " + e.getCause().getMessage());
        }
    }

    public Optional<InterlayListener> listener(String interlayId) {
        return Optional.ofNullable(running.get(interlayId));
    }

    public void stop(String interlayId) {
        InterlayListener listener = running.remove(interlayId);
        if (listener != null) {
            listener.close();
        }
    }

    @Override
    public void close() {
        running.keySet().forEach(this::stop);
    }
}

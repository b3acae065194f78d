package io.eden.application.usecase;

import io.eden.application.port.out.InterlayRepository;
import io.eden.application.service.ListenerSupervisor;
import io.eden.domain.model.Interlay;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the listener of every stored interlay, as at server start after a restart. Returns
 * the ones that could not start with why, so the caller decides whether that is fatal.
 */
public final class StartInterlayListeners {
    public record Failure(Interlay interlay, RuntimeException cause) {
    }

    private final InterlayRepository interlays;
    private final ListenerSupervisor listeners;

    public StartInterlayListeners(InterlayRepository interlays, ListenerSupervisor listeners) {
        this.interlays = interlays;
        this.listeners = listeners;
    }

    public List<Failure> execute() {
        List<Failure> failures = new ArrayList<>();
        for (Interlay interlay : interlays.findAll()) {
            if (listeners.listener(interlay.id()).isPresent()) {
                continue;
            }
            try {
                listeners.start(interlay);
            } catch (RuntimeException e) {
                failures.add(new Failure(interlay, e));
            }
        }
        return failures;
    }
}

package io.eden.application.usecase;

import io.eden.application.error.ConflictException;
import io.eden.application.port.out.EndpointRepository;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.port.out.MigrationRepository;
import io.eden.application.service.EndpointHealthChecker;
import io.eden.application.service.Lookup;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;

/** Forgets an endpoint that nothing routes to and no unfinished migration names. */
public final class DeleteEndpoint {
    private final Lookup lookup;
    private final EndpointRepository endpoints;
    private final InterlayRepository interlays;
    private final MigrationRepository migrations;
    private final EndpointHealthChecker health;

    public DeleteEndpoint(Lookup lookup, EndpointRepository endpoints, InterlayRepository interlays,
                          MigrationRepository migrations, EndpointHealthChecker health) {
        this.lookup = lookup;
        this.endpoints = endpoints;
        this.interlays = interlays;
        this.migrations = migrations;
        this.health = health;
    }

    public synchronized void execute(String id) {
        lookup.endpoint(id);
        for (Interlay interlay : interlays.findAll()) {
            if (interlay.endpointId().filter(id::equals).isPresent()) {
                throw new ConflictException("in_use", "endpoint '" + id + "' is used by interlay '" + interlay.id() + "'");
            }
        }
        for (Migration migration : migrations.findAll()) {
            if (migration.phase() == Phase.COMPLETED) {
                continue; // its source is retired and its target is now the interlay's endpoint
            }
            for (InterlayAssignment a : migration.interlays().values()) {
                if (a.sourceEndpointId().equals(id) || a.targetEndpointId().equals(id)) {
                    throw new ConflictException("in_use",
                            "endpoint '" + id + "' is used by migration '" + migration.id() + "'");
                }
            }
        }
        endpoints.delete(id);
        health.forget(id);
    }
}

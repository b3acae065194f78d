package io.eden.application.service;

import io.eden.application.error.NotFoundException;
import io.eden.application.port.out.EndpointRepository;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.port.out.MigrationRepository;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.Migration;
import java.util.Optional;

/** Finds stored objects by id or fails with the not-found error the API turns into 404. */
public final class Lookup {
    private final EndpointRepository endpoints;
    private final InterlayRepository interlays;
    private final MigrationRepository migrations;

    public Lookup(EndpointRepository endpoints, InterlayRepository interlays, MigrationRepository migrations) {
        this.endpoints = endpoints;
        this.interlays = interlays;
        this.migrations = migrations;
    }

    public Endpoint endpoint(String id) {
        return endpoints.find(id).orElseThrow(() -> new NotFoundException("endpoint", id));
    }

    /** An endpoint named in a request body: the error names the field it came from. */
    public Endpoint endpoint(String id, String field) {
        return endpoints.find(id).orElseThrow(() -> new NotFoundException("endpoint", id, Optional.of(field)));
    }

    public Interlay interlay(String id) {
        return interlays.find(id).orElseThrow(() -> new NotFoundException("interlay", id));
    }

    public Migration migration(String id) {
        return migrations.find(id).orElseThrow(() -> new NotFoundException("migration", id));
    }
}

package io.eden.application.usecase;

import io.eden.application.error.ConflictException;
import io.eden.application.service.InterlayRoutes;
import io.eden.application.service.Lookup;
import io.eden.application.service.MigrationChanges;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.MigrationView;
import io.eden.domain.error.InvalidValueException;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import java.time.Clock;

/**
 * Takes an interlay into a migration: the interlay's current endpoint becomes the source,
 * the given endpoint the target. The migration becomes {@code ready}.
 */
public final class AttachInterlay {
    private final Lookup lookup;
    private final InterlayRoutes routes;
    private final MigrationChanges changes;
    private final ViewAssembler views;
    private final Clock clock;

    public AttachInterlay(Lookup lookup, InterlayRoutes routes, MigrationChanges changes, ViewAssembler views,
                          Clock clock) {
        this.lookup = lookup;
        this.routes = routes;
        this.changes = changes;
        this.views = views;
        this.clock = clock;
    }

    public synchronized MigrationView execute(String migrationId, String interlayId, String endpointId) {
        lookup.migration(migrationId);
        Interlay interlay = lookup.interlay(interlayId);
        Endpoint target = lookup.endpoint(io.eden.domain.model.Check.id("endpoint", endpointId), "endpoint");
        String source = interlay.endpointId().orElseThrow(() -> new ConflictException("interlay_unbound",
                "interlay '" + interlayId + "' has no endpoint yet, so there is nothing to migrate from"));
        if (!target.protocol().equals(interlay.protocol())) {
            throw new InvalidValueException("endpoint", "endpoint '" + target.id() + "' speaks " + target.protocol()
                    + " but interlay '" + interlayId + "' speaks " + interlay.protocol());
        }
        routes.holder(interlayId).filter(m -> !m.id().equals(migrationId)).ifPresent(other -> {
            throw new ConflictException("in_use",
                    "interlay '" + interlayId + "' is already part of migration '" + other.id() + "'");
        });
        Migration migration = changes.apply(migrationId,
                m -> m.attach(new InterlayAssignment(interlayId, source, target.id()), clock.instant()));
        return views.migration(migration);
    }
}

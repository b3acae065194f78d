package io.eden.application.service;

import io.eden.application.port.out.MigrationRepository;
import io.eden.application.spi.InterlayListener;
import io.eden.application.view.EndpointView;
import io.eden.application.view.InterlayView;
import io.eden.application.view.MigrationStatus;
import io.eden.application.view.MigrationView;
import io.eden.application.view.RoutingSummary;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import io.eden.domain.model.MigrationProgress;
import io.eden.domain.model.Phase;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** Builds the views the API shows from stored state and what runs in this process. */
public final class ViewAssembler {
    private static final EnumSet<Phase> CUTOVER_CANDIDATES = EnumSet.of(Phase.REPLICATING, Phase.VALIDATING);

    private final Lookup lookup;
    private final MigrationRepository migrations;
    private final InterlayRoutes routes;
    private final ListenerSupervisor listeners;
    private final MigrationRuntime runtime;
    private final EndpointHealthChecker health;

    public ViewAssembler(Lookup lookup, MigrationRepository migrations, InterlayRoutes routes,
                         ListenerSupervisor listeners, MigrationRuntime runtime, EndpointHealthChecker health) {
        this.lookup = lookup;
        this.migrations = migrations;
        this.routes = routes;
        this.listeners = listeners;
        this.runtime = runtime;
        this.health = health;
    }

    public EndpointView endpoint(Endpoint endpoint) {
        return EndpointView.of(endpoint, health.check(endpoint));
    }

    public InterlayView interlay(Interlay interlay) {
        Optional<InterlayListener> listener = listeners.listener(interlay.id());
        return new InterlayView(interlay.id(), interlay.protocol().value(), interlay.listen().toString(),
                listener.map(l -> l.boundAddress().getHostString() + ":" + l.boundAddress().getPort()),
                interlay.tls(), interlay.endpointId(), routes.holder(interlay.id()).map(Migration::id),
                listener.map(InterlayListener::activeConnections).orElse(0), interlay.settings());
    }

    public MigrationView migration(Migration migration) {
        List<RoutingSummary> routing = migration.interlays().values().stream()
                .map(a -> RoutingSummary.of(a.interlayId(), a.sourceEndpointId(), a.targetEndpointId(),
                        routes.view(lookup.interlay(a.interlayId())).current()))
                .toList();
        return new MigrationView(migration, routing, runtime.progress(migration.id()),
                migrations.history(migration.id()));
    }

    /**
     * Under steady writes some mirror is always in flight: lag below this counts as caught up,
     * a stalled side (seconds) does not.
     */
    static final long READY_LAG_MILLIS = 1000;

    public MigrationStatus status(Migration migration) {
        Health source = worst(migration, true);
        Health target = worst(migration, false);
        MigrationProgress progress = runtime.progress(migration.id());
        var validation = runtime.lastValidation(migration.id());
        boolean ready = CUTOVER_CANDIDATES.contains(migration.phase())
                && progress.copyComplete()
                && progress.divergentKeys() == 0 // nothing waits for repair
                && progress.replicationLagMillis() < READY_LAG_MILLIS
                && validation.map(v -> v.clean()).orElse(false)
                && source == Health.HEALTHY && target == Health.HEALTHY;
        return new MigrationStatus(migration.phase(), migration.phaseReason(), progress.replicationLagMillis(),
                source, target, ready, progress, validation);
    }

    /** One side's health over all interlays: healthy only if every endpoint on that side is. */
    private Health worst(Migration migration, boolean sourceSide) {
        if (migration.interlays().isEmpty()) {
            return Health.UNKNOWN;
        }
        Health result = Health.HEALTHY;
        for (InterlayAssignment a : migration.interlays().values()) {
            String id = sourceSide ? a.sourceEndpointId() : a.targetEndpointId();
            Health h = health.check(lookup.endpoint(id));
            if (h != Health.HEALTHY) {
                result = h;
            }
        }
        return result;
    }
}

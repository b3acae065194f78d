package io.eden.application.service;

import io.eden.application.port.out.EndpointRepository;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.port.out.MigrationRepository;
import io.eden.application.spi.RouteSnapshot;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import io.eden.domain.routing.RoutingState;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The live route of every interlay, rebuilt from the store whenever a use case changes what
 * it depends on. Adapters read a snapshot per decision; they never touch the store.
 */
public final class InterlayRoutes {
    /** Phases in which a migration still holds its interlays; others leave them to their endpoint. */
    private static final Set<Phase> HOLDING = EnumSet.of(Phase.PENDING, Phase.READY, Phase.REPLICATING,
            Phase.VALIDATING, Phase.CUTTING_OVER, Phase.CUT_OVER, Phase.ROLLING_BACK);

    private final InterlayRepository interlays;
    private final EndpointRepository endpoints;
    private final MigrationRepository migrations;
    private final MigrationRuntime runtime;
    private final Map<String, LiveRoute> routes = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    public InterlayRoutes(InterlayRepository interlays, EndpointRepository endpoints,
                          MigrationRepository migrations, MigrationRuntime runtime) {
        this.interlays = interlays;
        this.endpoints = endpoints;
        this.migrations = migrations;
        this.runtime = runtime;
    }

    /** The migration that holds an interlay now, if any. */
    public Optional<Migration> holder(String interlayId) {
        return migrations.findAll().stream()
                .filter(m -> HOLDING.contains(m.phase()) && m.interlays().containsKey(interlayId))
                .findFirst();
    }

    public RouteView view(Interlay interlay) {
        return routes.computeIfAbsent(interlay.id(), id -> new LiveRoute(snapshotOf(interlay)));
    }

    /** Rebuilds one interlay's route from the store and tells its subscribers. */
    public synchronized void refresh(String interlayId) {
        interlays.find(interlayId).ifPresent(interlay -> {
            RouteSnapshot next = snapshotOf(interlay);
            LiveRoute route = routes.computeIfAbsent(interlayId, id -> new LiveRoute(next));
            route.publish(next);
        });
    }

    public void refreshAll(List<String> interlayIds) {
        interlayIds.forEach(this::refresh);
    }

    private RouteSnapshot snapshotOf(Interlay interlay) {
        long version = versions.incrementAndGet();
        Optional<Migration> holder = holder(interlay.id());
        if (holder.isPresent() && holder.get().phase().isActive()) {
            Migration migration = holder.get();
            InterlayAssignment assignment = migration.interlays().get(interlay.id());
            RoutingState state = RoutingState.of(migration, runtime.copyComplete(migration.id(), interlay.id()));
            return new RouteSnapshot(interlay, endpoints.find(assignment.sourceEndpointId()),
                    endpoints.find(assignment.targetEndpointId()), Optional.of(migration.id()), Optional.of(state),
                    version);
        }
        return new RouteSnapshot(interlay, interlay.endpointId().flatMap(endpoints::find), Optional.empty(),
                holder.map(Migration::id), Optional.empty(), version);
    }

    private static final class LiveRoute implements RouteView {
        private final AtomicReference<RouteSnapshot> current;
        private final List<Consumer<RouteSnapshot>> listeners = new CopyOnWriteArrayList<>();

        LiveRoute(RouteSnapshot first) {
            current = new AtomicReference<>(first);
        }

        void publish(RouteSnapshot next) {
            current.set(next);
            listeners.forEach(listener -> listener.accept(next));
        }

        @Override
        public RouteSnapshot current() {
            return current.get();
        }

        @Override
        public AutoCloseable subscribe(Consumer<RouteSnapshot> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }
    }
}

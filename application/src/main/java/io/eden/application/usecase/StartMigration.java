package io.eden.application.usecase;

import io.eden.application.port.out.CheckpointRepository;
import io.eden.application.service.InterlayRoutes;
import io.eden.application.service.Lookup;
import io.eden.application.service.MigrationChanges;
import io.eden.application.service.MigrationRuntime;
import io.eden.application.service.ProtocolRegistry;
import io.eden.application.service.ViewAssembler;
import io.eden.application.spi.DataMovement;
import io.eden.application.spi.DataMovementRequest;
import io.eden.application.view.MigrationView;
import io.eden.domain.model.IllegalPhaseChangeException;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts data movement for every interlay of a migration, then moves it to {@code replicating}.
 * If any interlay's movement cannot start, the ones already started are stopped and the
 * migration stays where it was.
 */
public final class StartMigration {
    private final Lookup lookup;
    private final ProtocolRegistry protocols;
    private final MigrationRuntime runtime;
    private final CheckpointRepository checkpoints;
    private final MigrationChanges changes;
    private final InterlayRoutes routes;
    private final RollbackMigration rollback;
    private final ViewAssembler views;
    private final Clock clock;

    public StartMigration(Lookup lookup, ProtocolRegistry protocols, MigrationRuntime runtime,
                          CheckpointRepository checkpoints, MigrationChanges changes, InterlayRoutes routes,
                          RollbackMigration rollback, ViewAssembler views, Clock clock) {
        this.lookup = lookup;
        this.protocols = protocols;
        this.runtime = runtime;
        this.checkpoints = checkpoints;
        this.changes = changes;
        this.routes = routes;
        this.rollback = rollback;
        this.views = views;
        this.clock = clock;
    }

    public synchronized MigrationView execute(String migrationId) {
        Migration migration = lookup.migration(migrationId);
        // Ask the phase machine first, so an illegal start is a 409 before anything is touched.
        migration.moveTo(Phase.REPLICATING, "", clock.instant());
        List<Map.Entry<String, DataMovement>> started = new ArrayList<>();
        List<DeferredEvents> events = new ArrayList<>();
        try {
            for (InterlayAssignment assignment : migration.interlays().values()) {
                var source = lookup.endpoint(assignment.sourceEndpointId());
                var target = lookup.endpoint(assignment.targetEndpointId());
                DeferredEvents early = new DeferredEvents(eventsOf(migrationId, assignment.interlayId()));
                events.add(early);
                DataMovement movement = protocols.adapter(source.protocol()).startDataMovement(
                        new DataMovementRequest(migration, assignment, source, target,
                                checkpointsOf(migrationId, assignment.interlayId()), early));
                started.add(Map.entry(assignment.interlayId(), movement));
            }
        } catch (RuntimeException e) {
            started.forEach(s -> s.getValue().close());
            throw e;
        }
        started.forEach(s -> runtime.started(migrationId, s.getKey(), s.getValue()));
        Migration moved = changes.apply(migrationId,
                m -> m.moveTo(Phase.REPLICATING, "data movement started", clock.instant()));
        events.forEach(DeferredEvents::release);
        return views.migration(lookup.migration(moved.id()));
    }

    /**
     * Holds what an adapter reports while its movement is still starting: acting on a failure then
     * would roll back a migration that the start is about to move to replicating anyway, and a
     * completed copy could not be routed before the movement is registered.
     */
    private static final class DeferredEvents implements DataMovementRequest.MovementEvents {
        private final DataMovementRequest.MovementEvents target;
        private String heldFailure;
        private boolean heldCompletion;
        private boolean released;

        DeferredEvents(DataMovementRequest.MovementEvents target) {
            this.target = target;
        }

        @Override
        public void failed(String reason) {
            synchronized (this) {
                if (!released) {
                    heldFailure = heldFailure == null ? reason : heldFailure;
                    return;
                }
            }
            target.failed(reason);
        }

        @Override
        public void copyCompleted() {
            synchronized (this) {
                if (!released) {
                    heldCompletion = true;
                    return;
                }
            }
            target.copyCompleted();
        }

        void release() {
            String failure;
            boolean completion;
            synchronized (this) {
                released = true;
                failure = heldFailure;
                completion = heldCompletion;
            }
            if (completion) {
                target.copyCompleted();
            }
            if (failure != null) {
                target.failed(failure);
            }
        }
    }

    private DataMovementRequest.Checkpoints checkpointsOf(String migrationId, String interlayId) {
        return new DataMovementRequest.Checkpoints() {
            @Override
            public java.util.Optional<String> load(String key) {
                return checkpoints.load(migrationId, interlayId, key);
            }

            @Override
            public void save(String key, String value) {
                checkpoints.save(migrationId, interlayId, key, value);
            }
        };
    }

    private DataMovementRequest.MovementEvents eventsOf(String migrationId, String interlayId) {
        return new DataMovementRequest.MovementEvents() {
            @Override
            public void failed(String reason) {
                onFailure(migrationId, reason);
            }

            @Override
            public void copyCompleted() {
                routes.refresh(interlayId);
            }
        };
    }

    /** A mirror or copy failure the adapter could not absorb: the migration's failure handling decides. */
    private void onFailure(String migrationId, String reason) {
        Migration migration = lookup.migration(migrationId);
        if (migration.failureHandling() instanceof FailureHandling.AllowPartial) {
            return;
        }
        try {
            rollback.execute(migrationId, "failure_handling " + migration.failureHandling().wireName() + ": " + reason);
        } catch (IllegalPhaseChangeException e) {
            // Already rolling back or rolled back (an earlier failure, an operator) or completed:
            // nothing left to decide, and the adapter reporting a late failure must not get an exception.
        }
    }
}

package io.eden.application.usecase;

import io.eden.application.port.out.CheckpointRepository;
import io.eden.application.service.InterlayRoutes;
import io.eden.application.service.Lookup;
import io.eden.application.service.MigrationRuntime;
import io.eden.application.service.ProtocolRegistry;
import io.eden.application.spi.DataMovement;
import io.eden.application.spi.DataMovementRequest;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.IllegalPhaseChangeException;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the data movement of every interlay of a migration and registers it, all or nothing:
 * if one cannot start, those already started are stopped. What the adapters report meanwhile
 * is held until the caller has stored the phase that goes with a running movement.
 */
public final class MovementStarter {
    private final Lookup lookup;
    private final ProtocolRegistry protocols;
    private final MigrationRuntime runtime;
    private final CheckpointRepository checkpoints;
    private final InterlayRoutes routes;
    private final RollbackMigration rollback;

    public MovementStarter(Lookup lookup, ProtocolRegistry protocols, MigrationRuntime runtime,
                    CheckpointRepository checkpoints, InterlayRoutes routes, RollbackMigration rollback) {
        this.lookup = lookup;
        this.protocols = protocols;
        this.runtime = runtime;
        this.checkpoints = checkpoints;
        this.routes = routes;
        this.rollback = rollback;
    }

    /** Movements running and registered; call {@link Started#release()} once the phase is stored. */
    public interface Started {
        void release();
    }

    /**
     * Starts the movements from scratch (POST /migrate): checkpoints and the last validation of an
     * earlier run, before a rollback, describe a target that has missed writes since.
     */
    Started startAfresh(Migration migration) {
        checkpoints.clear(migration.id());
        runtime.forgetValidation(migration.id());
        return start(migration);
    }

    /** Starts the movements where their checkpoints say they were (a restart resumes). */
    Started start(Migration migration) {
        List<Map.Entry<String, DataMovement>> started = new ArrayList<>();
        List<DeferredEvents> events = new ArrayList<>();
        try {
            for (InterlayAssignment assignment : migration.interlays().values()) {
                var source = lookup.endpoint(assignment.sourceEndpointId());
                var target = lookup.endpoint(assignment.targetEndpointId());
                DeferredEvents early = new DeferredEvents(eventsOf(migration.id(), assignment.interlayId()));
                events.add(early);
                DataMovement movement = protocols.adapter(source.protocol()).startDataMovement(
                        new DataMovementRequest(migration, assignment, source, target,
                                checkpointsOf(migration.id(), assignment.interlayId()), early));
                started.add(Map.entry(assignment.interlayId(), movement));
            }
        } catch (RuntimeException e) {
            started.forEach(s -> s.getValue().close());
            throw e;
        }
        started.forEach(s -> runtime.started(migration.id(), s.getKey(), s.getValue()));
        return () -> events.forEach(DeferredEvents::release);
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
}

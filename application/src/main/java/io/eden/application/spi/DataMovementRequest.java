package io.eden.application.spi;

import io.eden.domain.model.Endpoint;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import java.util.Objects;

/** What an adapter needs to move one interlay's data; checkpoints let a restart resume. */
public record DataMovementRequest(Migration migration, InterlayAssignment assignment, Endpoint source,
                                  Endpoint target, Checkpoints checkpoints, MovementEvents events) {
    public DataMovementRequest {
        Objects.requireNonNull(migration, "migration is null");
        Objects.requireNonNull(assignment, "assignment is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(target, "target is null");
        Objects.requireNonNull(checkpoints, "checkpoints is null");
        Objects.requireNonNull(events, "events is null");
    }

    /** Durable key/value state of one data movement (a SCAN cursor, counters, an LSN). */
    public interface Checkpoints {
        java.util.Optional<String> load(String key);

        void save(String key, String value);
    }

    /** What an adapter tells the host while data moves; calls may come from any thread. */
    public interface MovementEvents {
        /** A mirror or copy failure the adapter could not absorb: the migration's failure handling decides. */
        void failed(String reason);

        /**
         * Every key that existed when the copy began is on the target: canary reads may now go there.
         * Routes read {@link DataMovement#progress()} again when this is called.
         */
        void copyCompleted();
    }
}

package io.eden.application.spi;

import io.eden.domain.model.Endpoint;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import java.util.Objects;

/** What an adapter needs to move one interlay's data; checkpoints let a restart resume. */
public record DataMovementRequest(Migration migration, InterlayAssignment assignment, Endpoint source,
                                  Endpoint target, Checkpoints checkpoints, FailureSink failures) {
    public DataMovementRequest {
        Objects.requireNonNull(migration, "migration is null");
        Objects.requireNonNull(assignment, "assignment is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(target, "target is null");
        Objects.requireNonNull(checkpoints, "checkpoints is null");
        Objects.requireNonNull(failures, "failures is null");
    }

    /** Durable key/value state of one data movement (a SCAN cursor, counters, an LSN). */
    public interface Checkpoints {
        java.util.Optional<String> load(String key);

        void save(String key, String value);
    }

    /** Where an adapter reports a failure that the migration's failure handling must decide on. */
    public interface FailureSink {
        void failed(String reason);
    }
}

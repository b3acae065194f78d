package io.eden.application.port.out;

import io.eden.domain.model.Migration;
import io.eden.domain.model.PhaseChange;
import java.util.List;
import java.util.Optional;

/** Stores migrations; every phase change is appended to the audit log in the same transaction. */
public interface MigrationRepository {

    /** Inserts a new migration; returns false, storing nothing, if the id is taken. */
    boolean insert(Migration migration);

    /**
     * Replaces a stored migration and appends its phase changes to the audit log, atomically.
     * Optimistic: fails with {@link ConcurrentUpdateException} when the stored migration's
     * {@code updatedAt} is no longer {@code expectedUpdatedAt} (someone else changed it).
     */
    void update(Migration migration, java.time.Instant expectedUpdatedAt, List<PhaseChange> phaseChanges);

    Optional<Migration> find(String id);

    /** All migrations, in the order they were created. */
    List<Migration> findAll();

    /** The audit log of one migration, oldest first. */
    List<PhaseChange> history(String migrationId);
}

package io.eden.adapters.persistence;

import io.eden.application.port.out.CheckpointRepository;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Checkpoints in table {@code checkpoints}. The upsert is "update, else insert, else (someone
 * inserted meanwhile) update": H2 has no {@code INSERT ... ON CONFLICT DO UPDATE}, and one code
 * path for both databases is worth a second statement. Each statement commits on its own, so a
 * lost insert race does not abort anything on PostgreSQL; the last writer wins.
 */
final class JdbiCheckpointRepository implements CheckpointRepository {
    private final Jdbi jdbi;

    JdbiCheckpointRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi is null");
    }

    @Override
    public Optional<String> load(String migrationId, String interlayId, String key) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT checkpoint_value FROM checkpoints "
                        + "WHERE migration_id = :migration AND interlay_id = :interlay AND checkpoint_key = :key")
                .bind("migration", migrationId)
                .bind("interlay", interlayId)
                .bind("key", key)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public void save(String migrationId, String interlayId, String key, String value) {
        Objects.requireNonNull(migrationId, "migrationId is null");
        Objects.requireNonNull(interlayId, "interlayId is null");
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(value, "value is null");
        jdbi.useHandle(handle -> {
            if (update(handle, migrationId, interlayId, key, value) > 0) {
                return;
            }
            try {
                handle.createUpdate("INSERT INTO checkpoints (migration_id, interlay_id, checkpoint_key, "
                                + "checkpoint_value) VALUES (:migration, :interlay, :key, :value)")
                        .bind("migration", migrationId)
                        .bind("interlay", interlayId)
                        .bind("key", key)
                        .bind("value", value)
                        .execute();
            } catch (JdbiException e) {
                if (!SqlErrors.isUniqueViolation(e) || update(handle, migrationId, interlayId, key, value) == 0) {
                    throw e;
                }
            }
        });
    }

    @Override
    public void clear(String migrationId) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM checkpoints WHERE migration_id = :migration")
                .bind("migration", migrationId)
                .execute());
    }

    private static int update(Handle handle, String migrationId, String interlayId, String key, String value) {
        return handle.createUpdate("UPDATE checkpoints SET checkpoint_value = :value "
                        + "WHERE migration_id = :migration AND interlay_id = :interlay AND checkpoint_key = :key")
                .bind("migration", migrationId)
                .bind("interlay", interlayId)
                .bind("key", key)
                .bind("value", value)
                .execute();
    }
}

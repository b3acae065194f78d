package io.eden.adapters.persistence;

import io.eden.application.port.out.ConcurrentUpdateException;
import io.eden.application.port.out.MigrationRepository;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import io.eden.domain.model.PhaseChange;
import io.eden.domain.model.Strategy;
import io.eden.domain.model.WriteMode;
import io.eden.domain.model.WritePolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Migrations in table {@code migrations} (one plain column per setting), their interlays in
 * {@code migration_interlays} (in insertion order), their phase changes in {@code migration_audit}.
 * Instants are two columns, epoch seconds and nanoseconds, so they come back exactly as saved.
 */
final class JdbiMigrationRepository implements MigrationRepository {
    private static final String SELECT = "SELECT id, description, strategy_type, read_percentage, write_mode, "
            + "write_policy, write_percentage, data_type, data_replace, failure_type, retry_count, phase, "
            + "phase_reason, created_at_s, created_at_ns, updated_at_s, updated_at_ns FROM migrations";
    private static final String SELECT_INTERLAYS = "SELECT migration_id, interlay_id, source_endpoint_id, "
            + "target_endpoint_id FROM migration_interlays";

    private final Jdbi jdbi;

    JdbiMigrationRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi is null");
    }

    @Override
    public boolean insert(Migration migration) {
        checkKeys(migration);
        return SqlErrors.insertUnlessTaken(() -> {
            jdbi.useTransaction(handle -> {
                bindColumns(handle.createUpdate("INSERT INTO migrations (id, description, strategy_type, "
                        + "read_percentage, write_mode, write_policy, write_percentage, data_type, data_replace, "
                        + "failure_type, retry_count, phase, phase_reason, created_at_s, created_at_ns, "
                        + "updated_at_s, updated_at_ns) VALUES (:id, :description, :strategy_type, "
                        + ":read_percentage, :write_mode, :write_policy, :write_percentage, :data_type, "
                        + ":data_replace, :failure_type, :retry_count, :phase, :phase_reason, :created_at_s, "
                        + ":created_at_ns, :updated_at_s, :updated_at_ns)"), migration).execute();
                insertInterlays(handle, migration);
            });
        });
    }

    @Override
    public void update(Migration migration, Instant expectedUpdatedAt, List<PhaseChange> phaseChanges) {
        Objects.requireNonNull(expectedUpdatedAt, "expectedUpdatedAt is null");
        checkKeys(migration);
        for (PhaseChange change : phaseChanges) {
            if (!change.migrationId().equals(migration.id())) {
                throw new IllegalArgumentException("phase change of migration " + change.migrationId()
                        + " given with migration " + migration.id());
            }
        }
        jdbi.useTransaction(handle -> {
            // the row lock this takes serialises concurrent updates of one migration
            int rows = bindColumns(handle.createUpdate("UPDATE migrations SET description = :description, "
                            + "strategy_type = :strategy_type, read_percentage = :read_percentage, "
                            + "write_mode = :write_mode, write_policy = :write_policy, "
                            + "write_percentage = :write_percentage, data_type = :data_type, "
                            + "data_replace = :data_replace, failure_type = :failure_type, "
                            + "retry_count = :retry_count, phase = :phase, phase_reason = :phase_reason, "
                            + "created_at_s = :created_at_s, created_at_ns = :created_at_ns, "
                            + "updated_at_s = :updated_at_s, updated_at_ns = :updated_at_ns "
                            + "WHERE id = :id AND updated_at_s = :expected_s AND updated_at_ns = :expected_ns"),
                    migration)
                    .bind("expected_s", expectedUpdatedAt.getEpochSecond())
                    .bind("expected_ns", expectedUpdatedAt.getNano())
                    .execute();
            if (rows == 0) {
                boolean stored = handle.createQuery("SELECT COUNT(*) FROM migrations WHERE id = :id")
                        .bind("id", migration.id())
                        .mapTo(Integer.class)
                        .one() > 0;
                if (!stored) {
                    throw new IllegalStateException("migration " + migration.id() + " is not stored");
                }
                throw new ConcurrentUpdateException("migration " + migration.id());
            }
            handle.createUpdate("DELETE FROM migration_interlays WHERE migration_id = :id")
                    .bind("id", migration.id())
                    .execute();
            insertInterlays(handle, migration);
            appendHistory(handle, migration.id(), phaseChanges);
        });
    }

    @Override
    public Optional<Migration> find(String id) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            Optional<Row> row = handle.createQuery(SELECT + " WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> row(rs))
                    .findOne();
            if (row.isEmpty()) {
                return Optional.<Migration>empty();
            }
            Map<String, Map<String, InterlayAssignment>> interlays = interlays(handle
                    .createQuery(SELECT_INTERLAYS + " WHERE migration_id = :id ORDER BY entry_order")
                    .bind("id", id)
                    .map((rs, ctx) -> assignmentRow(rs))
                    .list());
            return Optional.of(migration(row.get(), interlays.getOrDefault(id, Map.of())));
        });
    }

    @Override
    public List<Migration> findAll() {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            List<Row> rows = handle.createQuery(SELECT + " ORDER BY created_order")
                    .map((rs, ctx) -> row(rs))
                    .list();
            Map<String, Map<String, InterlayAssignment>> interlays = interlays(handle
                    .createQuery(SELECT_INTERLAYS + " ORDER BY migration_id, entry_order")
                    .map((rs, ctx) -> assignmentRow(rs))
                    .list());
            return rows.stream().map(r -> migration(r, interlays.getOrDefault(r.id(), Map.of()))).toList();
        });
    }

    @Override
    public List<PhaseChange> history(String migrationId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT migration_id, from_phase, to_phase, reason, "
                        + "at_s, at_ns FROM migration_audit WHERE migration_id = :id ORDER BY seq")
                .bind("id", migrationId)
                .map((rs, ctx) -> {
                    try {
                        return new PhaseChange(rs.getString("migration_id"),
                                Phase.fromWireName("from_phase", rs.getString("from_phase")),
                                Phase.fromWireName("to_phase", rs.getString("to_phase")),
                                rs.getString("reason"),
                                instant(rs, "at_s", "at_ns"));
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("the audit log of migration '" + migrationId
                                + "' cannot be read: " + e.getMessage(), e);
                    }
                })
                .list());
    }

    // ---- writing ----

    /** The map's keys are the assignments' interlay ids; only the values are stored, so check it. */
    private static void checkKeys(Migration migration) {
        migration.interlays().forEach((key, assignment) -> {
            if (!key.equals(assignment.interlayId())) {
                throw new IllegalArgumentException("migration " + migration.id() + " files the assignment of interlay "
                        + assignment.interlayId() + " under '" + key + "'");
            }
        });
    }

    private static Update bindColumns(Update update, Migration m) {
        update.bind("id", m.id())
                .bind("description", m.description())
                .bind("phase", m.phase().wireName())
                .bind("phase_reason", m.phaseReason().orElse(null))
                .bind("created_at_s", m.createdAt().getEpochSecond())
                .bind("created_at_ns", m.createdAt().getNano())
                .bind("updated_at_s", m.updatedAt().getEpochSecond())
                .bind("updated_at_ns", m.updatedAt().getNano())
                .bind("data_type", m.data().type().wireName())
                .bind("data_replace", m.data().replace().wireName());
        switch (m.strategy()) {
            case Strategy.Canary canary -> update
                    .bind("strategy_type", canary.wireName())
                    .bind("read_percentage", positiveZero(canary.readPercentage()));
        }
        update.bind("write_mode", m.strategy().writeMode().wireName());
        switch (m.strategy().writeMode()) {
            case WriteMode.DualWrite dual -> update
                    .bind("write_policy", dual.policy().wireName())
                    .bind("write_percentage", (Double) null);
            case WriteMode.Cutover cutover -> update
                    .bind("write_policy", (String) null)
                    .bind("write_percentage", (Double) positiveZero(cutover.writePercentage()));
        }
        update.bind("failure_type", m.failureHandling().wireName());
        switch (m.failureHandling()) {
            case FailureHandling.RetryThenAll retry -> update.bind("retry_count", (Integer) retry.retryCount());
            case FailureHandling.RollbackAll rollback -> update.bind("retry_count", (Integer) null);
            case FailureHandling.AllowPartial partial -> update.bind("retry_count", (Integer) null);
        }
        return update;
    }

    /**
     * H2 turns -0.0 into 0.0 and PostgreSQL keeps it; both stores store 0.0, so they agree.
     * (The domain accepts -0.0 as a fraction; it means the same as 0.0.)
     */
    private static double positiveZero(double value) {
        return value + 0.0;
    }

    private static void insertInterlays(Handle handle, Migration migration) {
        if (migration.interlays().isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO migration_interlays (migration_id, interlay_id, "
                + "entry_order, source_endpoint_id, target_endpoint_id) "
                + "VALUES (:migration, :interlay, :entry_order, :source, :target)");
        int order = 0;
        for (InterlayAssignment assignment : migration.interlays().values()) {
            batch.bind("migration", migration.id())
                    .bind("interlay", assignment.interlayId())
                    .bind("entry_order", order++)
                    .bind("source", assignment.sourceEndpointId())
                    .bind("target", assignment.targetEndpointId())
                    .add();
        }
        batch.execute();
    }

    private static void appendHistory(Handle handle, String migrationId, List<PhaseChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        int seq = handle.createQuery("SELECT COALESCE(MAX(seq), 0) FROM migration_audit WHERE migration_id = :id")
                .bind("id", migrationId)
                .mapTo(Integer.class)
                .one();
        PreparedBatch batch = handle.prepareBatch("INSERT INTO migration_audit (migration_id, seq, from_phase, "
                + "to_phase, reason, at_s, at_ns) VALUES (:id, :seq, :from, :to, :reason, :at_s, :at_ns)");
        for (PhaseChange change : changes) {
            batch.bind("id", migrationId)
                    .bind("seq", ++seq)
                    .bind("from", change.from().wireName())
                    .bind("to", change.to().wireName())
                    .bind("reason", change.reason())
                    .bind("at_s", change.at().getEpochSecond())
                    .bind("at_ns", change.at().getNano())
                    .add();
        }
        batch.execute();
    }

    // ---- reading ----

    /** One row, read while the result set is open; decoded once its interlays are joined in. */
    private record Row(String id, String description, String strategyType, double readPercentage, String writeMode,
                             String writePolicy, Double writePercentage, String dataType, String dataReplace,
                             String failureType, Integer retryCount, String phase, String phaseReason,
                             Instant createdAt, Instant updatedAt) {
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("id"), rs.getString("description"), rs.getString("strategy_type"),
                rs.getDouble("read_percentage"), rs.getString("write_mode"), rs.getString("write_policy"),
                rs.getObject("write_percentage", Double.class), rs.getString("data_type"),
                rs.getString("data_replace"), rs.getString("failure_type"),
                rs.getObject("retry_count", Integer.class), rs.getString("phase"), rs.getString("phase_reason"),
                instant(rs, "created_at_s", "created_at_ns"), instant(rs, "updated_at_s", "updated_at_ns"));
    }

    private static InterlayAssignmentRow assignmentRow(ResultSet rs) throws SQLException {
        return new InterlayAssignmentRow(rs.getString("migration_id"), rs.getString("interlay_id"),
                rs.getString("source_endpoint_id"), rs.getString("target_endpoint_id"));
    }

    private record InterlayAssignmentRow(String migrationId, String interlayId, String source, String target) {
    }

    /** Groups assignment rows by migration, keeping their order. */
    private static Map<String, Map<String, InterlayAssignment>> interlays(List<InterlayAssignmentRow> rows) {
        Map<String, Map<String, InterlayAssignment>> byMigration = new HashMap<>();
        for (InterlayAssignmentRow row : rows) {
            try {
                byMigration.computeIfAbsent(row.migrationId(), k -> new LinkedHashMap<>())
                        .put(row.interlayId(), new InterlayAssignment(row.interlayId(), row.source(), row.target()));
            } catch (RuntimeException e) {
                throw new IllegalStateException("stored migration '" + row.migrationId() + "' cannot be read: "
                        + e.getMessage(), e);
            }
        }
        return byMigration;
    }

    private static Migration migration(Row row, Map<String, InterlayAssignment> interlays) {
        try {
            return new Migration(row.id(), row.description(), strategy(row), data(row), failureHandling(row),
                    Phase.fromWireName("phase", row.phase()), Optional.ofNullable(row.phaseReason()),
                    interlays, row.createdAt(), row.updatedAt());
        } catch (RuntimeException e) {
            throw new IllegalStateException("stored migration '" + row.id() + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private static Strategy strategy(Row v) {
        WriteMode writeMode = switch (v.writeMode()) {
            case "dual_write" -> new WriteMode.DualWrite(WritePolicy.fromWireName("write_policy", v.writePolicy()));
            case "cutover" -> new WriteMode.Cutover(required("write_percentage", v.writePercentage()));
            default -> throw new IllegalStateException("unknown write_mode '" + v.writeMode() + "'");
        };
        return switch (v.strategyType()) {
            case "canary" -> new Strategy.Canary(v.readPercentage(), writeMode);
            default -> throw new IllegalStateException("unknown strategy_type '" + v.strategyType() + "'");
        };
    }

    private static DataMode data(Row v) {
        return new DataMode(DataMode.Type.fromWireName("data_type", v.dataType()),
                DataMode.Replace.fromWireName("data_replace", v.dataReplace()));
    }

    private static FailureHandling failureHandling(Row v) {
        return switch (v.failureType()) {
            case "rollback_all" -> new FailureHandling.RollbackAll();
            case "allow_partial" -> new FailureHandling.AllowPartial();
            case "retry_then_all" -> new FailureHandling.RetryThenAll(required("retry_count", v.retryCount()));
            default -> throw new IllegalStateException("unknown failure_type '" + v.failureType() + "'");
        };
    }

    private static <T> T required(String column, T value) {
        if (value == null) {
            throw new IllegalStateException(column + " is missing");
        }
        return value;
    }

    private static Instant instant(ResultSet rs, String seconds, String nanos) throws SQLException {
        return Instant.ofEpochSecond(rs.getLong(seconds), rs.getInt(nanos));
    }
}

package io.eden.adapters.persistence;

import io.eden.application.port.out.InterlayRepository;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.ProtocolId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/** Interlays in table {@code interlays}, their settings in {@code interlay_settings}. */
final class JdbiInterlayRepository implements InterlayRepository {
    private static final String SELECT =
            "SELECT id, protocol, listen_host, listen_port, tls, endpoint_id FROM interlays";
    private final Jdbi jdbi;

    JdbiInterlayRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi is null");
    }

    /** A row before its settings are joined in. */
    private record Row(String id, String protocol, String host, int port, boolean tls, String endpointId) {
        Interlay with(Map<String, String> settings) {
            try {
                return new Interlay(id, new ProtocolId(protocol), new ListenAddress(host, port), tls,
                        Optional.ofNullable(endpointId), settings);
            } catch (RuntimeException e) {
                throw new IllegalStateException("stored interlay '" + id + "' cannot be read: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean insert(Interlay interlay) {
        return SqlErrors.insertUnlessTaken(() -> jdbi.useTransaction(handle -> {
            bindColumns(handle.createUpdate("INSERT INTO interlays (id, protocol, listen_host, listen_port, "
                    + "tls, endpoint_id) VALUES (:id, :protocol, :host, :port, :tls, :endpoint)"), interlay)
                    .execute();
            insertSettings(handle, interlay);
        }));
    }

    @Override
    public void update(Interlay interlay) {
        jdbi.useTransaction(handle -> {
            int rows = bindColumns(handle.createUpdate("UPDATE interlays SET protocol = :protocol, "
                            + "listen_host = :host, listen_port = :port, tls = :tls, endpoint_id = :endpoint "
                            + "WHERE id = :id"), interlay)
                    .execute();
            if (rows == 0) {
                throw new IllegalStateException("interlay " + interlay.id() + " is not stored");
            }
            handle.createUpdate("DELETE FROM interlay_settings WHERE interlay_id = :id")
                    .bind("id", interlay.id())
                    .execute();
            insertSettings(handle, interlay);
        });
    }

    @Override
    public Optional<Interlay> find(String id) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            Optional<Row> row = handle.createQuery(SELECT + " WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> row(rs))
                    .findOne();
            if (row.isEmpty()) {
                return Optional.<Interlay>empty();
            }
            Map<String, String> settings = new HashMap<>();
            handle.createQuery("SELECT setting_key, setting_value FROM interlay_settings WHERE interlay_id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> settings.put(e.getKey(), e.getValue()));
            return Optional.of(row.get().with(settings));
        });
    }

    @Override
    public List<Interlay> findAll() {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            List<Row> rows = handle.createQuery(SELECT + " ORDER BY created_order")
                    .map((rs, ctx) -> row(rs))
                    .list();
            Map<String, Map<String, String>> settings = new HashMap<>();
            handle.createQuery("SELECT interlay_id, setting_key, setting_value FROM interlay_settings")
                    .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .forEach(s -> settings.computeIfAbsent(s.get(0), k -> new HashMap<>()).put(s.get(1), s.get(2)));
            return rows.stream().map(r -> r.with(settings.getOrDefault(r.id(), Map.of()))).toList();
        });
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("id"), rs.getString("protocol"), rs.getString("listen_host"),
                rs.getInt("listen_port"), rs.getBoolean("tls"), rs.getString("endpoint_id"));
    }

    private static Update bindColumns(Update update, Interlay interlay) {
        return update.bind("id", interlay.id())
                .bind("protocol", interlay.protocol().value())
                .bind("host", interlay.listen().host())
                .bind("port", interlay.listen().port())
                .bind("tls", interlay.tls())
                .bind("endpoint", interlay.endpointId().orElse(null));
    }

    private static void insertSettings(Handle handle, Interlay interlay) {
        if (interlay.settings().isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("INSERT INTO interlay_settings (interlay_id, setting_key, "
                + "setting_value) VALUES (:id, :key, :value)");
        interlay.settings().forEach((key, value) -> batch
                .bind("id", interlay.id())
                .bind("key", key)
                .bind("value", value)
                .add());
        batch.execute();
    }
}

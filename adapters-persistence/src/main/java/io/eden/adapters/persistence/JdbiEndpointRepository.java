package io.eden.adapters.persistence;

import io.eden.application.port.out.EndpointRepository;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.ProtocolId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Endpoints in table {@code endpoints}; the URI is stored whole, password included, and never logged. */
final class JdbiEndpointRepository implements EndpointRepository {
    private static final String COLUMNS = "id, protocol, uri";
    private final Jdbi jdbi;

    JdbiEndpointRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi is null");
    }

    @Override
    public boolean insert(Endpoint endpoint) {
        return SqlErrors.insertUnlessTaken(() -> {
            jdbi.useHandle(handle -> handle.createUpdate(
                            "INSERT INTO endpoints (id, protocol, uri) VALUES (:id, :protocol, :uri)")
                    .bind("id", endpoint.id())
                    .bind("protocol", endpoint.protocol().value())
                    .bind("uri", endpoint.uri().unredacted())
                    .execute());
        });
    }

    @Override
    public Optional<Endpoint> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM endpoints WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> read(rs))
                .findOne());
    }

    @Override
    public List<Endpoint> findAll() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT " + COLUMNS + " FROM endpoints ORDER BY created_order")
                .map((rs, ctx) -> read(rs))
                .list());
    }

    @Override
    public boolean delete(String id) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM endpoints WHERE id = :id")
                .bind("id", id)
                .execute()) > 0;
    }

    private static Endpoint read(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        try {
            return new Endpoint(id, EndpointUri.parse(rs.getString("uri")), new ProtocolId(rs.getString("protocol")));
        } catch (RuntimeException e) {
            // the message of a URI parse failure never holds the URI; keep it that way
            throw new IllegalStateException("stored endpoint '" + id + "' cannot be read: " + e.getMessage(), e);
        }
    }
}

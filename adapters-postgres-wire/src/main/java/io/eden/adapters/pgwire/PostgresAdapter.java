package io.eden.adapters.pgwire;

import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.RouteView;
import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import java.util.Objects;

/**
 * The PostgreSQL adapter as far as it goes today: endpoints can be registered and their health
 * checked; listening waits for the wire protocol, so it is refused with a message that says so.
 */
final class PostgresAdapter implements ProtocolAdapter {
    private final PostgresHealthProbe probe;

    PostgresAdapter(PostgresHealthProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe is null");
    }

    @Override
    public InterlayListener listen(Interlay interlay, RouteView route) {
        throw new UnsupportedCapabilityException("PostgreSQL listeners",
                "the PostgreSQL wire protocol is not implemented yet; it comes with the PostgreSQL proxy issue");
    }

    @Override
    public Health checkHealth(Endpoint endpoint) {
        return probe.check(endpoint.uri().host(), endpoint.uri().portOr(PostgresAdapterFactory.DEFAULT_PORT));
    }

    @Override
    public void close() {
        // nothing is held open between calls
    }
}

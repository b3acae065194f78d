package io.eden.adapters.pgwire;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.ProtocolAdapterFactory;
import java.util.Objects;
import java.util.Set;

/** The PostgreSQL protocol plugin, found by {@link java.util.ServiceLoader}. */
public final class PostgresAdapterFactory implements ProtocolAdapterFactory {
    static final int DEFAULT_PORT = 5432;

    @Override
    public String id() {
        return "postgres";
    }

    @Override
    public Set<String> uriSchemes() {
        return Set.of("postgres", "postgresql");
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    @Override
    public int spiVersion() {
        // inlined at this plugin's compile time, so the host sees the version we were built against
        return SPI_VERSION;
    }

    @Override
    public ProtocolAdapter create(AdapterContext context) {
        Objects.requireNonNull(context, "context is null");
        return new PostgresAdapter(new PostgresHealthProbe(PostgresHealthProbe.DEFAULT_TIMEOUT), context);
    }
}

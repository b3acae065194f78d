package io.eden.application;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.ProtocolAdapterFactory;
import java.util.Set;

/** A protocol plugin written for the tests: real sockets, no wire protocol. */
final class TestProtocol implements ProtocolAdapterFactory {
    private final String id;
    private final Set<String> schemes;
    private final int defaultPort;
    private final boolean movesData;
    private volatile TestAdapter adapter;

    TestProtocol(String id, Set<String> schemes, int defaultPort, boolean movesData) {
        this.id = id;
        this.schemes = schemes;
        this.defaultPort = defaultPort;
        this.movesData = movesData;
    }

    static TestProtocol redis(boolean movesData) {
        return new TestProtocol("redis", Set.of("redis", "rediss"), 6379, movesData);
    }

    static TestProtocol postgres() {
        return new TestProtocol("postgres", Set.of("postgres", "postgresql"), 5432, false);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<String> uriSchemes() {
        return schemes;
    }

    @Override
    public int defaultPort() {
        return defaultPort;
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public synchronized ProtocolAdapter create(AdapterContext context) {
        if (adapter != null) {
            throw new IllegalStateException("create called twice for " + id);
        }
        adapter = new TestAdapter(defaultPort, movesData);
        return adapter;
    }

    /** The adapter the registry created; null until the protocol was first needed. */
    TestAdapter adapter() {
        return adapter;
    }
}

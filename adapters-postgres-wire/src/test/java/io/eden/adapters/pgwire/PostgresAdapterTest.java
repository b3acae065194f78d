package io.eden.adapters.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.ProtocolAdapterFactory;
import io.eden.application.spi.RouteSnapshot;
import io.eden.application.spi.RouteView;
import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.ProtocolId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresAdapterTest {
    private static EmbeddedPostgres postgres;
    private static ProtocolAdapter adapter;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        adapter = new PostgresAdapterFactory().create(context());
    }

    @AfterAll
    static void stop() throws IOException {
        adapter.close();
        postgres.close();
    }

    @Test
    void isFoundByServiceLoaderWithItsIdSchemesAndVersion() {
        List<ProtocolAdapterFactory> found = ServiceLoader.load(ProtocolAdapterFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.id().equals("postgres")).toList();
        assertEquals(1, found.size());
        ProtocolAdapterFactory factory = found.get(0);
        assertEquals(Set.of("postgres", "postgresql"), factory.uriSchemes());
        assertEquals(5432, factory.defaultPort());
        assertEquals(ProtocolAdapterFactory.SPI_VERSION, factory.spiVersion());
    }

    @Test
    void aRunningPostgresIsHealthy() {
        assertEquals(Health.HEALTHY, adapter.checkHealth(endpoint("postgres://127.0.0.1:" + postgres.getPort())));
        assertEquals(Health.HEALTHY,
                adapter.checkHealth(endpoint("postgresql://user:pw@localhost:" + postgres.getPort() + "/postgres")));
    }

    @Test
    void nothingListeningIsUnhealthy() throws IOException {
        int unused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = socket.getLocalPort();
        }
        assertEquals(Health.UNHEALTHY, adapter.checkHealth(endpoint("postgres://127.0.0.1:" + unused)));
    }

    @Test
    void aServerThatAnswersSomethingElseIsUnhealthy() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket client = server.accept()) {
                    client.getOutputStream().write("-ERR unknown command\r\n".getBytes());
                } catch (IOException ignored) {
                    // the probe may have gone already
                }
            });
            assertEquals(Health.UNHEALTHY, adapter.checkHealth(endpoint("postgres://127.0.0.1:" + server.getLocalPort())));
        }
    }

    @Test
    void listensOnTheInterlayAddressAndClosesCleanly() throws IOException {
        Interlay interlay = new Interlay("postgres_interlay", ProtocolId.POSTGRES, new ListenAddress("127.0.0.1", 0),
                false, Optional.empty(), Map.of());
        var listener = adapter.listen(interlay, unboundRoute(interlay));
        int port = listener.boundAddress().getPort();
        assertTrue(port > 0);
        assertEquals(0, listener.activeConnections());
        listener.close();
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void badSettingsAreRefusedWithAClearMessage() {
        Interlay interlay = new Interlay("postgres_interlay", ProtocolId.POSTGRES, new ListenAddress("127.0.0.1", 0),
                false, Optional.empty(), Map.of("pool_mode", "statement"));
        UnsupportedCapabilityException refused = assertThrows(UnsupportedCapabilityException.class,
                () -> adapter.listen(interlay, unboundRoute(interlay)));
        assertTrue(refused.getMessage().contains("pool_mode must be session or transaction"), refused.getMessage());
        Interlay tls = new Interlay("postgres_interlay", ProtocolId.POSTGRES, new ListenAddress("127.0.0.1", 0),
                true, Optional.empty(), Map.of());
        refused = assertThrows(UnsupportedCapabilityException.class, () -> adapter.listen(tls, unboundRoute(tls)));
        assertTrue(refused.getMessage().contains("tls_cert"), refused.getMessage());
    }

    private static Endpoint endpoint(String uri) {
        return new Endpoint("pg", EndpointUri.parse(uri), ProtocolId.POSTGRES);
    }

    private static RouteView unboundRoute(Interlay interlay) {
        RouteSnapshot snapshot = new RouteSnapshot(interlay, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 1);
        return new RouteView() {
            @Override
            public RouteSnapshot current() {
                return snapshot;
            }

            @Override
            public AutoCloseable subscribe(Consumer<RouteSnapshot> listener) {
                return () -> {
                };
            }
        };
    }

    /** One place builds the test adapter context; this test needs no options. */
    private static AdapterContext context() {
        return PgFixture.context(Map.of());
    }
}

package io.eden.adapters.http;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.ProtocolAdapterFactory;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;

/**
 * A protocol plugin for {@code redis://} that does just enough for the API: it binds the interlay's
 * address for real (and closes every client), and checks health by a TCP connect. It moves no data,
 * so {@code /migrate} meets the SPI's default refusal. An interlay with the setting {@code crash} makes
 * {@code listen} fail with an unexpected exception.
 */
final class FakeRedisProtocol implements ProtocolAdapterFactory {

    @Override
    public String id() {
        return "redis";
    }

    @Override
    public Set<String> uriSchemes() {
        return Set.of("redis", "rediss");
    }

    @Override
    public int defaultPort() {
        return 6379;
    }

    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    @Override
    public ProtocolAdapter create(AdapterContext context) {
        return new ProtocolAdapter() {
            @Override
            public InterlayListener listen(Interlay interlay, RouteView route) throws IOException {
                if (interlay.settings().containsKey("crash")) { // lets a test reach the API's 500 path
                    throw new IllegalStateException("listener crashed");
                }
                return new ClosingListener(interlay.listen().host(), interlay.listen().port());
            }

            @Override
            public Health checkHealth(Endpoint endpoint) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(endpoint.uri().host(), endpoint.uri().portOr(6379)), 500);
                    return Health.HEALTHY;
                } catch (IOException e) {
                    return Health.UNHEALTHY;
                }
            }

            @Override
            public void close() {
            }
        };
    }

    /** A real bound socket whose accept loop closes every client at once. */
    static final class ClosingListener implements InterlayListener {
        private final ServerSocket server;

        ClosingListener(String host, int port) throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(host, port));
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    // A plain close (FIN): a reset could reach a connecting health check before connect() returns.
                    try (Socket client = server.accept()) {
                        client.shutdownOutput();
                    } catch (IOException e) {
                        // closed: the loop ends
                    }
                }
            });
        }

        @Override
        public InetSocketAddress boundAddress() {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }

        @Override
        public int activeConnections() {
            return 0;
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}

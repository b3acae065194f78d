package io.eden.application;

import io.eden.application.spi.DataMovement;
import io.eden.application.spi.DataMovementRequest;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Listens on a real server socket (accepting and closing clients on a virtual thread), checks
 * health with a 300 ms TCP connect, and, in its data-moving variant, hands out {@link FakeMovement}s.
 */
final class TestAdapter implements ProtocolAdapter {
    private final int defaultPort;
    private final boolean movesData;
    final Map<String, RouteView> routes = new ConcurrentHashMap<>();
    final List<FakeMovement> movements = new CopyOnWriteArrayList<>();
    final AtomicInteger healthChecks = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    /** Runs inside startDataMovement, before it returns: lets a test report events that early. */
    volatile java.util.function.Consumer<DataMovementRequest> whileStarting = request -> {
    };

    TestAdapter(int defaultPort, boolean movesData) {
        this.defaultPort = defaultPort;
        this.movesData = movesData;
    }

    @Override
    public InterlayListener listen(Interlay interlay, RouteView route) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(interlay.listen().host(), interlay.listen().port()));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        routes.put(interlay.id(), route);
        AtomicInteger accepted = new AtomicInteger();
        Thread acceptor = Thread.ofVirtual().name("accept-" + interlay.id()).start(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        return new InterlayListener() {
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
                    // the socket is released only once the virtual thread has left accept()
                    acceptor.join(2000);
                } catch (IOException ignored) {
                    // closing
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Override
    public Health checkHealth(Endpoint endpoint) {
        healthChecks.incrementAndGet();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.uri().host(), endpoint.uri().portOr(defaultPort)), 300);
            return Health.HEALTHY;
        } catch (IOException e) {
            return Health.UNHEALTHY;
        }
    }

    @Override
    public DataMovement startDataMovement(DataMovementRequest request) {
        if (!movesData) {
            return ProtocolAdapter.super.startDataMovement(request);
        }
        FakeMovement movement = new FakeMovement(request);
        movements.add(movement);
        whileStarting.accept(request);
        return movement;
    }

    FakeMovement movement(String interlayId) {
        return movements.stream().filter(m -> m.request.assignment().interlayId().equals(interlayId))
                .reduce((a, b) -> b).orElseThrow();
    }

    @Override
    public void close() {
        closed.set(true);
    }
}

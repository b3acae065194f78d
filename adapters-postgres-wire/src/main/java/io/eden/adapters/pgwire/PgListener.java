package io.eden.adapters.pgwire;

import io.eden.application.spi.EdenMetrics.Counter;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Interlay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the PostgreSQL clients of one interlay, each served on virtual threads (blocking I/O,
 * no platform thread per client, all cores used by the scheduler).
 */
final class PgListener implements InterlayListener {
    private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
    private static final int BACKLOG = 4096;
    private static final Duration ACCEPTOR_STOP = Duration.ofSeconds(2);

    final Interlay interlay;
    final RouteView route;
    final PgSettings settings;
    final PgMetrics metrics;
    final CancelKeys cancelKeys;
    final Counter throughput;
    final Pools pools;
    final EventLoops loops;
    final AtomicInteger serversInUse = new AtomicInteger();
    private final ServerSocketChannel server;
    private final Set<ClientConnection> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong clientNumbers = new AtomicLong();
    private final Runnable onClosed;
    private volatile boolean closed;
    private volatile Thread acceptor;

    private PgListener(Interlay interlay, RouteView route, PgSettings settings, PgMetrics metrics,
                       CancelKeys cancelKeys, EventLoops loops, ServerSocketChannel server, Runnable onClosed) {
        this.interlay = interlay;
        this.route = route;
        this.settings = settings;
        this.metrics = metrics;
        this.cancelKeys = cancelKeys;
        this.server = server;
        this.onClosed = onClosed;
        this.loops = loops;
        this.pools = new Pools(this);
        this.throughput = metrics.forInterlay(interlay.id(), clients::size, serversInUse::get);
    }

    /** {@code loops} serve transaction pooling; null in session mode. */
    static PgListener start(Interlay interlay, RouteView route, PgSettings settings, PgMetrics metrics,
                            CancelKeys cancelKeys, EventLoops loops, Runnable onClosed) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(interlay.listen().host(), interlay.listen().port()), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + interlay.listen() + " for interlay '" + interlay.id()
                    + "': " + e.getMessage(), e);
        }
        PgListener listener = new PgListener(interlay, route, settings, metrics, cancelKeys, loops, server, onClosed);
        listener.acceptor = Thread.ofVirtual().name("eden-pg-accept-" + interlay.id()).start(listener::acceptClients);
        InetSocketAddress bound = listener.boundAddress();
        LOG.info("PostgreSQL interlay '{}' listening on {}:{} ({} pooling)", interlay.id(), bound.getHostString(),
                bound.getPort(), settings.poolMode().name().toLowerCase(java.util.Locale.ROOT));
        return listener;
    }

    @Override
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) server.socket().getLocalSocketAddress();
    }

    @Override
    public int activeConnections() {
        return clients.size();
    }

    void forget(ClientConnection client) {
        clients.remove(client);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Wire.closeQuietly(server);
        Thread thread = acceptor;
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(ACCEPTOR_STOP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ClientConnection client : List.copyOf(clients)) {
            client.close();
        }
        pools.close();
        LOG.info("PostgreSQL interlay '{}' stopped listening", interlay.id());
        onClosed.run();
    }

    private void acceptClients() {
        while (!closed) {
            SocketChannel socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                LOG.warn("PostgreSQL interlay '{}': accepting a client failed: {}", interlay.id(), e.toString());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                continue;
            }
            try {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                ClientConnection client = new ClientConnection(this, socket);
                clients.add(client);
                if (closed) {
                    client.close();
                    return;
                }
                Thread.ofVirtual().name("eden-pg-" + interlay.id() + "-client-" + clientNumbers.incrementAndGet())
                        .start(client::run);
            } catch (IOException e) {
                Wire.closeQuietly(socket);
            }
        }
    }
}

package io.eden.adapters.redis.proxy;

import io.eden.application.spi.EdenMetrics.Counter;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Interlay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the clients of one interlay, each served by a {@link ClientConnection} on virtual
 * threads (blocking I/O stays simple and costs no platform thread per client).
 */
public final class RedisInterlayListener implements InterlayListener {
    private static final Logger LOG = LoggerFactory.getLogger(RedisInterlayListener.class);
    private static final int BACKLOG = 1024;
    private static final long ACCEPT_RETRY_MILLIS = 100;
    private static final Duration ACCEPTOR_STOP = Duration.ofSeconds(2);

    private final Interlay interlay;
    private final RouteView route;
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final Counter commands;
    private final ServerSocket server;
    private final Consumer<RedisInterlayListener> onClosed;
    private final Set<ClientConnection> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong clientNumbers = new AtomicLong();
    private volatile boolean closed;
    private volatile Thread acceptor;

    private RedisInterlayListener(Interlay interlay, RouteView route, ProxySettings settings, ProxyMetrics metrics,
                                  ServerSocket server, Consumer<RedisInterlayListener> onClosed) {
        this.interlay = interlay;
        this.route = route;
        this.settings = settings;
        this.metrics = metrics;
        this.server = server;
        this.onClosed = onClosed;
        this.commands = metrics.forInterlay(interlay.id(), clients::size);
    }

    /**
     * Binds the interlay's address and starts accepting.
     *
     * @param onClosed told once this listener has closed, so its owner can forget it
     * @throws IOException when the address cannot be bound
     */
    public static RedisInterlayListener start(Interlay interlay, RouteView route, ProxySettings settings,
                                              ProxyMetrics metrics, Consumer<RedisInterlayListener> onClosed)
            throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true); // a restarted Eden must get its port back despite TIME_WAIT
            server.bind(new InetSocketAddress(interlay.listen().host(), interlay.listen().port()), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + interlay.listen() + " for interlay '" + interlay.id()
                    + "': " + e.getMessage(), e);
        }
        RedisInterlayListener listener = new RedisInterlayListener(interlay, route, settings, metrics, server, onClosed);
        listener.acceptor = Thread.ofVirtual().name("eden-redis-accept-" + interlay.id()).start(listener::acceptClients);
        InetSocketAddress bound = listener.boundAddress();
        LOG.info("Redis interlay '{}' listening on {}:{}", interlay.id(), bound.getHostString(), bound.getPort());
        return listener;
    }

    @Override
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public int activeConnections() {
        return clients.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Sockets.closeQuietly(server);
        awaitAcceptorEnd();
        for (ClientConnection client : List.copyOf(clients)) {
            client.close();
        }
        LOG.info("Redis interlay '{}' stopped listening", interlay.id());
        onClosed.accept(this);
    }

    private void acceptClients() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // e.g. out of file descriptors: keep serving the clients we have and retry shortly
                LOG.warn("Redis interlay '{}': accepting a client failed: {}", interlay.id(), e.toString());
                pause();
                continue;
            }
            serve(socket);
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
        } catch (IOException e) {
            Sockets.closeQuietly(socket);
            return;
        }
        ClientConnection client = new ClientConnection(socket, interlay.id(), route, settings, metrics, commands,
                clients::remove);
        clients.add(client);
        if (closed) {
            client.close(); // close() may have copied the set before this client was added
            return;
        }
        Thread.ofVirtual().name("eden-redis-" + interlay.id() + "-client-" + clientNumbers.incrementAndGet())
                .start(client::run);
    }

    /**
     * Closing a socket another thread is blocked in defers the release of the port until that
     * thread has left accept(); waiting for it makes "closed" mean "no longer accepting".
     */
    private void awaitAcceptorEnd() {
        Thread thread = acceptor;
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(ACCEPTOR_STOP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(ACCEPT_RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

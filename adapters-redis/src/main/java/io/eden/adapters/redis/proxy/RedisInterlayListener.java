package io.eden.adapters.redis.proxy;

import io.eden.application.spi.EdenMetrics.Counter;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Interlay;
import io.eden.adapters.redis.resp.RespWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the clients of one interlay. A plain-text client joins a {@link ClientLoop} (its
 * commands go on their way from the loop, its replies straight from the lane readers); a TLS
 * client is served by virtual threads of its own, since {@code SSLSocket} blocks.
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
    /** The TLS interlay's socket: its clients need blocking streams. Null on a plain-text interlay. */
    private final ServerSocket server;
    /** The plain-text interlay's socket: its clients are non-blocking channels. Null on a TLS interlay. */
    private final ServerSocketChannel serverChannel;
    private final Consumer<RedisInterlayListener> onClosed;
    private final Set<ClientSession> clients = ConcurrentHashMap.newKeySet();
    /** Accepted TLS sockets still in their handshake: they count against max-clients and close with the listener. */
    private final Set<Socket> handshakes = ConcurrentHashMap.newKeySet();
    /** Null on a plain-text interlay. */
    private final ClientTls tls;
    private final Lanes lanes;
    private final InflightBudget budget;
    private final AtomicLong clientNumbers = new AtomicLong();
    private volatile boolean closed;
    private volatile Thread acceptor;

    private RedisInterlayListener(Interlay interlay, RouteView route, ProxySettings settings, ProxyMetrics metrics,
                                  ServerSocket server, ServerSocketChannel serverChannel, LaneGate gate,
                                  Consumer<RedisInterlayListener> onClosed) {
        this.interlay = interlay;
        this.route = route;
        this.settings = settings;
        this.metrics = metrics;
        this.server = server;
        this.serverChannel = serverChannel;
        this.onClosed = onClosed;
        this.tls = interlay.tls() ? settings.clientTls().orElseThrow() : null;
        this.commands = metrics.forInterlay(interlay.id(), clients::size);
        this.lanes = gate.lanes;
        this.budget = new InflightBudget(settings.inflightRequestBudget());
    }

    /**
     * Binds the interlay's address and starts accepting.
     *
     * @param gate     the interlay's lanes, shared with its data movement
     * @param onClosed told once this listener has closed, so its owner can forget it
     * @throws IOException when the address cannot be bound
     * @throws IllegalArgumentException when the interlay asks for TLS and the settings have no certificate
     */
    public static RedisInterlayListener start(Interlay interlay, RouteView route, ProxySettings settings,
                                              ProxyMetrics metrics, LaneGate gate,
                                              Consumer<RedisInterlayListener> onClosed)
            throws IOException {
        if (interlay.tls() && settings.clientTls().isEmpty()) {
            throw new IllegalArgumentException("interlay '" + interlay.id() + "' asks for TLS but no certificate is"
                    + " configured (redis.tls-cert-file, redis.tls-key-file)");
        }
        InetSocketAddress address = new InetSocketAddress(interlay.listen().host(), interlay.listen().port());
        ServerSocket server = null;
        ServerSocketChannel serverChannel = null;
        try {
            if (interlay.tls()) {
                server = new ServerSocket();
                server.setReuseAddress(true); // a restarted Eden must get its port back despite TIME_WAIT
                server.bind(address, BACKLOG);
            } else {
                serverChannel = ServerSocketChannel.open();
                serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                serverChannel.bind(address, BACKLOG);
            }
        } catch (IOException e) {
            Sockets.closeQuietly(server);
            Sockets.closeQuietly(serverChannel);
            throw new IOException("cannot listen on " + interlay.listen() + " for interlay '" + interlay.id()
                    + "': " + e.getMessage(), e);
        }
        RedisInterlayListener listener = new RedisInterlayListener(interlay, route, settings, metrics, server,
                serverChannel, gate, onClosed);
        listener.acceptor = Thread.ofVirtual().name("eden-redis-accept-" + interlay.id()).start(listener::acceptClients);
        InetSocketAddress bound = listener.boundAddress();
        LOG.info("Redis interlay '{}' listening on {}:{}{}", interlay.id(), bound.getHostString(), bound.getPort(),
                interlay.tls() ? " (TLS)" : "");
        return listener;
    }

    @Override
    public InetSocketAddress boundAddress() {
        if (server != null) {
            return (InetSocketAddress) server.getLocalSocketAddress();
        }
        try {
            return (InetSocketAddress) serverChannel.getLocalAddress();
        } catch (IOException e) {
            return null; // closed
        }
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
        Sockets.closeQuietly(serverChannel);
        awaitAcceptorEnd();
        for (Socket socket : List.copyOf(handshakes)) {
            Sockets.closeQuietly(socket);
        }
        for (ClientSession client : List.copyOf(clients)) {
            client.close();
        }
        lanes.close();
        LOG.info("Redis interlay '{}' stopped listening", interlay.id());
        onClosed.accept(this);
    }

    private void acceptClients() {
        while (!closed) {
            Socket socket = null;
            SocketChannel channel = null;
            try {
                if (server != null) {
                    socket = server.accept();
                } else {
                    channel = serverChannel.accept();
                }
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // e.g. out of file descriptors: keep serving the clients we have and retry shortly
                LOG.warn("Redis interlay '{}': accepting a client failed: {}", interlay.id(), e.toString());
                pause();
                continue;
            }
            if (channel != null) {
                serve(channel);
            } else {
                serve(socket);
            }
        }
    }

    private void serve(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        } catch (IOException e) {
            Sockets.closeQuietly(channel);
            return;
        }
        if (clients.size() >= settings.maxClients()) {
            metrics.maxClientsErrors.increment();
            Thread.ofVirtual().start(() -> turnAway(channel.socket()));
            return;
        }
        long number = clientNumbers.incrementAndGet();
        try {
            channel.configureBlocking(false);
        } catch (IOException e) {
            Sockets.closeQuietly(channel);
            return;
        }
        ClientSession client = new ClientSession(channel, ClientLoop.next(), interlay.id(), "client-" + number, route,
                settings, metrics, commands, lanes, budget, (int) (number % lanes.count), clients::remove);
        clients.add(client);
        if (closed) {
            client.close(); // close() may have copied the set before this client was added
            return;
        }
        client.register();
    }

    /** A client of a TLS interlay: its handshake, then its session, on a virtual thread of its own. */
    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
        } catch (IOException e) {
            Sockets.closeQuietly(socket);
            return;
        }
        if (clients.size() + handshakes.size() >= settings.maxClients()) {
            metrics.maxClientsErrors.increment();
            Thread.ofVirtual().start(() -> turnAway(socket));
            return;
        }
        long number = clientNumbers.incrementAndGet();
        handshakes.add(socket);
        if (closed) {
            handshakes.remove(socket);
            Sockets.closeQuietly(socket);
            return;
        }
        Thread.ofVirtual().name("eden-redis-" + interlay.id() + "-client-" + number).start(() -> {
            Socket secured = secure(socket);
            ClientSession client = secured == null ? null : session(secured, number);
            if (client != null) {
                client.run();
            }
        });
    }

    /** The client's TLS handshake, on its own thread; null when it failed (the socket is then closed). */
    private Socket secure(Socket socket) {
        try {
            return tls.handshake(socket);
        } catch (IOException e) {
            // a plain-text client on a TLS port, a scanner, a wrong CA at the client: its problem alone
            metrics.tlsHandshakeErrors.increment();
            LOG.debug("Redis interlay '{}': TLS handshake with {} failed: {}", interlay.id(),
                    socket.getRemoteSocketAddress(), e.toString());
            return null;
        } finally {
            handshakes.remove(socket);
        }
    }

    private ClientSession session(Socket socket, long number) {
        ClientSession client = new ClientSession(socket, interlay.id(), "client-" + number, route, settings, metrics,
                commands, lanes, budget, (int) (number % lanes.count), clients::remove);
        clients.add(client);
        if (closed) {
            client.close(); // close() may have copied the set before this client was added
            return null;
        }
        return client;
    }

    /** Redis's own refusal, in TLS on a TLS interlay: a client that cannot read it learns nothing. */
    private void turnAway(Socket socket) {
        Socket peer = socket;
        if (tls != null) {
            try {
                peer = tls.handshake(socket);
            } catch (IOException e) {
                return;
            }
        }
        try {
            peer.getOutputStream().write(RespWriter.encodeError("ERR max number of clients reached"));
            peer.getOutputStream().flush();
        } catch (IOException ignored) {
            // it is being turned away anyway
        }
        Sockets.closeAfterReply(peer);
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

package io.eden.adapters.pgwire;

import io.eden.domain.model.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code pool_size} server connections of one user and database, shared by that
 * user's clients across the event loops. Checkout and checkin are a few field updates under
 * the pool's monitor, taken by loop threads only briefly and never while waiting: a client
 * without a connection is queued on its loop and handed one when another client's
 * transaction ends. Idle connections and waiting clients are kept per loop, so a connection
 * usually stays on the loop it is on; it moves only to keep every loop served.
 */
final class Pool {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pool.class);
    final PgListener listener;
    final Endpoint endpoint;
    final String user;
    final String database;
    private final int size;
    private final EventLoops loops;
    private final ArrayDeque<PooledServer>[] idle;
    private final ArrayDeque<PooledClient>[] waiters;
    /** Connections per loop, idle, in use or being opened for it: kept near fair shares. */
    private final int[] owned;
    private final List<PooledServer> all = new ArrayList<>();
    private final Object primeLock = new Object();
    private int total;
    private boolean closed;
    /** What the latest client proved; only keys and hashes, never a password. */
    volatile ServerLink.Secret secret;
    volatile Map<String, String> startupParameters;
    volatile Map<String, String> serverParameters;
    private final ConcurrentHashMap<ByteKey, Statement> statements = new ConcurrentHashMap<>();
    private final AtomicInteger statementNumbers = new AtomicInteger();

    /** A prepared statement as the server knows it: Eden's own name and the client's Parse without its name. */
    static final class Statement {
        final byte[] name;
        final byte[] tail;
        /** A server accepted this Parse once: a client may prepare it again without a server. */
        volatile boolean validated;

        Statement(byte[] name, byte[] tail) {
            this.name = name;
            this.tail = tail;
        }
    }

    @SuppressWarnings("unchecked")
    Pool(PgListener listener, Endpoint endpoint, String user, String database) {
        this.listener = listener;
        this.endpoint = endpoint;
        this.user = user;
        this.database = database;
        this.size = listener.settings.poolSize();
        this.loops = listener.loops;
        int n = loops.count();
        idle = new ArrayDeque[n];
        waiters = new ArrayDeque[n];
        owned = new int[n];
        for (int i = 0; i < n; i++) {
            idle[i] = new ArrayDeque<>();
            waiters[i] = new ArrayDeque<>();
        }
    }

    /** The statement for a Parse's query and parameter types ({@code tail}, a probe), shared by all clients of the pool. */
    Statement intern(ByteKey tail) {
        Statement known = statements.get(tail);
        if (known != null) {
            return known;
        }
        ByteKey key = ByteKey.copyOf(tail);
        return statements.computeIfAbsent(key, k -> new Statement(
                ("eden_" + statementNumbers.incrementAndGet()).getBytes(StandardCharsets.US_ASCII), k.bytes()));
    }

    /**
     * The first login of the pool opens its first connection itself (blocking, on the
     * client's virtual thread): every client is told that server's parameters.
     */
    void prime() throws IOException {
        if (serverParameters != null) {
            return;
        }
        synchronized (primeLock) {
            if (serverParameters != null) {
                return;
            }
            EventLoop loop = loops.next();
            synchronized (this) {
                if (closed) {
                    throw new IOException("the pool is closed");
                }
                total++;
                owned[loop.index]++;
            }
            PooledServer server;
            try {
                server = PooledServer.open(this);
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    total--;
                    owned[loop.index]--;
                }
                throw e;
            }
            LOG.debug("pool {}@{}: opened server {} (first)", user, database, server.link.pid);
            serverParameters = Map.copyOf(server.link.parameters);
            loop.execute(() -> arrived(server, loop));
        }
    }

    /** A connection for {@code client} now (its loop's thread), or null: the client is queued. */
    PooledServer acquire(PooledClient client) throws ServerLink.ServerError {
        int l = client.loop.index;
        boolean open = false;
        int donor = -1;
        synchronized (this) {
            if (closed) {
                throw new ServerLink.ServerError("08006", "Eden cannot reach the server: the pool is closed");
            }
            PooledServer server = idle[l].pollLast();
            if (server != null) {
                markInUse(server);
                return server;
            }
            waiters[l].addLast(client);
            for (int o = 0; o < idle.length && donor < 0; o++) {
                if (!idle[o].isEmpty()) {
                    donor = o;
                }
            }
            if (donor < 0 && total < size) {
                total++;
                owned[l]++;
                open = true;
            }
        }
        if (open) {
            openFor(client.loop);
        } else if (donor >= 0) {
            EventLoop from = loops.get(donor);
            from.execute(() -> giveIdle(from));
        }
        return null;
    }

    /** A waiting client gave up or left; true when it was still queued. */
    synchronized boolean cancelWait(PooledClient client) {
        return waiters[client.loop.index].remove(client);
    }

    private void markInUse(PooledServer server) {
        server.inUse = true;
        listener.serversInUse.incrementAndGet();
    }

    /** The connection's transaction is over and it is reset (its owner loop's thread). */
    void release(PooledServer server) {
        EventLoop here = server.loop;
        PooledClient next;
        int target;
        synchronized (this) {
            if (server.inUse) {
                server.inUse = false;
                listener.serversInUse.decrementAndGet();
            }
            if (closed) {
                server.close();
                return;
            }
            target = waiterLoop(here.index);
            if (target < 0) {
                idle[here.index].addLast(server);
                return;
            }
            next = waiters[target].pollFirst();
            markInUse(server);
            moveOwner(here.index, target);
        }
        deliver(server, here, next, target);
    }

    /** A connection just opened joins the pool on {@code loop} (that loop's thread). */
    private void arrived(PooledServer server, EventLoop loop) {
        synchronized (this) {
            all.add(server);
        }
        if (server.adopt(loop)) {
            release(server);
        }
    }

    /** Hands an idle connection of {@code from} to a client waiting on another loop ({@code from}'s thread). */
    private void giveIdle(EventLoop from) {
        PooledServer server;
        PooledClient next;
        int target;
        synchronized (this) {
            if (idle[from.index].isEmpty()) {
                return;
            }
            target = waiterLoop(from.index);
            if (target < 0) {
                return;
            }
            server = idle[from.index].pollLast();
            next = waiters[target].pollFirst();
            markInUse(server);
            moveOwner(from.index, target);
        }
        deliver(server, from, next, target);
    }

    private void moveOwner(int from, int to) {
        owned[from]--;
        owned[to]++;
    }

    private void deliver(PooledServer server, EventLoop here, PooledClient next, int target) {
        if (target == here.index) {
            here.later(() -> next.assigned(server));
            return;
        }
        server.leave();
        EventLoop there = loops.get(target);
        there.execute(() -> {
            if (server.adopt(there)) {
                next.assigned(server);
            } else {
                next.assigned(null);
            }
        });
    }

    /**
     * Which loop's waiter gets a connection freed on loop {@code here}: one starved loop
     * before the local queue, then the local queue, then the oldest waiter anywhere; -1 when
     * nobody waits. Called with the monitor held.
     */
    private int waiterLoop(int here) {
        int n = waiters.length;
        if (n == 1) {
            return waiters[0].isEmpty() ? -1 : 0;
        }
        int fair = (size + n - 1) / n;
        if (owned[here] > fair) {
            for (int x = 0; x < n; x++) {
                if (x != here && owned[x] < fair && !waiters[x].isEmpty()) {
                    return x;
                }
            }
        }
        if (!waiters[here].isEmpty()) {
            return here;
        }
        int best = -1;
        for (int x = 0; x < n; x++) {
            if (!waiters[x].isEmpty() && (best < 0
                    || waiters[x].peekFirst().waitStart() - waiters[best].peekFirst().waitStart() < 0)) {
                best = x;
            }
        }
        return best;
    }

    /** Opens a connection for the clients waiting on {@code loop}, on a virtual thread. */
    private void openFor(EventLoop loop) {
        Thread.ofVirtual().name("eden-pg-connect").start(() -> {
            try {
                PooledServer server = PooledServer.open(this);
                LOG.debug("pool {}@{}: opened server {}", user, database, server.link.pid);
                loop.execute(() -> arrived(server, loop));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> openFailed(e, loop));
            }
        });
    }

    /**
     * A connection could not be opened: the client waiting longest on that loop gets the
     * error; when the pool has no connection at all, every waiting client does.
     */
    private void openFailed(Exception e, EventLoop loop) {
        List<PooledClient> failing = new ArrayList<>();
        synchronized (this) {
            total--;
            owned[loop.index]--;
            if (total == 0) {
                for (ArrayDeque<PooledClient> queue : waiters) {
                    failing.addAll(queue);
                    queue.clear();
                }
            } else {
                PooledClient first = waiters[loop.index].pollFirst();
                if (first != null) {
                    failing.add(first);
                }
            }
        }
        String sqlState = e instanceof ServerLink.ServerError error ? error.sqlState : "08006";
        String message = e instanceof ServerLink.ServerError ? e.getMessage()
                : "Eden cannot reach the server: " + e.getMessage();
        for (PooledClient client : failing) {
            client.loop.execute(() -> client.refused(sqlState, message));
        }
    }

    /** Forgets a dead connection (its owner loop's thread) and opens another if clients wait. */
    void discard(PooledServer server) {
        EventLoop openOn = null;
        synchronized (this) {
            if (all.remove(server)) {
                total--;
                owned[server.loop.index]--;
            }
            idle[server.loop.index].remove(server);
            if (server.inUse) {
                server.inUse = false;
                listener.serversInUse.decrementAndGet();
            }
            if (!closed && total < size) {
                int target = waiterLoop(server.loop.index);
                if (target >= 0) {
                    total++;
                    owned[target]++;
                    openOn = loops.get(target);
                }
            }
        }
        if (openOn != null) {
            openFor(openOn);
        }
    }

    void close() {
        List<PooledServer> servers;
        synchronized (this) {
            closed = true;
            servers = List.copyOf(all);
        }
        servers.forEach(PooledServer::close);
    }
}

package io.eden.adapters.pgwire;

import io.eden.domain.model.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** At most {@code pool_size} server connections of one user and database, shared by that user's clients. */
final class Pool {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Pool.class);
    final PgListener listener;
    final Endpoint endpoint;
    final String user;
    final String database;
    private final int size;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<PooledServer> idle = new ArrayDeque<>();
    private final List<PooledServer> all = new ArrayList<>();
    private int total;
    private boolean closed;
    /** What the latest client proved; only keys and hashes, never a password. */
    volatile ServerLink.Secret secret;
    volatile Map<String, String> startupParameters;
    volatile Map<String, String> serverParameters;
    private final ConcurrentHashMap<ByteBuffer, Statement> statements = new ConcurrentHashMap<>();
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

    Pool(PgListener listener, Endpoint endpoint, String user, String database) {
        this.listener = listener;
        this.endpoint = endpoint;
        this.user = user;
        this.database = database;
        this.size = listener.settings.poolSize();
    }

    /** The statement for a Parse body's query and parameter types, shared by all clients of the pool. */
    Statement intern(byte[] tail) {
        return statements.computeIfAbsent(ByteBuffer.wrap(tail), k -> new Statement(
                ("eden_" + statementNumbers.incrementAndGet()).getBytes(StandardCharsets.US_ASCII), tail));
    }

    PooledServer acquire() throws IOException {
        long start = System.nanoTime();
        long waitLeft = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(listener.settings.poolWaitTimeoutMillis());
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IOException("the pool is closed");
                }
                PooledServer server = idle.pollLast();
                if (server != null) {
                    if (server.isDead()) {
                        continue;
                    }
                    server.inUse = true;
                    listener.serversInUse.incrementAndGet();
                    return server;
                }
                if (total < size) {
                    total++;
                    break;
                }
                if (waitLeft <= 0) {
                    throw new ServerLink.ServerError("53300", "Eden: no server connection of pool " + user + "@"
                            + database + " became free within " + listener.settings.poolWaitTimeoutMillis()
                            + " ms (pool_size " + size + "); raise pool_size or pool_wait_timeout_ms");
                }
                try {
                    waitLeft = available.awaitNanos(waitLeft);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for a pooled connection");
                }
            }
        } finally {
            lock.unlock();
            listener.metrics.poolWait.recordNanos(System.nanoTime() - start);
        }
        try {
            PooledServer server = PooledServer.open(this);
            LOG.debug("pool {}@{}: opened server {} ({} of {})", user, database, server.link.pid, total, size);
            lock.lock();
            try {
                all.add(server);
                if (closed) {
                    server.close();
                    throw new IOException("the pool is closed");
                }
            } finally {
                lock.unlock();
            }
            if (serverParameters == null) {
                serverParameters = Map.copyOf(server.link.parameters);
            }
            server.inUse = true;
            listener.serversInUse.incrementAndGet();
            return server;
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                total--;
                available.signal();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    void release(PooledServer server) {
        lock.lock();
        try {
            if (server.inUse) {
                server.inUse = false;
                listener.serversInUse.decrementAndGet();
            }
            if (closed) {
                server.close();
                return;
            }
            idle.addLast(server);
            available.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a dead server connection, making room for a new one. */
    void discard(PooledServer server) {
        lock.lock();
        try {
            if (all.remove(server)) {
                total--;
            }
            idle.remove(server);
            if (server.inUse) {
                server.inUse = false;
                listener.serversInUse.decrementAndGet();
            }
            available.signal();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        List<PooledServer> servers;
        lock.lock();
        try {
            closed = true;
            servers = List.copyOf(all);
            available.signalAll();
        } finally {
            lock.unlock();
        }
        servers.forEach(PooledServer::close);
    }
}

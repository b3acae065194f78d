package io.eden.adapters.pgwire;

import java.io.IOException;

/**
 * A logged-in transaction-mode client on an event loop. It borrows a pooled server
 * connection for each transaction; named prepared statements are renamed to pool-wide names
 * and prepared on whichever connection runs them. Messages whose contents Eden does not
 * change are passed on as they arrive, header and body, without being parsed or copied whole.
 */
final class PooledClient extends LoopConnection implements AutoCloseable {
    private final ClientConnection client;
    private final PgListener listener;
    private final Pool pool;
    final ClientStatements statements = new ClientStatements();
    private final int maxMessage;
    private byte[] early;
    /** Read by the cancel thread. */
    private volatile PooledServer server;
    private boolean waiting;
    private long waitStart;
    private final Deadline waitLimit = new Deadline() {
        @Override
        void expire() {
            waitedTooLong();
        }
    };
    private boolean heldForBacklog;
    /** Since the last Sync, every message was answered by Eden without a server connection. */
    private boolean localBatch;
    /** Bytes of a client message still to pass to the server: until then the connection stays. */
    private int forwardLeft;
    private long batchStart;
    int edenPid;

    PooledClient(ClientConnection client, Pool pool) {
        this.client = client;
        this.listener = client.listener;
        this.pool = pool;
        this.maxMessage = listener.settings.maxClientMessage();
    }

    PooledServer server() {
        return server;
    }

    /** Moves the logged-in client to an event loop; its virtual thread is done after this. */
    void handOver() throws IOException {
        EventLoop target = listener.loops.next();
        loop = target;
        if (client.tls) {
            io = TlsBridge.start(client.socket, client.in, client.out, "eden-pg-client-" + edenPid);
            early = new byte[0];
        } else {
            early = client.in.takeBuffered();
            io = LoopChannel.of(client.channel);
        }
        target.execute(this::start);
    }

    private void start() {
        try {
            io.register(loop, this);
        } catch (IOException e) {
            failed(e);
            return;
        }
        if (early.length > 0) {
            in = loop.takeBuffer();
            in.put(early);
            early = null;
            resume();
        }
        early = null;
    }

    long waitStart() {
        return waitStart;
    }

    boolean idleBetweenMessages() {
        return forwardLeft == 0;
    }

    boolean heldForBacklog() {
        return heldForBacklog;
    }

    @Override
    void process() throws IOException, ProtocolViolation {
        while (!held && !closed) {
            if (forwardLeft > 0) {
                int n = Math.min(forwardLeft, in == null ? 0 : in.readable());
                if (n == 0) {
                    break;
                }
                server.out().move(in, n);
                forwardLeft -= n;
                if (forwardLeft == 0) {
                    messageDone();
                }
                holdIfBackedUp();
                continue;
            }
            if (in == null || in.readable() < 5) {
                break;
            }
            int type = in.at(0);
            int len = in.intAt(1) - 4;
            if (!Wire.isFrontendType(type)) {
                throw new ProtocolViolation("invalid frontend message type " + type);
            }
            if (len < 0 || len > maxMessage) {
                throw new ProtocolViolation("invalid message length");
            }
            if (type == 'X') {
                closeNow();
                return;
            }
            if (type == 'p') {
                throw new ProtocolViolation("unexpected password message after authentication");
            }
            // query text, COPY data and function arguments pass in pieces; the rest is small and inspected whole
            boolean streamed = type == 'Q' || type == 'd' || type == 'F' || type == 'f';
            if (!streamed && in.readable() < 5 + len) {
                in.growToward(5 + len);
                break;
            }
            if (batchStart == 0) {
                batchStart = System.nanoTime();
            }
            if (!streamed && answerLocally(type, len)) {
                in.skip(5 + len);
                continue;
            }
            PooledServer s = attach();
            if (s == null) {
                break;
            }
            localBatch = false;
            listener.throughput.increment();
            switch (type) {
                case 'P' -> StatementRewriter.parse(this, s, len);
                case 'B' -> StatementRewriter.bind(this, s, len);
                case 'D' -> StatementRewriter.describe(this, s, len);
                case 'C' -> StatementRewriter.close(this, s, len);
                default -> {
                    if (type == 'Q' || type == 'S' || type == 'E' || type == 'F') {
                        s.push(type, PendingQueue.FORWARD, 0, null);
                    }
                    int n = Math.min(5 + len, in.readable());
                    s.out().move(in, n);
                    forwardLeft = 5 + len - n;
                }
            }
            if (forwardLeft == 0) {
                messageDone();
            }
            holdIfBackedUp();
        }
        if (batchStart != 0 && !held && (in == null || in.readable() == 0)) {
            listener.metrics.requestLatency.recordNanos(System.nanoTime() - batchStart);
            batchStart = 0;
        }
    }

    private void holdIfBackedUp() {
        PooledServer s = server;
        if (s != null && s.backedUp()) {
            held = true;
            heldForBacklog = true;
        }
    }

    private void messageDone() {
        PooledServer s = server;
        if (s != null) {
            s.afterClientMessage(this);
        }
    }

    /**
     * Without a server connection, a Parse of a statement some server already accepted (and
     * the Sync or Flush after it) is answered by Eden: clients that prepare while others hold
     * every pooled connection in a transaction (pgbench -M prepared does it) do not wait.
     */
    private boolean answerLocally(int type, int len) {
        if (server != null) {
            return false;
        }
        if (type == 'P') {
            int b = in.r + 5;
            int end = b + len;
            int nameEnd = Wire.cstringEnd(in.a, b, end);
            if (nameEnd <= b) {
                return false;
            }
            Pool.Statement statement = statements.intern(pool, in.a, nameEnd + 1, end - nameEnd - 1);
            if (!statement.validated) {
                return false;
            }
            statements.remember(in.a, b, nameEnd - b, statement);
            reply('1');
            localBatch = true;
            return true;
        }
        if (localBatch && (type == 'S' || type == 'H')) {
            if (type == 'S') {
                Buf o = out();
                o.put('Z');
                o.putInt(5);
                o.put('I');
                localBatch = false;
            }
            return true;
        }
        return false;
    }

    /** A body-less reply (ParseComplete, CloseComplete) Eden gives itself. */
    void reply(int type) {
        Buf o = out();
        o.put(type);
        o.putInt(4);
    }

    Pool pool() {
        return pool;
    }

    /** The server connection this client holds, or one from the pool; null when the client now waits. */
    private PooledServer attach() throws IOException {
        PooledServer s = server;
        if (s != null) {
            return s;
        }
        try {
            s = pool.acquire(this);
        } catch (ServerLink.ServerError e) {
            refused(e.sqlState, e.getMessage());
            return null;
        }
        if (s == null) {
            waiting = true;
            held = true;
            waitStart = System.nanoTime();
            waitLimit.arm(loop, waitStart, listener.settings.poolWaitTimeoutMillis() * 1_000_000L);
            return null;
        }
        listener.metrics.poolWait.recordNanos(0);
        s.attached = this;
        server = s;
        return s;
    }

    /** The pool hands this waiting client a connection (this loop's thread), or null to try again. */
    void assigned(PooledServer s) {
        waiting = false;
        waitLimit.cancel();
        if (closed) {
            if (s != null) {
                pool.release(s);
            }
            return;
        }
        if (s == null || s.isDead()) {
            held = false;
            resume();
            return;
        }
        listener.metrics.poolWait.recordNanos(System.nanoTime() - waitStart);
        s.attached = this;
        server = s;
        resume();
    }

    private void waitedTooLong() {
        if (!waiting || closed || !pool.cancelWait(this)) {
            return;
        }
        waiting = false;
        refused("53300", "Eden: no server connection of pool " + pool.user + "@" + pool.database
                + " became free within " + listener.settings.poolWaitTimeoutMillis() + " ms (pool_size "
                + listener.settings.poolSize() + "); raise pool_size or pool_wait_timeout_ms");
    }

    /** No server connection for this client: it gets the error and is disconnected. */
    void refused(String sqlState, String message) {
        listener.metrics.upstreamErrors.increment();
        fatal(sqlState, message);
    }

    /** Called by the server connection when it goes back to the pool. */
    void detached(PooledServer s) {
        if (server == s) {
            server = null;
        }
    }

    /** The server connection died under this client: it gets an error, not a hang. */
    void serverLost() {
        if (!closed) {
            listener.metrics.upstreamErrors.increment();
            fatal("08006", "Eden: the server closed the connection unexpectedly");
        }
    }

    @Override
    void violation(ProtocolViolation e) {
        listener.metrics.protocolErrors.increment();
        fatal("08P01", e.getMessage());
    }

    private void fatal(String sqlState, String message) {
        if (closed) {
            return;
        }
        Buf o = out();
        o.put(Wire.errorMessage("FATAL", sqlState, message));
        flush();
        closeNow();
    }

    @Override
    void drained() {
        PooledServer s = server;
        if (s != null && s.held) {
            s.resume();
        }
    }

    @Override
    void resume() {
        heldForBacklog = false;
        super.resume();
    }

    @Override
    void failed(IOException e) {
        closeNow();
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        if (waiting) {
            waiting = false;
            waitLimit.cancel();
            pool.cancelWait(this);
        }
        PooledServer s = server;
        server = null;
        if (s != null) {
            s.abandon(this, forwardLeft > 0);
        }
        closeChannel();
        client.leftLoop(edenPid);
    }

    /** Closes from any thread: the client's loop finishes it off. */
    @Override
    public void close() {
        EventLoop l = loop;
        if (l == null) {
            return;
        }
        if (l.inLoop()) {
            closeNow();
        } else {
            l.execute(this::closeNow);
        }
    }
}

package io.eden.adapters.pgwire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A pooled server connection on an event loop. Every message sent to the server is recorded
 * in {@link #pending}, so each response is known to answer a client request (forwarded), one
 * of Eden's own messages (dropped), or to be followed by replies Eden gives in the server's
 * place (a Parse of a statement this connection already has). Responses are passed to the
 * client as they arrive, without waiting for whole messages, except ReadyForQuery and
 * CommandComplete, whose contents decide what happens to the connection.
 */
final class PooledServer extends LoopConnection implements AutoCloseable {
    private static final byte[] SYNC = {'S', 0, 0, 0, 4};
    private static final byte[] ROLLBACK = query("ROLLBACK");
    private static final byte[] DISCARD_ALL = query("DISCARD ALL");

    final Pool pool;
    final ServerLink link;
    /** The statements this connection has prepared (interned per pool, so identity is enough). */
    final Set<Pool.Statement> prepared = new HashSet<>();
    private final PendingQueue pending = new PendingQueue();
    /** The client served now; null while the pool owns the connection. */
    PooledClient attached;
    /** Guarded by the pool's lock. */
    boolean inUse;
    /** An extended-protocol batch was started and its Sync not sent yet: the connection stays. */
    private boolean batchOpen;
    private boolean pinned;
    private boolean dirty;
    private boolean inCopyIn;
    private int txStatus = 'I';
    private volatile boolean dead;
    /** The message being passed on: its type, the bytes of it still to come, who gets them. */
    private int msgType;
    private int msgLeft;
    private PooledClient msgClient;
    private PooledClient msgTarget;
    private int readyStatus;
    private int tagEffect;

    private PooledServer(Pool pool, ServerLink link) {
        this.pool = pool;
        this.link = link;
    }

    /** Connects and logs in (blocking: call on a virtual thread); {@link #adopt} puts it on a loop. */
    static PooledServer open(Pool pool) throws IOException {
        ServerLink link = ServerLink.open(pool.endpoint.uri(), pool.listener.settings.connectTimeoutMillis());
        try {
            link.login(pool.startupParameters, pool.secret);
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
        return new PooledServer(pool, link);
    }

    private static byte[] query(String sql) {
        byte[] q = sql.getBytes(StandardCharsets.UTF_8);
        byte[] m = new byte[6 + q.length];
        m[0] = 'Q';
        Wire.putInt(m, 1, 5 + q.length);
        System.arraycopy(q, 0, m, 5, q.length);
        return m;
    }

    boolean isDead() {
        return dead;
    }

    /** Makes {@code next} the owner (its thread); false when the connection died meanwhile. */
    boolean adopt(EventLoop next) {
        try {
            if (io == null) {
                // a TLS bridge reads the buffered bytes itself
                byte[] early = link.tls ? new byte[0] : link.in.takeBuffered();
                loop = next;
                io = link.loopChannel("eden-pg-server-" + link.pid);
                if (early.length > 0) {
                    in = next.takeBuffer();
                    in.put(early);
                }
            }
            loop = next;
            io.register(next, this);
            return !dead;
        } catch (IOException e) {
            failed(e);
            return false;
        }
    }

    /** The owner stops watching the connection before it goes to another loop (owner's thread). */
    void leave() {
        io.leave();
    }

    /** Records a message about to be written. */
    void push(int kind, byte action, int fake, Pool.Statement statement) {
        if (kind == 'S' || kind == 'Q' || kind == 'F') {
            batchOpen = false;
        } else if (action != PendingQueue.SKIP) {
            batchOpen = true;
        }
        pending.push(kind, action, fake, statement);
    }

    /**
     * True when the entry just pushed is a FAKE with nothing before it: it is answered now, and
     * removed. Not while a message (a notice, say) is partly passed on: the reply waits for its end.
     */
    boolean takeFakeAtHead() {
        if (pending.size() == 1 && pending.headAction() == PendingQueue.FAKE && msgLeft == 0) {
            pending.pop();
            return true;
        }
        return false;
    }

    private static boolean completes(int kind, int type) {
        return switch (kind) {
            case 'P' -> type == '1';
            case 'B' -> type == '2';
            case 'C' -> type == '3';
            case 'D' -> type == 'T' || type == 'n';
            case 'E' -> type == 'C' || type == 'I' || type == 's';
            default -> type == 'Z'; // Sync, Query, FunctionCall
        };
    }

    @Override
    void process() throws IOException {
        while (!held && !closed) {
            if (msgLeft > 0) {
                int n = Math.min(msgLeft, in == null ? 0 : in.readable());
                if (n == 0) {
                    return;
                }
                pass(n);
                if (msgLeft > 0) {
                    return;
                }
                finishMessage();
                continue;
            }
            if (in == null || in.readable() < 5) {
                return;
            }
            int type = in.at(0);
            int len = in.intAt(1) - 4;
            if (len < 0) {
                throw new IOException("malformed message from the server");
            }
            if (type == 'Z' || type == 'C') {
                if (len > Wire.INSPECT_LIMIT) {
                    throw new IOException("oversized message from the server");
                }
                if (in.readable() < 5 + len) {
                    in.growToward(5 + len);
                    return;
                }
                if (type == 'Z') {
                    readyStatus = len > 0 ? in.at(5) : 'I';
                } else {
                    tagEffect = CommandTag.effect(in.a, in.r + 5, len);
                }
            }
            PooledClient client = attached;
            boolean async = type == 'N' || type == 'A' || type == 'S';
            boolean forward = client != null && (async || type == 'E' || pending.isEmpty()
                    || pending.headAction() != PendingQueue.SKIP);
            msgType = type;
            msgLeft = 5 + len;
            msgClient = client;
            msgTarget = forward ? client : null;
        }
    }

    private void pass(int n) {
        PooledClient target = msgTarget;
        if (target != null && !target.closed) {
            target.out().move(in, n);
            if (target.backedUp()) {
                held = true; // the client's drain resumes this
            }
        } else {
            in.skip(n);
        }
        msgLeft -= n;
    }

    private void finishMessage() {
        int type = msgType;
        PooledClient client = msgClient;
        msgClient = null;
        msgTarget = null;
        switch (type) {
            case 'Z' -> txStatus = readyStatus;
            case 'C' -> {
                inCopyIn = false;
                if (client != null) {
                    applyTag(tagEffect);
                }
            }
            case 'G' -> inCopyIn = true;
            case 'E' -> inCopyIn = false;
            case 'S' -> {
                if (client != null) {
                    dirty = true;
                }
            }
            default -> {
            }
        }
        boolean answers = type != 'N' && type != 'A' && type != 'S' && !pending.isEmpty();
        if (answers) {
            settle(type);
        }
        while (!pending.isEmpty() && pending.headAction() == PendingQueue.FAKE) {
            if (client != null && !client.closed) {
                Buf o = client.out();
                o.put(pending.headFake());
                o.putInt(4);
            }
            pending.pop();
        }
        if (answers && type == 'Z' && pending.isEmpty()) {
            if (attached == null) {
                recycle();
            } else if (attached.idleBetweenMessages() && !batchOpen && txStatus == 'I' && !pinned) {
                detach();
                recycle();
            }
        }
    }

    /** Takes what the server's response {@code type} answers off the pending queue. */
    private void settle(int type) {
        int kind = pending.headKind();
        if (type == 'E' && kind != 'Q' && kind != 'S' && kind != 'F') {
            // an error in an extended-protocol batch: the server skips to the Sync
            forget(pending.headStatement());
            pending.pop();
            while (!pending.isEmpty() && pending.headKind() != 'S') {
                if (pending.headAction() != PendingQueue.FAKE && pending.headKind() == 'P') {
                    forget(pending.headStatement());
                }
                pending.pop();
            }
        } else if (completes(kind, type)) {
            Pool.Statement statement = pending.headStatement();
            pending.pop();
            if (type == '1' && statement != null) {
                statement.validated = true;
            }
        }
    }

    private void forget(Pool.Statement statement) {
        if (statement != null) {
            prepared.remove(statement);
        }
    }

    private void applyTag(int effect) {
        switch (effect) {
            case CommandTag.DIRTY -> dirty = true;
            case CommandTag.LISTEN -> {
                dirty = true;
                pinned = true;
            }
            case CommandTag.DISCARD -> {
                prepared.clear();
                dirty = true;
            }
            default -> {
            }
        }
    }

    private void detach() {
        PooledClient client = attached;
        attached = null;
        client.detached(this);
    }

    /**
     * The attached client handed one whole message over. When the server has answered
     * everything and the transaction is over, the connection goes back to the pool.
     */
    void afterClientMessage(PooledClient client) {
        if (attached == client && pending.isEmpty() && !batchOpen && txStatus == 'I' && !pinned && !inCopyIn) {
            detach();
            recycle();
        }
    }

    /**
     * Makes a connection nobody uses any more fit for the next client: roll back an open
     * transaction, reset session state if the client changed any, then back into the pool.
     * Each step that needs the server comes back here when its ReadyForQuery arrives.
     */
    private void recycle() {
        byte[] sql = null;
        if (txStatus != 'I') {
            sql = ROLLBACK;
        } else if (dirty || pinned) {
            dirty = false;
            pinned = false;
            prepared.clear();
            sql = DISCARD_ALL;
        }
        if (sql == null) {
            pool.release(this);
            return;
        }
        push('Q', PendingQueue.SKIP, 0, null);
        out().put(sql);
    }

    /**
     * The client left while it held this connection: the connection is finished off (its
     * batch answered, rolled back, reset) before any other client gets it. A message the
     * client left half sent cannot be finished, nor a COPY IN: that connection is closed.
     */
    void abandon(PooledClient client, boolean midMessage) {
        if (attached != client) {
            return;
        }
        attached = null;
        if (msgTarget == client) {
            msgTarget = null;
        }
        if (msgClient == client) {
            msgClient = null;
        }
        if (held) {
            loop.later(this::resume);
        }
        if (midMessage || inCopyIn) {
            died(null);
        } else if (pending.isEmpty() && !batchOpen) {
            recycle();
        } else if (pending.isEmpty() || (pending.lastKind() != 'S' && pending.lastKind() != 'Q'
                && pending.lastKind() != 'F')) {
            push('S', PendingQueue.SKIP, 0, null);
            out().put(SYNC);
        }
    }

    @Override
    void drained() {
        PooledClient client = attached;
        if (client != null && client.heldForBacklog()) {
            client.resume();
        }
    }

    @Override
    void failed(IOException e) {
        died(e);
    }

    private void died(IOException e) {
        if (closed && dead) {
            return;
        }
        dead = true;
        closeChannel();
        link.close();
        PooledClient client = attached;
        attached = null;
        pending.clear();
        if (client != null) {
            client.detached(this);
            client.serverLost();
        }
        pool.discard(this);
    }

    /** Closes from any thread; the owner loop then discards the connection. */
    @Override
    public void close() {
        dead = true;
        link.close();
        EventLoop owner = loop;
        if (owner != null) {
            // a channel closed by another thread never becomes ready again: tell the owner
            owner.execute(() -> died(null));
        }
    }
}

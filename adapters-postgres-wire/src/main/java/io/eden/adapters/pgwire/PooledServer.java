package io.eden.adapters.pgwire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pooled server connection and its reader thread. Every message sent to the server is
 * recorded as a {@link Pending} entry, so the reader knows which client request each response
 * answers, which responses Eden made the server produce for itself (skipped), and where to put
 * the answers Eden gives without asking the server (a Parse of a statement this connection
 * already has).
 */
final class PooledServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PooledServer.class);
    static final byte FORWARD = 0;
    static final byte SKIP = 1;
    static final byte FAKE = 2;

    final Pool pool;
    final ServerLink link;
    final ReentrantLock lock = new ReentrantLock();
    /** Eden's statement names this connection has prepared. */
    final Set<ByteBuffer> prepared = ConcurrentHashMap.newKeySet();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** The client served now; null while the pool owns the connection. Guarded by {@link #lock}. */
    TransactionClient attached;
    /** True while the attached client's thread handles a message: the connection cannot go back then. */
    boolean clientBusy;
    /** An extended-protocol batch was started and its Sync not sent yet: the connection stays. */
    private boolean batchOpen;
    volatile boolean inUse;
    volatile boolean pinned;
    private volatile boolean dirty;
    private volatile boolean dead;
    private volatile boolean inCopyIn;
    private volatile int txStatus = 'I';

    record Pending(byte kind, byte action, byte fake, Pool.Statement statement) {
    }

    private PooledServer(Pool pool, ServerLink link) {
        this.pool = pool;
        this.link = link;
    }

    static PooledServer open(Pool pool) throws IOException {
        ServerLink link = ServerLink.open(pool.endpoint.uri(), pool.listener.settings.connectTimeoutMillis());
        try {
            link.login(pool.startupParameters, pool.secret);
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
        PooledServer server = new PooledServer(pool, link);
        Thread.ofVirtual().name("eden-pg-server-" + link.pid).start(server::readLoop);
        return server;
    }

    boolean isDead() {
        return dead;
    }

    /** Called with {@link #lock} held: records a message about to be written. */
    void push(byte kind, byte action, byte fake, Pool.Statement statement) {
        if (kind == 'S' || kind == 'Q' || kind == 'F') {
            batchOpen = false;
        } else if (action != SKIP) {
            batchOpen = true;
        }
        pending.addLast(new Pending(kind, action, fake, statement));
    }

    /** Called with {@link #lock} held: true when the entry just pushed is a FAKE at the head, removed here. */
    boolean takeFakeAtHead() {
        Pending head = pending.peekFirst();
        if (head != null && head.action == FAKE && pending.size() == 1) {
            pending.pollFirst();
            return true;
        }
        return false;
    }

    private static boolean completes(byte kind, int type) {
        return switch (kind) {
            case 'P' -> type == '1';
            case 'B' -> type == '2';
            case 'C' -> type == '3';
            case 'D' -> type == 'T' || type == 'n';
            case 'E' -> type == 'C' || type == 'I' || type == 's';
            default -> type == 'Z'; // Sync, Query, FunctionCall
        };
    }

    private void readLoop() {
        InputStream in = link.in;
        byte[] header = new byte[5];
        byte[] scratch = new byte[ServerLink.BUFFER];
        Body body = new Body(8192);
        byte[] fakes = new byte[64];
        try {
            while (true) {
                Wire.readFully(in, header, 0, 5);
                int type = header[0];
                int len = Wire.getInt(header, 1) - 4;
                if (len < 0) {
                    throw new IOException("malformed message from the server");
                }
                TransactionClient client;
                Pending head;
                lock.lock();
                try {
                    client = attached;
                    head = pending.peekFirst();
                } finally {
                    lock.unlock();
                }
                boolean async = type == 'N' || type == 'A' || type == 'S';
                boolean forward = client != null && (async || type == 'E' || head == null || head.action != SKIP);
                boolean small = len <= Wire.INSPECT_LIMIT;
                if (small) {
                    body.read(in, len);
                }
                if (forward) {
                    OutputStream out = client.client.out;
                    try {
                        synchronized (out) {
                            out.write(header, 0, 5);
                            if (small) {
                                out.write(body.data, 0, len);
                            } else {
                                Wire.copy(in, out, len, scratch);
                            }
                        }
                    } catch (IOException e) {
                        client.clientLost();
                        if (!small) {
                            throw new IOException("lost a message half way", e);
                        }
                    }
                } else if (!small) {
                    in.skipNBytes(len);
                }
                switch (type) {
                    case 'Z' -> txStatus = body.data[0];
                    case 'C' -> {
                        inCopyIn = false;
                        if (client != null) {
                            inspectTag(body, len);
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
                int fakeCount = 0;
                boolean idleNow = false;
                if (!async && head != null) {
                    lock.lock();
                    try {
                        if (type == 'E' && head.kind != 'Q' && head.kind != 'S' && head.kind != 'F') {
                            // an error in an extended-protocol batch: the server skips to the Sync
                            pending.pollFirst();
                            if (head.statement != null) {
                                prepared.remove(ByteBuffer.wrap(head.statement.name));
                            }
                            while (!pending.isEmpty() && pending.peekFirst().kind != 'S') {
                                Pending dropped = pending.pollFirst();
                                if (dropped.statement != null && dropped.action != FAKE && dropped.kind == 'P') {
                                    prepared.remove(ByteBuffer.wrap(dropped.statement.name));
                                }
                            }
                        } else if (completes(head.kind, type)) {
                            pending.pollFirst();
                            if (type == '1' && head.statement != null) {
                                head.statement.validated = true;
                            }
                        }
                        while (!pending.isEmpty() && pending.peekFirst().action == FAKE) {
                            fakes[fakeCount++] = pending.pollFirst().fake;
                            if (fakeCount == fakes.length) {
                                fakes = java.util.Arrays.copyOf(fakes, fakes.length * 2);
                            }
                        }
                        idleNow = false;
                        if (type == 'Z' && pending.isEmpty()) {
                            if (attached == null) {
                                idleNow = true;
                            } else if (!clientBusy && !batchOpen && txStatus == 'I' && !pinned) {
                                attached.detached(this);
                                attached = null;
                                idleNow = true;
                            }
                        }
                    } finally {
                        lock.unlock();
                    }
                }
                if (client != null && (fakeCount > 0 || in.available() == 0 || idleNow || type == 'Z')) {
                    OutputStream out = client.client.out;
                    try {
                        synchronized (out) {
                            for (int i = 0; i < fakeCount; i++) {
                                out.write(fakes[i]);
                                Wire.writeInt(out, 4);
                            }
                            if (in.available() == 0 || idleNow || type == 'Z') {
                                out.flush();
                            }
                        }
                    } catch (IOException e) {
                        client.clientLost();
                    }
                }
                if (idleNow) {
                    recycle();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("server connection {} ended: {}", link.pid, e.toString(), e);
            died();
        }
    }

    private void inspectTag(Body body, int len) {
        byte[] b = body.data;
        if (startsWith(b, len, "SET") || startsWith(b, len, "RESET") || startsWith(b, len, "PREPARE")
                || startsWith(b, len, "DECLARE") || startsWith(b, len, "CREATE TABLE") || startsWith(b, len, "LOAD")
                || startsWith(b, len, "SELECT INTO")) {
            dirty = true;
        } else if (startsWith(b, len, "LISTEN")) {
            dirty = true;
            pinned = true;
        } else if (startsWith(b, len, "DISCARD ALL") || startsWith(b, len, "DEALLOCATE ALL")) {
            prepared.clear();
            dirty = true;
        }
    }

    private static boolean startsWith(byte[] b, int len, String prefix) {
        if (len < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The attached client's thread finished handing one message over. When the server has
     * answered everything and the transaction is over, the connection goes back to the pool.
     */
    void doneWithMessage(TransactionClient client) {
        boolean release = false;
        lock.lock();
        try {
            if (attached != client) {
                return;
            }
            clientBusy = false;
            if (pending.isEmpty() && !batchOpen && txStatus == 'I' && !pinned && !inCopyIn) {
                attached = null;
                client.detached(this);
                release = true;
            }
        } finally {
            lock.unlock();
        }
        if (release) {
            recycle();
        }
    }

    /**
     * Makes a connection nobody uses any more fit for the next client: roll back an open
     * transaction, reset session state if the client changed any, then back into the pool.
     * Each step that needs the server returns here when its ReadyForQuery arrives.
     */
    void recycle() {
        String sql = null;
        if (txStatus != 'I') {
            sql = "ROLLBACK";
        } else if (dirty || pinned) {
            dirty = false;
            pinned = false;
            prepared.clear();
            sql = "DISCARD ALL";
        }
        if (sql == null) {
            pool.release(this);
            return;
        }
        lock.lock();
        try {
            push((byte) 'Q', SKIP, (byte) 0, null);
        } finally {
            lock.unlock();
        }
        try {
            Wire.query(link.out, sql);
            link.out.flush();
        } catch (IOException e) {
            close();
        }
    }

    /**
     * The client left while it held this connection: the connection is finished off
     * (its batch answered, rolled back, reset) before any other client gets it.
     */
    void abandon(TransactionClient client) {
        boolean recycleNow = false;
        boolean needSync = false;
        boolean discard = false;
        lock.lock();
        try {
            if (attached != client) {
                return;
            }
            attached = null;
            clientBusy = false;
            if (inCopyIn) {
                discard = true;
            } else if (pending.isEmpty() && !batchOpen) {
                recycleNow = true;
            } else if (pending.isEmpty()) {
                push((byte) 'S', SKIP, (byte) 0, null);
                needSync = true;
            } else {
                byte last = pending.peekLast().kind;
                if (last != 'S' && last != 'Q' && last != 'F') {
                    push((byte) 'S', SKIP, (byte) 0, null);
                    needSync = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (discard) {
            close();
        } else if (needSync) {
            try {
                Wire.message(link.out, 'S', new byte[0]);
                link.out.flush();
            } catch (IOException e) {
                close();
            }
        } else if (recycleNow) {
            recycle();
        }
    }

    private void died() {
        dead = true;
        TransactionClient client;
        lock.lock();
        try {
            client = attached;
            attached = null;
            pending.clear();
        } finally {
            lock.unlock();
        }
        link.close();
        if (client != null) {
            client.detached(this);
            client.serverLost();
        }
        pool.discard(this);
    }

    @Override
    public void close() {
        dead = true;
        link.close();
    }
}

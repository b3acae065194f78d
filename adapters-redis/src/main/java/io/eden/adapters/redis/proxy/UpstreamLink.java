package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespFrames;
import io.eden.adapters.redis.resp.RespWriter;
import io.eden.domain.model.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipelined upstream connection: a lane's connection to one side, or a client's pinned one.
 * Senders write under {@link #lock} and queue a {@link Waiter} per command in the same FIFO
 * order; one reader splits the replies into frames and completes the waiters in turn. The reader
 * of a lane's plain-text connection is a {@link ClientLoop} (the loop is awake anyway, and a
 * reader thread per lane cost a wake-up, a failed read and a poller registration per batch of
 * replies); a pinned or TLS connection has a virtual thread of its own. When the connection
 * breaks, the reader alone fails every waiter still queued (with an error frame), so no reply
 * can ever reach the wrong waiter; the next send reconnects with backoff.
 */
final class UpstreamLink {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLink.class);
    private static final int WRITE_BUFFER = 64 * 1024;
    /** A batch's replies gathered beyond this are passed on ahead of the rest. */
    private static final int SPILL_BYTES = 256 * 1024;
    private static final boolean LOOPED_READS = !Boolean.getBoolean("eden.redis.threadReaders");
    private static final long FULL_SOCKET_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** What to do with frames no command waits for: pub/sub messages, MONITOR lines, RESP3 pushes. */
    interface Unsolicited {
        void frame(byte[] buf, int off, int len);

        void ended(String reason);
    }

    /** Lanes speak RESP2 and subscribe to nothing: a stray frame there has no reader. */
    static final Unsolicited DROP = new Unsolicited() {
        @Override
        public void frame(byte[] buf, int off, int len) {
        }

        @Override
        public void ended(String reason) {
        }
    };

    final ReentrantLock lock;
    private final String name;
    /** Who new connections authenticate as; a pinned client's AUTH changes it. */
    volatile Identity identity;
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final AtomicInteger openCounter;
    private final Unsolicited unsolicited;
    private final UpstreamHandshake handshake;
    /** Every frame goes to {@link #unsolicited}: the connection is subscribed or in MONITOR. */
    volatile boolean streaming;
    private Connection connection;
    private long nextAttemptAt;
    private long backoff = FIRST_BACKOFF_NANOS;
    private String lastFailure;
    /** Per lane, the thread waiting for the lane to have nothing in flight here (it holds the lane). */
    private final AtomicReferenceArray<Thread> idleWaiters;
    private final int lanes;
    private volatile boolean closed;

    UpstreamLink(String name, Identity identity, ReentrantLock lock, ProxySettings settings, ProxyMetrics metrics,
                 AtomicInteger openCounter, Unsolicited unsolicited, UpstreamHandshake handshake) {
        this(name, identity, lock, settings, metrics, openCounter, unsolicited, handshake, 1);
    }


    /**
     * @param lanes how many lanes' commands may travel here (lane numbers {@code 0..lanes-1}): the
     *              link keeps count of each one's commands in flight, so a lane can be drained alone
     */
    UpstreamLink(String name, Identity identity, ReentrantLock lock, ProxySettings settings, ProxyMetrics metrics,
                 AtomicInteger openCounter, Unsolicited unsolicited, UpstreamHandshake handshake, int lanes) {
        this.lanes = lanes;
        this.idleWaiters = new AtomicReferenceArray<>(lanes);
        this.name = name;
        this.identity = identity;
        this.lock = lock;
        this.settings = settings;
        this.metrics = metrics;
        this.openCounter = openCounter;
        this.unsolicited = unsolicited;
        this.handshake = handshake;
    }

    /** Thrown when no connection can be had: the message is the client's error text, without "ERR ". */
    static final class Unavailable extends IOException {
        Unavailable(String message) {
            super(message);
        }
    }

    /**
     * Queues {@code waiter} (null in streaming mode: the replies flow to {@link Unsolicited}) and
     * writes the command, the bytes {@code frame[off, off+len)} as the client sent them, under
     * {@link #lock}; the caller flushes. Connects first if needed.
     */
    void send(Endpoint endpoint, byte[] frame, int off, int len, Waiter waiter) throws Unavailable {
        send(endpoint, frame, off, len, waiter, 0, System.nanoTime());
    }

    /**
     * {@link #send} of a command of lane {@code lane}, whose lock the caller holds, read from its
     * client at {@code readAt} ({@link System#nanoTime()}): the lag counts from then. The caller's
     * time, taken once per read, spares a clock read per command (decision 21).
     */
    void send(Endpoint endpoint, byte[] frame, int off, int len, Waiter waiter, int lane, long readAt)
            throws Unavailable {
        boolean taken = lockUnlessHeld();
        try {
            Connection c = connected(endpoint);
            queue(c, waiter, lane, readAt);
            try {
                c.out.write(frame, off, len);
            } catch (IOException e) {
                c.breakOff("write failed: " + UpstreamConnector.reason(e));
            }
        } finally {
            if (taken) {
                lock.unlock();
            }
        }
    }

    /**
     * Takes {@link #lock} unless this thread holds it already (an event loop takes it to look at
     * the connection before it sends): true when taken here, to be let go here.
     */
    private boolean lockUnlessHeld() {
        if (lock.isHeldByCurrentThread()) {
            return false;
        }
        lock.lock();
        return true;
    }

    /**
     * Whether a command for {@code endpoint} can be written at once: the connection is open to it
     * (no connect, no handshake). An event loop sends only then, and leaves the rest to a thread
     * that may wait.
     */
    boolean readyFor(Endpoint endpoint) {
        Connection c = connection;
        return c != null && !c.broken && c.endpoint.equals(endpoint);
    }

    /** Sends the words of a command Eden itself issues on this connection; the caller holds {@link #lock}. */
    void sendWords(Endpoint endpoint, List<byte[]> words, Waiter waiter) throws Unavailable {
        Connection c = connected(endpoint);
        queue(c, waiter, 0, System.nanoTime());
        try {
            c.out.write(RespWriter.encodeCommandBytes(words));
        } catch (IOException e) {
            c.breakOff("write failed: " + UpstreamConnector.reason(e));
        }
    }

    /** A pipeline batch's waiter ({@link Waiter#lanes}) counts a command in flight for each of its lanes. */
    private static void queue(Connection c, Waiter waiter, int lane, long sentAt) {
        if (waiter != null) {
            waiter.sentAt = sentAt;
            waiter.lane = lane;
            for (int i = 0, n = waiter.frames(); i < n; i++) {
                c.counts.sent(waiter.laneOf(i));
            }
            c.inflight.add(waiter);
        }
    }

    /** How long the oldest command still waiting for its reply here has waited; 0 when none waits. */
    long oldestInflightNanos(long now) {
        Connection c = connection;
        Waiter oldest = c == null ? null : c.inflight.peekFromAnotherThread();
        return oldest == null ? 0 : Math.max(0, now - oldest.sentAt);
    }

    /** The endpoint of the open connection, if one is open. */
    Endpoint connectedEndpoint() {
        Connection c = connection;
        return c == null || c.broken ? null : c.endpoint;
    }

    /** Sends what was written, under {@link #lock}. */
    void flush() {
        boolean taken = lockUnlessHeld();
        try {
            Connection c = connection;
            if (c != null && !c.broken) {
                try {
                    c.out.flush();
                } catch (IOException e) {
                    c.breakOff("write failed: " + UpstreamConnector.reason(e));
                }
            }
        } finally {
            if (taken) {
                lock.unlock();
            }
        }
    }

    /** Commands sent whose replies have not arrived. */
    int inflight() {
        Connection c = connection;
        return c == null ? 0 : (int) c.counts.total();
    }

    boolean isOpen() {
        Connection c = connection;
        return c != null && !c.broken;
    }

    /**
     * Flushes, then waits until every command of lane {@code lane} sent here has its reply; the
     * caller holds the lane (no new command of it can come meanwhile). Other lanes' commands on
     * the same connection go on, and are not waited for.
     */
    void awaitIdle(int lane) {
        flush();
        Connection c = connection;
        if (c == null) {
            return;
        }
        Thread me = Thread.currentThread();
        while (c.counts.of(lane) > 0 && !c.broken) {
            idleWaiters.set(lane, me);
            if (c.counts.of(lane) == 0 || c.broken) {
                break;
            }
            // the reader's count is a plain store: a wake-up it misses costs one re-check
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5));
        }
        idleWaiters.set(lane, null);
    }

    void close() {
        closed = true;
        lock.lock();
        try {
            Connection c = connection;
            connection = null;
            if (c != null) {
                c.breakOff("closed");
            }
        } finally {
            lock.unlock();
        }
    }

    private Connection connected(Endpoint endpoint) throws Unavailable {
        Connection c = connection;
        if (c != null && !c.broken && c.endpoint.equals(endpoint)) {
            return c;
        }
        if (c != null && !c.broken) {
            c.breakOff("route changed to another endpoint");
        }
        connection = null;
        if (closed) {
            throw new Unavailable("Eden: connection closed");
        }
        UpstreamAddress address = UpstreamAddress.of(endpoint.uri());
        long now = System.nanoTime();
        if (lastFailure != null && now - nextAttemptAt < 0) {
            throw new Unavailable("Eden: upstream " + address + " unreachable: " + lastFailure);
        }
        // a lane connection to a plain-text server is read by a client loop, not by a thread of its own:
        // replies are then cut and passed on where the loop is awake anyway (no thread to wake per batch)
        boolean looped = LOOPED_READS && unsolicited == DROP && !address.tls();
        Socket socket;
        try {
            socket = looped ? UpstreamConnector.connectChannel(address, settings.upstreamConnectTimeout())
                    : UpstreamConnector.connect(address, settings.upstreamConnectTimeout(), java.time.Duration.ZERO,
                    settings.upstreamTls());
        } catch (IOException e) {
            metrics.upstreamErrors.increment();
            lastFailure = UpstreamConnector.reason(e);
            nextAttemptAt = now + backoff;
            backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            LOG.warn("Redis {}: upstream {} unreachable: {}", name, endpoint.uri().redacted(), lastFailure);
            throw new Unavailable("Eden: upstream " + address + " unreachable: " + lastFailure);
        }
        try {
            handshake.open(socket, endpoint, identity);
        } catch (IOException e) {
            Sockets.closeQuietly(socket);
            metrics.upstreamErrors.increment();
            lastFailure = UpstreamConnector.reason(e);
            nextAttemptAt = now + backoff;
            backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
            throw new Unavailable("Eden: upstream " + address + " refused the connection: " + lastFailure);
        }
        lastFailure = null;
        backoff = FIRST_BACKOFF_NANOS;
        try {
            c = new Connection(endpoint, socket, looped ? socket.getChannel() : null);
        } catch (IOException e) {
            Sockets.closeQuietly(socket);
            throw new Unavailable("Eden: upstream " + address + " unreachable: " + UpstreamConnector.reason(e));
        }
        connection = c;
        Connection started = c;
        if (looped) {
            started.loop.execute(started::register);
        } else {
            Thread.ofVirtual().name("eden-redis-upstream-" + name).start(started::readReplies);
        }
        return c;
    }

    /**
     * The connection's send buffer. Every use holds the link's lock already, so unlike
     * BufferedOutputStream it takes no lock of its own on each of the many small writes.
     */
    private static final class Output extends OutputStream {
        private final OutputStream socket;
        /** Non-null for a connection its loop reads: the channel is non-blocking, writes go to it directly. */
        private final SocketChannel channel;
        private final byte[] buf = new byte[WRITE_BUFFER];
        private final ByteBuffer wrapped = ByteBuffer.wrap(buf);
        private int count;

        Output(OutputStream socket, SocketChannel channel) {
            this.socket = socket;
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) {
                flush();
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > buf.length - count) {
                flushBuffer();
                if (len >= buf.length) {
                    send(channel == null ? null : ByteBuffer.wrap(b, off, len), b, off, len);
                    return;
                }
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void flushBuffer() throws IOException {
            if (count > 0) {
                int n = count;
                count = 0; // a failed write breaks the connection off: nothing of it is sent again
                send(channel == null ? null : wrapped.clear().limit(n), buf, 0, n);
            }
        }

        private void send(ByteBuffer bytes, byte[] b, int off, int len) throws IOException {
            if (channel == null) {
                socket.write(b, off, len);
                return;
            }
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    // the server is not reading (a slow command): wait as a blocking write would
                    LockSupport.parkNanos(FULL_SOCKET_PAUSE_NANOS);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            flushBuffer();
        }
    }

    private final class Connection implements ClientLoop.Handler {
        final Endpoint endpoint;
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        final InflightQueue inflight = new InflightQueue();
        final InflightCounts counts = new InflightCounts(lanes);
        volatile boolean broken;
        volatile String brokenReason;
        /** Non-null when {@link #loop} reads this connection rather than a thread of its own. */
        final SocketChannel channel;
        final ClientLoop loop;
        // the loop's reading state (a reader thread keeps its own in locals)
        /** The loop's read buffer (a reader thread has its own). */
        private ReplySplitter replies;
        private final ReplySplitter.Sink sink = this::deliver;
        // the reader's (then the ending thread's): the replies of the batch at the head so far
        private final GrowingBytes batchReplies = new GrowingBytes();
        private int gathered;
        private boolean finished;

        Connection(Endpoint endpoint, Socket socket, SocketChannel channel) throws IOException {
            this.endpoint = endpoint;
            this.socket = socket;
            this.channel = channel;
            if (channel != null) {
                channel.configureBlocking(false);
                this.loop = ClientLoop.next();
                this.out = new Output(null, channel);
                this.in = null;
            } else {
                this.loop = null;
                this.out = new Output(socket.getOutputStream(), null);
                this.in = socket.getInputStream();
            }
            openCounter.incrementAndGet();
        }

        /** Stops all use of this connection; the reader then fails what is still queued. */
        void breakOff(String reason) {
            if (!broken) {
                brokenReason = reason;
                broken = true;
                Sockets.closeQuietly(socket);
                if (loop != null) {
                    loop.execute(() -> finish(reason)); // a closed channel is never ready again: the loop must end it
                }
            }
        }

        /** On the loop thread: starts reading. */
        void register() {
            if (broken) {
                finish(brokenReason);
                return;
            }
            replies = new ReplySplitter();
            try {
                channel.register(loop.selector, SelectionKey.OP_READ, this);
            } catch (IOException e) {
                finish(UpstreamConnector.reason(e));
            }
        }

        /** On the loop thread: the replies that arrived, cut into frames and handed to their waiters. */
        @Override
        public void ready(int readyOps, ClientLoop loop) {
            if (finished) {
                return;
            }
            try {
                int n = channel.read(replies.space());
                if (n < 0) {
                    finish("connection closed by the server");
                    return;
                }
                replies.filled(n, sink);
            } catch (IOException e) {
                finish(UpstreamConnector.reason(e));
            }
        }

        @Override
        public void abandon() {
            finish("Eden failed reading the connection");
        }

        /**
         * On the loop thread, once: no more reading. The rest (failing what is queued, which may
         * take the lane's lock or reconnect) is done on a thread that may wait.
         */
        private void finish(String reason) {
            if (finished) {
                return;
            }
            finished = true;
            String why = broken && brokenReason != null ? brokenReason : reason;
            Sockets.closeQuietly(channel);
            Thread.ofVirtual().name("eden-redis-upstream-" + name + "-end").start(() -> ended(why));
        }

        void readReplies() {
            ReplySplitter replies = new ReplySplitter();
            String reason = "connection closed by the server";
            try {
                while (true) {
                    int n = in.read(replies.array(), replies.end(), replies.free());
                    if (n < 0) {
                        break;
                    }
                    replies.filled(n, sink);
                }
            } catch (IOException e) {
                reason = broken && brokenReason != null ? brokenReason : UpstreamConnector.reason(e);
            } finally {
                ended(reason);
            }
        }

        private void deliver(byte[] buf, int off, int len) {
            if (streaming || RespFrames.isPush(buf, off)) {
                unsolicited.frame(buf, off, len);
                return;
            }
            Waiter waiter = inflight.peek();
            if (waiter == null) {
                unsolicited.frame(buf, off, len); // e.g. the +OK of a QUIT/RESET sent in streaming mode
                return;
            }
            int frames = waiter.frames();
            int lane = waiter.laneOf(gathered);
            counts.done(lane);
            if (frames == 1) {
                inflight.poll();
                waiter.complete(buf, off, len);
            } else {
                // a batch's replies are consecutive frames here: gathered, then passed on as one
                batchReplies.append(buf, off, len);
                if (++gathered < frames && batchReplies.length() >= SPILL_BYTES) {
                    waiter.spill(batchReplies.array(), 0, batchReplies.length()); // large replies: no hoarding
                    batchReplies.clear();
                } else if (gathered == frames) {
                    inflight.poll();
                    gathered = 0;
                    waiter.complete(batchReplies.array(), 0, batchReplies.length());
                    batchReplies.clear();
                }
            }
            if (idleWaiters.get(lane) != null && counts.of(lane) == 0) {
                wakeIdleWaiter(lane);
            }
        }

        private void ended(String reason) {
            boolean expected = broken || closed;
            lock.lock();
            try {
                broken = true;
                if (connection == this) {
                    connection = null;
                }
            } finally {
                lock.unlock();
            }
            Sockets.closeQuietly(socket);
            openCounter.decrementAndGet();
            if (!expected) {
                metrics.upstreamErrors.increment();
                LOG.warn("Redis {}: connection to upstream {} lost: {}", name, endpoint.uri().redacted(), reason);
            }
            byte[] error = RespWriter.encodeError("ERR Eden: connection to upstream " + UpstreamAddress.of(endpoint.uri())
                    + " lost before the reply (" + reason + ")");
            Waiter waiter;
            while ((waiter = inflight.poll()) != null) {
                int frames = waiter.frames();
                for (int i = gathered; i < frames; i++) {
                    counts.done(waiter.laneOf(i));
                }
                if (frames == 1) {
                    waiter.fail(error);
                } else {
                    // the replies that came, then an error for each command whose reply did not
                    for (int i = gathered; i < frames; i++) {
                        batchReplies.append(error, 0, error.length);
                    }
                    waiter.fail(Arrays.copyOf(batchReplies.array(), batchReplies.length()));
                    batchReplies.clear();
                }
                gathered = 0;
            }
            for (int lane = 0; lane < lanes; lane++) {
                wakeIdleWaiter(lane);
            }
            unsolicited.ended(reason);
        }

        private void wakeIdleWaiter(int lane) {
            Thread waiter = idleWaiters.get(lane);
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
    }
}

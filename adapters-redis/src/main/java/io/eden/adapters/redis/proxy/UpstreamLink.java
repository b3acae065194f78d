package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespFrames;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespWriter;
import io.eden.domain.model.Endpoint;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipelined upstream connection: a lane's connection to one side, or a client's pinned one.
 * Senders write under {@link #lock} and queue a {@link Waiter} per command in the same FIFO
 * order; one reader thread splits the replies into frames and completes the waiters in turn.
 * When the connection breaks, the reader alone fails every waiter still queued (with an error
 * frame), so no reply can ever reach the wrong waiter; the next send reconnects with backoff.
 */
final class UpstreamLink {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLink.class);
    private static final int READ_CHUNK = 64 * 1024;
    private static final int MAX_KEPT_BUFFER = 1 << 20;
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
    private volatile Thread idleWaiter;
    private volatile boolean closed;

    UpstreamLink(String name, Identity identity, ReentrantLock lock, ProxySettings settings, ProxyMetrics metrics,
                 AtomicInteger openCounter, Unsolicited unsolicited, UpstreamHandshake handshake) {
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
     * writes the command; the caller holds {@link #lock} and flushes. Connects first if needed.
     */
    void send(Endpoint endpoint, RespValue command, Waiter waiter) throws Unavailable {
        Connection c = connected(endpoint);
        queue(c, waiter);
        try {
            RespWriter.write(command, c.out);
        } catch (IOException e) {
            c.breakOff("write failed: " + UpstreamConnector.reason(e));
        }
    }

    /** Sends the words of a command Eden itself issues on this connection. */
    void sendWords(Endpoint endpoint, List<byte[]> words, Waiter waiter) throws Unavailable {
        Connection c = connected(endpoint);
        queue(c, waiter);
        try {
            c.out.write(RespWriter.encodeCommandBytes(words));
        } catch (IOException e) {
            c.breakOff("write failed: " + UpstreamConnector.reason(e));
        }
    }

    private static void queue(Connection c, Waiter waiter) {
        if (waiter != null) {
            waiter.sentAt = System.nanoTime();
            c.inflight.add(waiter);
            c.count.incrementAndGet();
        }
    }

    /** How long the oldest command still waiting for its reply here has waited; 0 when none waits. */
    long oldestInflightNanos(long now) {
        Connection c = connection;
        Waiter oldest = c == null ? null : c.inflight.peek();
        return oldest == null ? 0 : Math.max(0, now - oldest.sentAt);
    }

    /** The endpoint of the open connection, if one is open. */
    Endpoint connectedEndpoint() {
        Connection c = connection;
        return c == null || c.broken ? null : c.endpoint;
    }

    /** Sends what was written; the caller holds {@link #lock}. */
    void flush() {
        Connection c = connection;
        if (c != null && !c.broken) {
            try {
                c.out.flush();
            } catch (IOException e) {
                c.breakOff("write failed: " + UpstreamConnector.reason(e));
            }
        }
    }

    /** Commands sent whose replies have not arrived. */
    int inflight() {
        Connection c = connection;
        return c == null ? 0 : c.count.get();
    }

    boolean isOpen() {
        Connection c = connection;
        return c != null && !c.broken;
    }

    /** Flushes, then waits until every command sent here has its reply; the caller holds {@link #lock}. */
    void awaitIdle() {
        flush();
        Connection c = connection;
        if (c == null) {
            return;
        }
        Thread me = Thread.currentThread();
        while (c.count.get() > 0 && !c.broken) {
            idleWaiter = me;
            if (c.count.get() == 0 || c.broken) {
                break;
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5));
        }
        idleWaiter = null;
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
        Socket socket;
        try {
            socket = UpstreamConnector.connect(address, settings.upstreamConnectTimeout(), java.time.Duration.ZERO,
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
            c = new Connection(endpoint, socket);
        } catch (IOException e) {
            Sockets.closeQuietly(socket);
            throw new Unavailable("Eden: upstream " + address + " unreachable: " + UpstreamConnector.reason(e));
        }
        connection = c;
        Connection started = c;
        Thread.ofVirtual().name("eden-redis-upstream-" + name).start(started::readReplies);
        return c;
    }

    private final class Connection {
        final Endpoint endpoint;
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        final ConcurrentLinkedQueue<Waiter> inflight = new ConcurrentLinkedQueue<>();
        final AtomicInteger count = new AtomicInteger();
        volatile boolean broken;
        volatile String brokenReason;

        Connection(Endpoint endpoint, Socket socket) throws IOException {
            this.endpoint = endpoint;
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            this.in = socket.getInputStream();
            openCounter.incrementAndGet();
        }

        /** Stops all use of this connection; the reader then fails what is still queued. */
        void breakOff(String reason) {
            if (!broken) {
                brokenReason = reason;
                broken = true;
                Sockets.closeQuietly(socket);
            }
        }

        void readReplies() {
            byte[] buf = new byte[READ_CHUNK];
            int start = 0;
            int end = 0;
            String reason = "connection closed by the server";
            try {
                while (true) {
                    if (end == buf.length) {
                        if (start > 0) {
                            System.arraycopy(buf, start, buf, 0, end - start);
                            end -= start;
                            start = 0;
                        } else {
                            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                        }
                    }
                    int n = in.read(buf, end, buf.length - end);
                    if (n < 0) {
                        break;
                    }
                    end += n;
                    while (start < end) {
                        int frameEnd = RespFrames.end(buf, start, end);
                        if (frameEnd == RespFrames.INCOMPLETE) {
                            break;
                        }
                        if (frameEnd == RespFrames.MALFORMED) {
                            throw new IOException("the server sent a malformed reply");
                        }
                        deliver(buf, start, frameEnd - start);
                        start = frameEnd;
                    }
                    if (start == end) {
                        start = 0;
                        end = 0;
                        if (buf.length > MAX_KEPT_BUFFER) {
                            buf = new byte[READ_CHUNK];
                        }
                    }
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
            Waiter waiter = inflight.poll();
            if (waiter == null) {
                unsolicited.frame(buf, off, len); // e.g. the +OK of a QUIT/RESET sent in streaming mode
                return;
            }
            count.decrementAndGet();
            waiter.complete(buf, off, len);
            wakeIdleWaiter();
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
                count.decrementAndGet();
                waiter.fail(error);
            }
            wakeIdleWaiter();
            unsolicited.ended(reason);
        }

        private void wakeIdleWaiter() {
            Thread waiter = idleWaiter;
            if (waiter != null && count.get() == 0) {
                LockSupport.unpark(waiter);
            }
        }
    }
}

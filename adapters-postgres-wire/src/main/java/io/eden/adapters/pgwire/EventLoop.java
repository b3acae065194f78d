package io.eden.adapters.pgwire;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One I/O thread of transaction pooling, in the manner of PgBouncer's loop: a selector over the
 * client and server connections it owns. Everything a connection does runs on its loop's
 * thread, so forwarding a query and its answer costs a read and a write on each side and no
 * thread hand-off; output produced while handling ready keys is written once, at the end of
 * the round, so a batch of messages leaves in one system call.
 */
final class EventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final int POOLED_BUFFERS = 256;
    private static final int SCRATCH = 64 * 1024;

    final int index;
    final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ArrayDeque<Runnable> later = new ArrayDeque<>();
    private final ArrayList<LoopConnection> dirty = new ArrayList<>();
    final Deadline.Table deadlines = new Deadline.Table();
    private final ArrayDeque<Buf> buffers = new ArrayDeque<>();
    /** Every read without a partial message lands here first (see LoopConnection). */
    private Buf scratch = new Buf(SCRATCH);
    /** One instance: a method reference made per select would be an allocation per round. */
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    private volatile boolean closed;

    EventLoop(int index, String name) throws IOException {
        this.index = index;
        this.selector = Selector.open();
        // a platform thread: a virtual one would park in select through the JDK's own poller,
        // which is the extra hop this loop exists to avoid
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on this loop's thread; callable from any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Runs {@code task} on this loop's thread after the current handler returns, in this round. */
    void later(Runnable task) {
        later.add(task);
    }

    /** Queues a connection's output for the write at the end of this round (loop thread only). */
    void dirty(LoopConnection connection) {
        dirty.add(connection);
    }

    Buf scratch() {
        return scratch;
    }

    boolean isScratch(Buf b) {
        return b == scratch;
    }

    /** The scratch buffer is free again; one grown for a large message is not kept. */
    void scratchDone(Buf b) {
        b.r = 0;
        b.w = 0;
        if (b.capacity() > SCRATCH) {
            scratch = new Buf(SCRATCH);
        }
    }

    Buf takeBuffer() {
        Buf b = buffers.pollLast();
        return b != null ? b : new Buf(Buf.STANDARD);
    }

    void giveBack(Buf b) {
        if (b != scratch && b.capacity() == Buf.STANDARD && buffers.size() < POOLED_BUFFERS) {
            b.r = 0;
            b.w = 0;
            buffers.addLast(b);
        }
    }

    private void run() {
        while (!closed) {
            try {
                wakeupPending.set(false);
                long timeout = timeoutMillis();
                if (!tasks.isEmpty() || !later.isEmpty()) {
                    selector.selectNow(dispatcher);
                } else if (timeout > 0) {
                    selector.select(dispatcher, timeout);
                } else {
                    selector.select(dispatcher);
                }
                runAll();
            } catch (Throwable e) {
                LOG.warn("PostgreSQL event loop {}: {}", index, e.toString(), e);
            }
        }
        Wire.closeQuietly(selector);
    }

    private void runAll() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            run(task);
        }
        deadlines.expire(System.nanoTime());
        // flushing can free a peer that then has input to handle: repeat until quiet
        runLater();
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("PostgreSQL event loop task failed: {}", e.toString(), e);
        }
    }

    private void dispatch(SelectionKey key) {
        LoopConnection connection = (LoopConnection) key.attachment();
        try {
            connection.ready(key);
        } catch (RuntimeException e) {
            broken(connection, e);
        }
    }

    /** A bug must cost one connection, not the loop and everyone on it. */
    private static void broken(LoopConnection connection, RuntimeException e) {
        LOG.warn("PostgreSQL connection failed: {}", e.toString(), e);
        connection.failed(new java.io.IOException(e.toString(), e));
    }

    private void runLater() {
        Runnable task;
        while (!later.isEmpty() || !dirty.isEmpty()) {
            while ((task = later.poll()) != null) {
                run(task);
            }
            for (int i = 0; i < dirty.size(); i++) {
                LoopConnection connection = dirty.get(i);
                try {
                    connection.flush();
                } catch (RuntimeException e) {
                    broken(connection, e);
                }
            }
            dirty.clear();
        }
    }

    /** Milliseconds to the next deadline, at least 1; 0 when there is none. */
    private long timeoutMillis() {
        long nanos = deadlines.nanosToNext(System.nanoTime());
        if (nanos < 0) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos) + 1);
    }

    void close() {
        closed = true;
        selector.wakeup();
    }
}

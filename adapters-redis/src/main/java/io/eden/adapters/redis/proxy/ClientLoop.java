package io.eden.adapters.redis.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop serving plain-text clients: it reads their requests and sends the ones that
 * can go at once (a single lane, its connection open, its lock free) to their lanes, then
 * flushes every lane it wrote to once per round, so the commands of many clients leave in one
 * write. A command that has to wait (a barrier, a pinned connection, a connect, a held lane) is
 * handed with the rest of its client's input to a virtual thread, and the client is read again
 * once that thread is done. Replies never pass through the loop unless a client's socket is
 * full: the lane readers write them (see {@link ClientSession}).
 *
 * <p>Why not a virtual thread per client, as before: every command then cost a parked reader
 * (a failed read, a poller registration, a continuation frozen and thawed) and a writer thread
 * woken per reply, about twice nutcracker's system calls and CPU per command.
 */
final class ClientLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ClientLoop.class);
    private static final int READ_BUFFER = 64 * 1024;
    private static final long TIMER_TICK_MILLIS = 20;
    private static final int LOCK_SPINS = 64;
    private static volatile ClientLoop[] shared;
    private static final AtomicInteger NEXT = new AtomicInteger();

    final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** The buffer every client of the loop is read into; a client keeps only a partial request of its own. */
    final byte[] readArray = new byte[READ_BUFFER];
    final ByteBuffer readBuffer = ByteBuffer.wrap(readArray);
    private final List<UpstreamLink> dirty = new ArrayList<>();
    private final List<ClientSession> timed = new ArrayList<>();
    private final List<ClientSession> ready = new ArrayList<>();
    /** The pipeline batch of the client whose input the loop is running. */
    final LaneBatch batch = new LaneBatch();

    private ClientLoop(int index) throws IOException {
        selector = Selector.open();
        thread = new LoopThread(this, "eden-redis-loop-" + index);
        thread.start();
    }

    /** A loop's thread: completions on it can wait for the end of the round. */
    private static final class LoopThread extends Thread {
        final ClientLoop loop;

        LoopThread(ClientLoop loop, String name) {
            super(null, null, name, 0, false);
            this.loop = loop;
            setDaemon(true);
        }

        @Override
        public void run() {
            loop.run();
        }
    }

    /** The loop whose thread this is, or null. */
    static ClientLoop current() {
        return Thread.currentThread() instanceof LoopThread t ? t.loop : null;
    }

    /**
     * The process's loops, one per core: clients of every interlay share them, so idle
     * interlays cost no threads. Clients are dealt round-robin.
     */
    static ClientLoop next() {
        ClientLoop[] loops = shared;
        if (loops == null) {
            synchronized (ClientLoop.class) {
                loops = shared;
                if (loops == null) {
                    // Redis runs on one core: half the cores keep the proxy from competing with it (and with
                    // a client on the same machine) while one loop batches as much as it can
                    int count = Integer.getInteger("eden.redis.loops",
                            Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
                    loops = new ClientLoop[Math.max(1, count)];
                    try {
                        for (int i = 0; i < loops.length; i++) {
                            loops[i] = new ClientLoop(i);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot open a selector", e);
                    }
                    shared = loops;
                }
            }
        }
        return loops[Math.floorMod(NEXT.getAndIncrement(), loops.length)];
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop thread, soon. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    /** Makes the loop look at interest changes made from another thread now rather than at its next wake-up. */
    void wakeup() {
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    /** A lane connection written to this round: flushed once at its end. */
    void markDirty(UpstreamLink link) {
        for (int i = 0, n = dirty.size(); i < n; i++) {
            if (dirty.get(i) == link) {
                return;
            }
        }
        dirty.add(link);
    }

    /**
     * A client with replies ready: it is written to once, at the end of the round, with every
     * reply this round completed for it (a pipeline's replies come from several lanes, one by one).
     */
    void markReady(ClientSession session) {
        if (!session.markedReady.get() && session.markedReady.compareAndSet(false, true)) {
            ready.add(session);
        }
    }

    /** Has {@code session} told (on the loop thread) when its deadline passes. */
    void addTimed(ClientSession session) {
        if (!timed.contains(session)) {
            timed.add(session);
        }
    }

    /**
     * The lane's lock, if the loop can have it without waiting on someone who may hold it long
     * (a barrier, the copier): a short spin covers another loop or sender that is just writing.
     */
    static boolean tryLock(java.util.concurrent.locks.ReentrantLock lock) {
        for (int i = 0; i < LOCK_SPINS; i++) {
            if (lock.tryLock()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private void run() {
        while (true) {
            try {
                long timeout = timed.isEmpty() ? 0 : TIMER_TICK_MILLIS;
                if (tasks.isEmpty()) {
                    selector.select(this::ready, timeout);
                } else {
                    selector.selectNow(this::ready);
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                flushDirty();
                passOnReady();
                if (!timed.isEmpty()) {
                    expire();
                }
            } catch (Throwable e) {
                // one client's bug must not end the loop of every other client
                LOG.error("Redis client loop: unexpected failure", e);
                dirty.clear();
                for (ClientSession session : ready) {
                    session.markedReady.set(false);
                    session.drainNow();
                }
                ready.clear();
            }
        }
    }

    /** What a loop serves: a client, or a lane's upstream connection it reads. */
    interface Handler {
        /** On the loop thread: the channel is ready for {@code readyOps}. */
        void ready(int readyOps, ClientLoop loop);

        /** The handler failed unexpectedly: end its connection. */
        void abandon();
    }

    private void ready(SelectionKey key) {
        Handler handler = (Handler) key.attachment();
        try {
            handler.ready(key.readyOps(), this);
        } catch (java.nio.channels.CancelledKeyException e) {
            handler.abandon();
        } catch (RuntimeException e) {
            LOG.error("Redis client loop: unexpected failure; closing the connection", e);
            handler.abandon();
        }
    }

    private void flushDirty() {
        for (int i = 0, n = dirty.size(); i < n; i++) {
            UpstreamLink link = dirty.get(i);
            if (link.lock.tryLock()) {
                try {
                    link.flush();
                } finally {
                    link.lock.unlock();
                }
            } else {
                // someone holds the lane, maybe for long (a barrier, the copier): never wait on the loop
                Thread.ofVirtual().start(() -> {
                    link.lock.lock();
                    try {
                        link.flush();
                    } finally {
                        link.lock.unlock();
                    }
                });
            }
        }
        dirty.clear();
    }

    private void passOnReady() {
        for (int i = 0, n = ready.size(); i < n; i++) {
            ClientSession session = ready.get(i);
            session.markedReady.set(false);
            session.drainNow();
        }
        ready.clear();
    }

    private void expire() {
        long now = System.nanoTime();
        for (int i = timed.size() - 1; i >= 0; i--) {
            ClientSession session = timed.get(i);
            if (session.expire(now)) {
                timed.remove(i);
            }
        }
    }

    static long millisToNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}

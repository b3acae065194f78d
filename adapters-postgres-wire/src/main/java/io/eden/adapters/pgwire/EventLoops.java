package io.eden.adapters.pgwire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/** The event loops of one adapter, shared by its transaction-mode interlays; clients are dealt round-robin. */
final class EventLoops implements AutoCloseable {
    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    EventLoops(int count) {
        loops = new EventLoop[count];
        try {
            for (int i = 0; i < count; i++) {
                loops[i] = new EventLoop(i, "eden-pg-loop-" + i);
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    /**
     * One loop per two cores, at least one, at most 8, unless {@code event_loops} says
     * otherwise: a loop passes tens of thousands of transactions a second, and the clients and
     * the database need cores too. A busier loop finds more connections ready per wake-up: on
     * two cores, one loop woke 5x less often than two and did better against PgBouncer
     * (pgbench -S: 0.93x and 0.89x against 0.86x and 0.81x). Every extra loop also splits the
     * pools' connections into smaller shares to move between.
     */
    static int defaultCount() {
        return Math.min(8, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    int count() {
        return loops.length;
    }

    EventLoop get(int index) {
        return loops[index];
    }

    EventLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    @Override
    public void close() {
        for (EventLoop loop : loops) {
            if (loop != null) {
                loop.close();
            }
        }
    }
}

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
     * One loop per core, at most 8, unless {@code event_loops} says otherwise: a loop passes
     * tens of thousands of transactions a second, more than one PostgreSQL server answers, and
     * every extra loop splits the pools' connections into smaller shares to move between.
     */
    static int defaultCount() {
        return Math.min(8, Runtime.getRuntime().availableProcessors());
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

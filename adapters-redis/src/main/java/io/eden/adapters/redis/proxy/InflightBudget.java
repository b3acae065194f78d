package io.eden.adapters.redis.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the request bytes all clients of an adapter hold before they are forwarded (a value
 * is buffered whole until its last byte arrives). Below the budget nobody waits. Above it, one
 * client at a time may keep receiving (it holds the overdraft until its value is complete);
 * the others stop reading their sockets, so TCP pushes back on their senders. The heap then
 * holds at most the budget plus one maximal value.
 */
final class InflightBudget {
    private final long budget;
    private final AtomicLong total = new AtomicLong();
    private final Map<Object, Long> held = new ConcurrentHashMap<>();
    private final Semaphore overdraft = new Semaphore(1, true);
    private final Map<Object, Boolean> overdrawn = new ConcurrentHashMap<>();

    InflightBudget(long budget) {
        this.budget = budget;
    }

    /** {@code holder} now holds {@code bytes} of an incomplete request; waits while the budget is exceeded. */
    void hold(Object holder, long bytes) {
        Long before = held.put(holder, bytes);
        long now = total.addAndGet(bytes - (before == null ? 0 : before));
        if (now > budget && !overdrawn.containsKey(holder)) {
            try {
                overdraft.acquire();
                overdrawn.put(holder, Boolean.TRUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@link #hold} for a thread that must not wait (an event loop): false, holding nothing new,
     * when the holder would have to wait for the overdraft.
     */
    boolean tryHold(Object holder, long bytes) {
        Long before = held.put(holder, bytes);
        long now = total.addAndGet(bytes - (before == null ? 0 : before));
        if (now > budget && !overdrawn.containsKey(holder)) {
            if (!overdraft.tryAcquire()) {
                release(holder);
                return false;
            }
            overdrawn.put(holder, Boolean.TRUE);
        }
        return true;
    }

    /** {@code holder} holds nothing any more. */
    void release(Object holder) {
        Long before = held.remove(holder);
        if (before != null) {
            total.addAndGet(-before);
        }
        if (overdrawn.remove(holder) != null) {
            overdraft.release();
        }
    }

    long total() {
        return total.get();
    }
}

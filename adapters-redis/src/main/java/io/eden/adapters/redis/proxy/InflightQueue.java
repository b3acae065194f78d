package io.eden.adapters.redis.proxy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The waiters of one upstream connection in send order. Senders add one at a time (under the
 * link's lock) and one reader takes, so it is a single-producer single-consumer queue of array
 * chunks: a plain store per add and per take, where a {@code ConcurrentLinkedQueue} allocated a
 * node and ran compare-and-sets for each command (a tenth of the proxy's own CPU under pipelined
 * load). A taken slot is cleared, so nothing keeps a completed waiter (and the client replies
 * it links to) reachable.
 */
final class InflightQueue {
    private static final int CHUNK = 128;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Waiter[].class);
    private static final VarHandle NEXT;
    private static final VarHandle HEAD_CHUNK;
    private static final VarHandle HEAD_INDEX;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEXT = lookup.findVarHandle(Chunk.class, "next", Chunk.class);
            HEAD_CHUNK = lookup.findVarHandle(InflightQueue.class, "headChunk", Chunk.class);
            HEAD_INDEX = lookup.findVarHandle(InflightQueue.class, "headIndex", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Chunk {
        final Waiter[] slots = new Waiter[CHUNK];
        @SuppressWarnings("unused") // through NEXT
        Chunk next;
    }

    // the senders', under the link's lock
    private Chunk tailChunk;
    private int tailIndex;
    // the reader's; others only peek
    private Chunk headChunk;
    private int headIndex;

    InflightQueue() {
        Chunk first = new Chunk();
        tailChunk = first;
        headChunk = first;
    }

    /** By a sender holding the link's lock. */
    void add(Waiter waiter) {
        if (tailIndex == CHUNK) {
            Chunk fresh = new Chunk();
            NEXT.setRelease(tailChunk, fresh);
            tailChunk = fresh;
            tailIndex = 0;
        }
        SLOT.setRelease(tailChunk.slots, tailIndex++, waiter); // publishes the waiter's fields with it
    }

    /** By the reader: the oldest waiter, removed, or null. */
    Waiter poll() {
        Waiter first = peek();
        if (first != null) {
            headChunk.slots[headIndex] = null;
            HEAD_INDEX.setRelease(this, headIndex + 1);
        }
        return first;
    }

    /** By the reader: the oldest waiter, left in place, or null. */
    Waiter peek() {
        if (headIndex == CHUNK) {
            Chunk next = (Chunk) NEXT.getAcquire(headChunk);
            if (next == null) {
                return null;
            }
            HEAD_CHUNK.setRelease(this, next);
            HEAD_INDEX.setRelease(this, 0);
        }
        return (Waiter) SLOT.getAcquire(headChunk.slots, headIndex);
    }

    /** By any thread: about the oldest waiter (a moment stale), or null. */
    Waiter peekFromAnotherThread() {
        Chunk chunk = (Chunk) HEAD_CHUNK.getAcquire(this);
        int index = (int) HEAD_INDEX.getAcquire(this);
        if (index >= CHUNK) {
            chunk = (Chunk) NEXT.getAcquire(chunk);
            index = 0;
            if (chunk == null) {
                return null;
            }
        }
        return (Waiter) SLOT.getAcquire(chunk.slots, index);
    }
}

package io.eden.adapters.redis.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.ref.WeakReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** The queue of replies a connection waits for: FIFO across its chunks, with senders and the reader at once. */
class InflightQueueTest {

    private static final class Numbered extends Waiter {
        final int number;

        Numbered(int number) {
            this.number = number;
        }

        @Override
        void complete(byte[] buf, int off, int len) {
        }

        @Override
        void fail(byte[] error) {
        }
    }

    @Test
    void waiters_come_out_in_the_order_they_went_in_across_many_chunks() {
        InflightQueue queue = new InflightQueue();
        assertNull(queue.poll());
        assertNull(queue.peekFromAnotherThread());
        int next = 0;
        for (int round = 0; round < 20; round++) {
            int added = 37 * round + 5; // lengths that end anywhere in a chunk
            for (int i = 0; i < added; i++) {
                queue.add(new Numbered(next + i));
            }
            assertEquals(next, ((Numbered) queue.peekFromAnotherThread()).number);
            for (int i = 0; i < added; i++) {
                Waiter peeked = queue.peek();
                Waiter taken = queue.poll();
                assertSame(peeked, taken);
                assertEquals(next + i, ((Numbered) taken).number);
            }
            next += added;
            assertNull(queue.poll());
            assertNull(queue.peek());
        }
    }

    @Test
    void senders_under_a_lock_and_one_reader_at_once_lose_and_reorder_nothing() throws Exception {
        InflightQueue queue = new InflightQueue();
        ReentrantLock lock = new ReentrantLock();
        int perSender = 200_000;
        int senders = 4;
        int[] lastOfSender = new int[senders];
        java.util.Arrays.fill(lastOfSender, -1);
        Thread[] threads = new Thread[senders];
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads[s] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perSender; i++) {
                    lock.lock();
                    try {
                        queue.add(new Numbered(sender * perSender + i));
                    } finally {
                        lock.unlock();
                    }
                }
            });
        }
        int taken = 0;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (taken < senders * perSender && System.nanoTime() < deadline) {
            Waiter w = queue.poll();
            if (w == null) {
                Thread.onSpinWait();
                continue;
            }
            int number = ((Numbered) w).number;
            int sender = number / perSender;
            assertEquals(lastOfSender[sender] + 1, number % perSender, "each sender's waiters in its order");
            lastOfSender[sender] = number % perSender;
            taken++;
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(senders * perSender, taken);
        assertNull(queue.poll());
    }

    @Test
    void a_taken_waiter_is_not_kept_reachable_by_the_queue() throws Exception {
        InflightQueue queue = new InflightQueue();
        Waiter waiter = new Numbered(1);
        WeakReference<Waiter> ref = new WeakReference<>(waiter);
        queue.add(waiter);
        queue.add(new Numbered(2));
        assertSame(waiter, queue.poll());
        waiter = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(ref.get(), "the connection stays idle: a reply it answered must not pin the client's later replies");
    }
}

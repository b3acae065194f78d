package io.eden.adapters.redis.migration;

import io.eden.domain.routing.Side;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keys known to differ between the sides (a mirror failed or answered differently, a
 * validation found them), each with the side that holds the truth, waiting to be copied again.
 * Bounded: past {@link #LIMIT} keys only the count grows, and a validation finds the rest.
 */
final class Repairs {
    static final int LIMIT = 100_000;

    /** One key to copy again, and how often that was tried. */
    record Repair(int db, byte[] key, Side truth, int attempts) {
    }

    private record Id(int db, ByteBuffer key) {
    }

    private final Map<Id, Repair> pending = new ConcurrentHashMap<>();
    private final AtomicLong overflow = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();

    void add(int db, byte[] key, Side truth) {
        if (pending.size() >= LIMIT) {
            overflow.incrementAndGet();
            return;
        }
        pending.merge(new Id(db, ByteBuffer.wrap(key.clone())), new Repair(db, key.clone(), truth, 0),
                (old, fresh) -> new Repair(db, old.key(), truth, old.attempts()));
    }

    /** Takes up to {@code max} pending repairs off the queue. */
    List<Repair> take(int max) {
        List<Repair> taken = new ArrayList<>();
        for (Id id : pending.keySet()) {
            if (taken.size() == max) {
                break;
            }
            Repair repair = pending.remove(id);
            if (repair != null) {
                taken.add(repair);
            }
        }
        return taken;
    }

    /** Puts a repair that failed back, unless it has had its attempts; false when it is given up. */
    boolean retry(Repair repair, int maxAttempts) {
        if (repair.attempts() + 1 >= maxAttempts) {
            lost.incrementAndGet();
            return false;
        }
        pending.putIfAbsent(new Id(repair.db(), ByteBuffer.wrap(repair.key())),
                new Repair(repair.db(), repair.key(), repair.truth(), repair.attempts() + 1));
        return true;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Keys that differ as far as Eden knows: waiting for repair, beyond the queue's bound, or given up. */
    long divergent() {
        return pending.size() + overflow.get() + lost.get();
    }
}

package io.eden.adapters.redis.migration;

import io.eden.application.spi.DataMovementRequest.Checkpoints;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The copy's counters and its place in the keyspace (database and SCAN cursor), saved as
 * checkpoints so that a restart goes on from there instead of from zero.
 */
final class CopyProgress {
    static final String DB = "copy.db";
    static final String CURSOR = "copy.cursor";
    static final String SCANNED = "copy.keys_scanned";
    static final String COPIED = "copy.keys_copied";
    static final String BYTES = "copy.bytes_copied";
    static final String TOTAL = "copy.keys_total_estimate";
    static final String COMPLETE = "copy.complete";

    final AtomicLong scanned = new AtomicLong();
    final AtomicLong copied = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong totalEstimate = new AtomicLong();
    private final long startedAt = System.nanoTime();
    private volatile long copiedAtStart;
    volatile int db;
    volatile String cursor = "0";
    volatile boolean complete;

    /** Picks up where a previous run of this movement stopped; false when there was none. */
    boolean resume(Checkpoints checkpoints) {
        if (checkpoints.load(COMPLETE).map(Boolean::parseBoolean).orElse(false)) {
            complete = true;
        }
        var at = checkpoints.load(DB);
        if (at.isEmpty() && !complete) {
            return false;
        }
        db = at.map(Integer::parseInt).orElse(0);
        cursor = checkpoints.load(CURSOR).orElse("0");
        scanned.set(checkpoints.load(SCANNED).map(Long::parseLong).orElse(0L));
        copied.set(checkpoints.load(COPIED).map(Long::parseLong).orElse(0L));
        bytes.set(checkpoints.load(BYTES).map(Long::parseLong).orElse(0L));
        totalEstimate.set(checkpoints.load(TOTAL).map(Long::parseLong).orElse(0L));
        copiedAtStart = copied.get();
        return true;
    }

    void save(Checkpoints checkpoints) {
        checkpoints.save(DB, Integer.toString(db));
        checkpoints.save(CURSOR, cursor);
        checkpoints.save(SCANNED, Long.toString(scanned.get()));
        checkpoints.save(COPIED, Long.toString(copied.get()));
        checkpoints.save(BYTES, Long.toString(bytes.get()));
        checkpoints.save(TOTAL, Long.toString(totalEstimate.get()));
        checkpoints.save(COMPLETE, Boolean.toString(complete));
    }

    /** Keys copied per second by this run. */
    double rate() {
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        return seconds <= 0 ? 0 : (copied.get() - copiedAtStart) / seconds;
    }

    OptionalLong etaSeconds() {
        if (complete) {
            return OptionalLong.of(0);
        }
        double rate = rate();
        long left = Math.max(0, totalEstimate.get() - copied.get());
        return rate <= 0 ? OptionalLong.empty() : OptionalLong.of((long) Math.ceil(left / rate));
    }
}

package io.eden.adapters.redis.proxy;

import io.eden.application.spi.EdenMetrics.Latency;
import java.util.Arrays;

/**
 * When each command of one batch was fully read. A pipelined batch is flushed upstream at
 * once, so every command's latency ends at that flush; this keeps their start times until then.
 */
final class RequestTimings {
    private long[] readAt = new long[64];
    private int size;

    void commandRead(long nanoTime) {
        if (size == readAt.length) {
            readAt = Arrays.copyOf(readAt, size * 2);
        }
        readAt[size++] = nanoTime;
    }

    /** Records command {@code index}'s time in Eden until {@code now}, when it is handed to its connection. */
    void record(int index, long now, Latency latency) {
        latency.recordNanos(now - readAt[index]);
    }

    /** Starts a new batch. */
    void reset() {
        size = 0;
        if (readAt.length > 4096) {
            readAt = new long[64];
        }
    }

    /** Records every command's time until {@code writtenAt} and starts a new batch. */
    void batchWritten(long writtenAt, Latency latency) {
        for (int i = 0; i < size; i++) {
            latency.recordNanos(writtenAt - readAt[i]);
        }
        size = 0;
        if (readAt.length > 4096) {
            readAt = new long[64]; // a huge pipeline is over: do not keep its array
        }
    }
}

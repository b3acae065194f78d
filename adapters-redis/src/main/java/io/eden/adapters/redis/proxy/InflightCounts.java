package io.eden.adapters.redis.proxy;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Commands in flight per lane on one upstream connection, so a lane can be drained alone.
 * Sends are counted by the senders (one at a time, under the link's lock) and replies by the
 * one reader, each in a counter only it writes: a plain store per command on each side instead
 * of a locked read-modify-write on a shared one.
 */
final class InflightCounts {
    private final AtomicLongArray sent;
    private final AtomicLongArray done;

    InflightCounts(int lanes) {
        sent = new AtomicLongArray(lanes);
        done = new AtomicLongArray(lanes);
    }

    /** By a sender holding the link's lock. */
    void sent(int lane) {
        sent.setRelease(lane, sent.getPlain(lane) + 1);
    }

    /** By the reader. */
    void done(int lane) {
        done.setRelease(lane, done.getPlain(lane) + 1);
    }

    /** Lane {@code lane}'s commands without a reply yet; never less than the true count at the call. */
    long of(int lane) {
        long replied = done.getAcquire(lane); // read first: a reply never comes before its send
        return sent.getAcquire(lane) - replied;
    }

    long total() {
        long sum = 0;
        for (int lane = 0; lane < sent.length(); lane++) {
            sum += of(lane);
        }
        return sum;
    }
}

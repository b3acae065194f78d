package io.eden.adapters.redis.proxy;

/** Something waiting for the next reply of one upstream connection. */
abstract class Waiter {
    /**
     * When the command was read from its client, or sent when Eden issued it ({@link System#nanoTime()}):
     * how long the other side lags.
     */
    long sentAt;
    /** The lane it was sent for, on a connection several lanes share (0 elsewhere); set when it is queued. */
    int lane;
    /**
     * Non-null for a pipeline batch: the lanes of its commands in order, one reply frame each; the
     * waiter is completed once with all of them together, or in parts when they are large
     * ({@link #spill}; see {@link LaneBatch}).
     */
    int[] lanes;

    /** How many reply frames this waiter takes. */
    final int frames() {
        return lanes == null ? 1 : lanes.length;
    }

    /** The lane of its {@code i}th command. */
    final int laneOf(int i) {
        return lanes == null ? lane : lanes[i];
    }

    /** The reply is {@code buf[off, off+len)} (a batch's: all its frames); copy what is kept, the buffer is reused. */
    abstract void complete(byte[] buf, int off, int len);

    /**
     * Part of a batch's replies, the first ones still missing, to pass on ahead of the rest
     * (which keep coming to {@link #complete}); only the reply slot of a batch can.
     */
    void spill(byte[] buf, int off, int len) {
        throw new UnsupportedOperationException("only a batch's reply slot takes its replies in parts");
    }

    /** No reply will come: {@code error} is a whole RESP error frame (a batch's: one per command without a reply). */
    abstract void fail(byte[] error);
}

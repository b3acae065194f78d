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

    /** The reply is {@code buf[off, off+len)}; copy what is kept, the buffer is reused. */
    abstract void complete(byte[] buf, int off, int len);

    /** No reply will come: {@code error} is a whole RESP error frame. */
    abstract void fail(byte[] error);
}

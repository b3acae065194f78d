package io.eden.adapters.pgwire;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffered socket input that tells what it holds without asking the kernel
 * ({@code available()} is an ioctl per call), and gives the held bytes up when the
 * connection moves to an event loop.
 */
final class Input extends BufferedInputStream {
    Input(InputStream in, int size) {
        super(in, size);
    }

    /** Bytes read from the socket and not yet consumed (by the thread that reads). */
    int buffered() {
        return count - pos;
    }

    /** Removes and returns the buffered bytes. */
    synchronized byte[] takeBuffered() {
        byte[] held = Arrays.copyOfRange(buf, pos, count);
        pos = count;
        return held;
    }
}

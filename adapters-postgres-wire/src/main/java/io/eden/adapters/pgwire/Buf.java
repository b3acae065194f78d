package io.eden.adapters.pgwire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * A byte array with a read and a write index, owned by one event-loop thread. Messages are
 * framed and forwarded in place; the one {@link ByteBuffer} view is kept so channel I/O
 * allocates nothing.
 */
final class Buf {
    static final int STANDARD = 16 * 1024;
    /** The least a connection keeps for a message it holds. */
    static final int SMALL = 256;
    byte[] a;
    int r;
    int w;
    private ByteBuffer view;

    Buf(int capacity) {
        a = new byte[capacity];
        view = ByteBuffer.wrap(a);
    }

    int readable() {
        return w - r;
    }

    int capacity() {
        return a.length;
    }

    byte at(int i) {
        return a[r + i];
    }

    int intAt(int i) {
        return Wire.getInt(a, r + i);
    }

    void skip(int n) {
        r += n;
        if (r == w) {
            r = 0;
            w = 0;
        }
    }

    /** Room for {@code n} more bytes at the write end, moving unread bytes to the front first. */
    void ensureSpace(int n) {
        if (a.length - w >= n) {
            return;
        }
        if (r > 0) {
            System.arraycopy(a, r, a, 0, w - r);
            w -= r;
            r = 0;
        }
        if (a.length - w < n) {
            a = Arrays.copyOf(a, Math.max(w + n, Math.min(Integer.MAX_VALUE - 8, 2 * a.length)));
            view = ByteBuffer.wrap(a);
        }
    }

    /**
     * Makes room for a message of {@code total} bytes at the read index, growing at most by
     * doubling: a peer that only announces a huge length makes this allocate little.
     */
    void growToward(int total) {
        if (r > 0 && a.length - r < total) {
            System.arraycopy(a, r, a, 0, w - r);
            w -= r;
            r = 0;
        }
        if (a.length - r < total && w == a.length) {
            a = Arrays.copyOf(a, (int) Math.min(total, 2L * a.length));
            view = ByteBuffer.wrap(a);
        }
    }

    int readFrom(ReadableByteChannel channel) throws IOException {
        if (w == a.length) {
            ensureSpace(1);
        }
        view.limit(a.length).position(w);
        int n = channel.read(view);
        if (n > 0) {
            w += n;
        }
        return n;
    }

    int writeTo(WritableByteChannel channel) throws IOException {
        view.limit(w).position(r);
        int n = channel.write(view);
        skip(n);
        return n;
    }

    boolean full() {
        return r == 0 && w == a.length;
    }

    void put(int b) {
        ensureSpace(1);
        a[w++] = (byte) b;
    }

    void putInt(int v) {
        ensureSpace(4);
        Wire.putInt(a, w, v);
        w += 4;
    }

    void put(byte[] b) {
        put(b, 0, b.length);
    }

    void put(byte[] b, int off, int len) {
        ensureSpace(len);
        System.arraycopy(b, off, a, w, len);
        w += len;
    }

    /** Moves {@code n} bytes from {@code src}'s read end to this buffer's write end. */
    void move(Buf src, int n) {
        put(src.a, src.r, n);
        src.skip(n);
    }
}

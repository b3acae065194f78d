package io.eden.adapters.pgwire;

import java.util.Arrays;

/**
 * A byte range as a hash key. Stored keys own a copy; a probe points into a message buffer,
 * so looking a statement name or query up allocates nothing. A probe is reused by one thread
 * and never stored.
 */
final class ByteKey {
    private byte[] bytes;
    private int off;
    private int len;
    private int hash;

    private ByteKey(byte[] bytes, int off, int len) {
        set(bytes, off, len);
    }

    static ByteKey copyOf(byte[] bytes, int off, int len) {
        return new ByteKey(Arrays.copyOfRange(bytes, off, off + len), 0, len);
    }

    /** A stored key with the bytes a probe points at. */
    static ByteKey copyOf(ByteKey probe) {
        return copyOf(probe.bytes, probe.off, probe.len);
    }

    static ByteKey probe() {
        return new ByteKey(new byte[0], 0, 0);
    }

    ByteKey set(byte[] bytes, int off, int len) {
        this.bytes = bytes;
        this.off = off;
        this.len = len;
        int h = 1;
        for (int i = off, end = off + len; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        this.hash = h;
        return this;
    }

    /** The bytes of a stored key (not of a probe, whose array is someone's buffer). */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && k.hash == hash
                && Arrays.equals(bytes, off, off + len, k.bytes, k.off, k.off + k.len);
    }
}

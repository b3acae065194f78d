package io.eden.adapters.redis.proxy;

import java.util.Arrays;

/** A reusable byte buffer that grows as bytes are appended, and lets a large one go once cleared. */
final class GrowingBytes {
    private static final int FIRST = 1024;
    private static final int KEPT = 64 * 1024;

    private byte[] bytes = new byte[0];
    private int length;

    void append(byte[] buf, int off, int len) {
        if (bytes.length - length < len) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max((long) length + len, Math.max(FIRST, 2L * bytes.length))));
        }
        System.arraycopy(buf, off, bytes, length, len);
        length += len;
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void clear() {
        length = 0;
        if (bytes.length > KEPT) {
            bytes = new byte[0];
        }
    }
}

package io.eden.adapters.pgwire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A reusable message body buffer. It grows only as bytes actually arrive, so a peer that
 * announces a huge length but sends little makes Eden allocate little.
 */
final class Body {
    private static final int CHUNK = 64 * 1024;
    byte[] data;
    int length;

    Body(int initial) {
        data = new byte[initial];
    }

    void read(InputStream in, int len) throws IOException {
        length = 0;
        if (len <= data.length) {
            Wire.readFully(in, data, 0, len);
            length = len;
            return;
        }
        while (length < len) {
            int want = Math.min(CHUNK, len - length);
            if (length + want > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(len, Math.max((long) length + want, 2L * data.length)));
            }
            int n = in.read(data, length, want);
            if (n < 0) {
                throw new EOFException("connection closed");
            }
            length += n;
        }
    }

    byte[] copy() {
        return Arrays.copyOf(data, length);
    }
}

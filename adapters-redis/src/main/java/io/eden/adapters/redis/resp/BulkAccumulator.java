package io.eden.adapters.redis.resp;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the body of a bulk value whose length the peer announced. A peer can announce
 * 512 MB and send nothing, so memory is taken only as bytes arrive: small bodies get their
 * exact array at once (bounded by {@link #SEGMENT}), large ones are gathered in segments and
 * joined once complete.
 */
final class BulkAccumulator {
    static final int SEGMENT = 64 * 1024;

    private final int length;
    private final List<byte[]> segments = new ArrayList<>();
    private byte[] current;
    private int currentFill;
    private int received;

    BulkAccumulator(int length) {
        this.length = length;
    }

    int received() {
        return received;
    }

    int remaining() {
        return length - received;
    }

    boolean isComplete() {
        return received == length;
    }

    /** Takes up to {@link #remaining()} bytes from {@code source}; returns how many it took. */
    int append(byte[] source, int offset, int available) {
        int taken = 0;
        while (taken < available && received < length) {
            if (current == null || currentFill == current.length) {
                current = new byte[Math.min(SEGMENT, length - received)];
                currentFill = 0;
                segments.add(current);
            }
            int n = Math.min(available - taken, current.length - currentFill);
            System.arraycopy(source, offset + taken, current, currentFill, n);
            currentFill += n;
            received += n;
            taken += n;
        }
        return taken;
    }

    byte[] toByteArray() {
        if (segments.isEmpty()) {
            return new byte[0];
        }
        if (segments.size() == 1) {
            return segments.getFirst();
        }
        byte[] whole = new byte[length];
        int at = 0;
        for (byte[] segment : segments) {
            System.arraycopy(segment, 0, whole, at, segment.length);
            at += segment.length;
        }
        return whole;
    }
}

package io.eden.domain.routing;

import java.nio.charset.StandardCharsets;

/**
 * The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of the part inside
 * the first non-empty {@code {...}} hash tag, modulo 16384. Eden uses the same slots for
 * every protocol so that percentages mean the same thing everywhere.
 */
public final class HashSlot {
    public static final int COUNT = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private HashSlot() {
    }

    public static int of(String key) {
        return of(key.getBytes(StandardCharsets.UTF_8));
    }

    public static int of(byte[] key) {
        return of(key, 0, key.length);
    }

    /** The slot of {@code key[offset, offset+length)}, so a parser can hash a key in its buffer without copying. */
    public static int of(byte[] key, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (key[i] == '{') {
                for (int j = i + 1; j < end; j++) {
                    if (key[j] == '}') {
                        if (j > i + 1) {
                            start = i + 1;
                            end = j;
                        }
                        break;
                    }
                }
                break;
            }
        }
        return crc16(key, start, end) & (COUNT - 1);
    }

    static int crc16(byte[] data, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ data[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /** Slots below this bound are in the first {@code fraction} of the slot space. */
    public static int boundary(double fraction) {
        return (int) Math.floor(fraction * COUNT);
    }
}

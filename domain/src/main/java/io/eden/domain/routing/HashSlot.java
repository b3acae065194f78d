package io.eden.domain.routing;

import java.nio.charset.StandardCharsets;

/**
 * The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of the part inside
 * the first non-empty {@code {...}} hash tag, modulo 16384. Eden uses the same slots for
 * every protocol so that percentages mean the same thing everywhere.
 */
public final class HashSlot {
    public static final int COUNT = 16384;
    /**
     * Eight tables of 256: entry {@code k * 256 + b} is the CRC of byte {@code b} followed by
     * {@code k} zero bytes. CRC is linear, so eight bytes at a time are the XOR of eight
     * independent lookups instead of a chain of eight dependent ones: every proxied command
     * hashes its key, and the byte-at-a-time chain was 4% of the proxy's CPU.
     */
    private static final int[] TABLES = new int[8 * 256];

    static {
        for (int b = 0; b < 256; b++) {
            int crc = b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLES[b] = crc & 0xFFFF;
        }
        for (int k = 1; k < 8; k++) {
            for (int b = 0; b < 256; b++) {
                int previous = TABLES[(k - 1) * 256 + b];
                TABLES[k * 256 + b] = ((previous << 8) ^ TABLES[previous >>> 8]) & 0xFFFF;
            }
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
        int i = from;
        for (; i + 8 <= to; i += 8) {
            // the register (16 bits) folds into the first two bytes; the other six stand alone
            crc = TABLES[7 * 256 + (((crc >>> 8) ^ data[i]) & 0xFF)]
                    ^ TABLES[6 * 256 + ((crc ^ data[i + 1]) & 0xFF)]
                    ^ TABLES[5 * 256 + (data[i + 2] & 0xFF)]
                    ^ TABLES[4 * 256 + (data[i + 3] & 0xFF)]
                    ^ TABLES[3 * 256 + (data[i + 4] & 0xFF)]
                    ^ TABLES[2 * 256 + (data[i + 5] & 0xFF)]
                    ^ TABLES[256 + (data[i + 6] & 0xFF)]
                    ^ TABLES[data[i + 7] & 0xFF];
        }
        for (; i < to; i++) {
            crc = ((crc << 8) ^ TABLES[((crc >>> 8) ^ data[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /** Slots below this bound are in the first {@code fraction} of the slot space. */
    public static int boundary(double fraction) {
        return (int) Math.floor(fraction * COUNT);
    }
}

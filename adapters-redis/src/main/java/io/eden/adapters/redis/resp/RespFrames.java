package io.eden.adapters.redis.resp;

/**
 * Finds where one whole RESP2/RESP3 value ends in a buffer, without building it: a proxy that
 * only passes replies on needs their boundaries, not their contents. Allocates nothing.
 * Meant for what a Redis server sends (trusted framing); a malformed frame is reported as -2.
 */
public final class RespFrames {
    public static final int INCOMPLETE = -1;
    public static final int MALFORMED = -2;

    private RespFrames() {
    }

    /**
     * The index just past the value starting at {@code from}, {@link #INCOMPLETE} when the
     * bytes up to {@code to} do not yet hold all of it, or {@link #MALFORMED}.
     */
    public static int end(byte[] buf, int from, int to) {
        long remaining = 1;
        int pos = from;
        while (remaining > 0) {
            if (pos >= to) {
                return INCOMPLETE;
            }
            byte type = buf[pos];
            int lineEnd = lineFeed(buf, pos + 1, to);
            if (lineEnd < 0) {
                return INCOMPLETE;
            }
            remaining--;
            switch (type) {
                case '+', '-', ':', '_', '#', ',', '(' -> pos = lineEnd + 1;
                case '$', '!', '=' -> {
                    long length = number(buf, pos + 1, lineEnd - 1);
                    if (length < 0) {
                        if (length == -1 && type == '$') {
                            pos = lineEnd + 1; // $-1: the RESP2 null
                            break;
                        }
                        return MALFORMED;
                    }
                    long after = (long) lineEnd + 1 + length + 2;
                    if (after > to) {
                        return INCOMPLETE;
                    }
                    pos = (int) after;
                }
                case '*', '~', '>' -> {
                    long count = number(buf, pos + 1, lineEnd - 1);
                    if (count < -1) {
                        return MALFORMED;
                    }
                    remaining += Math.max(0, count);
                    pos = lineEnd + 1;
                }
                case '%' -> {
                    long count = number(buf, pos + 1, lineEnd - 1);
                    if (count < 0) {
                        return MALFORMED;
                    }
                    remaining += 2 * count;
                    pos = lineEnd + 1;
                }
                case '|' -> {
                    long count = number(buf, pos + 1, lineEnd - 1);
                    if (count < 0) {
                        return MALFORMED;
                    }
                    remaining += 2 * count + 1; // the attributes, then the value they describe
                    pos = lineEnd + 1;
                }
                default -> {
                    return MALFORMED;
                }
            }
        }
        return pos;
    }

    private static int lineFeed(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The decimal number in {@code buf[from, crIndex)}, or {@link Long#MIN_VALUE} when it is none. */
    private static long number(byte[] buf, int from, int crIndex) {
        if (crIndex <= from || buf[crIndex] != '\r') {
            return Long.MIN_VALUE;
        }
        boolean negative = buf[from] == '-';
        int i = negative ? from + 1 : from;
        if (i == crIndex || crIndex - i > 18) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < crIndex; i++) {
            byte d = buf[i];
            if (d < '0' || d > '9') {
                return Long.MIN_VALUE;
            }
            value = value * 10 + (d - '0');
        }
        return negative ? -value : value;
    }

    /** Whether the value at {@code from} is a RESP3 push ({@code >}), which no request asked for. */
    public static boolean isPush(byte[] buf, int from) {
        return buf[from] == '>';
    }
}

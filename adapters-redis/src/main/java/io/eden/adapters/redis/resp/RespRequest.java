package io.eden.adapters.redis.resp;

import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One client command where it lies in a read buffer: the bounds of its whole frame and of
 * each argument. A proxy forwards the frame's bytes as they came and only looks at the name
 * and the keys, so finding these bounds ({@link #scan}) is all the parsing a command gets on
 * the hot path; it allocates nothing once the offset arrays have grown to the widest command
 * seen. Reused from command to command: a view, valid until the buffer is reused or {@link #scan}
 * is called again.
 *
 * <p>{@link #scan} accepts only the plain form: a multi-bulk ({@code *N}, N &gt; 0) of bulk
 * strings within the {@link RespLimits}. Anything else (an inline command, an empty or null
 * array, a wrong type byte, a length beyond a limit, a number it does not read at once) is
 * {@link #NOT_PLAIN}: the caller then hands the bytes to {@link RespParser}, which accepts what
 * Redis accepts and words its errors as Redis does. Not thread-safe.
 */
public final class RespRequest {
    /** {@link #scan}: the frame's bytes are not all there yet. */
    public static final int INCOMPLETE = -1;
    /** {@link #scan}: not a plain multi-bulk command; let {@link RespParser} read it. */
    public static final int NOT_PLAIN = -2;
    private static final int KEPT_ARGUMENTS = 256;
    private static final RespLimits UNLIMITED = new RespLimits(Integer.MAX_VALUE - 8, Integer.MAX_VALUE / 2 - 1,
            Integer.MAX_VALUE, Integer.MAX_VALUE);

    private byte[] buf;
    private int start;
    private int end;
    private int argc;
    /** Offsets relative to {@link #start}, so a partial frame may move between scans. */
    private int[] argOffset = new int[8];
    private int[] argLength = new int[8];
    private List<RespValue> materialized;

    // where the scan of a partial frame resumes (relative to the frame's start): nothing is read twice
    private int expected;
    private int scanned;
    private int resumeAt;

    /**
     * Finds the command starting at {@code buf[from]}, reading no further than {@code to}.
     * Returns the index just past its frame, {@link #INCOMPLETE} or {@link #NOT_PLAIN}. After
     * {@link #INCOMPLETE}, call again with the same frame at the start of {@code from} (the same
     * bytes and more, in this buffer or another): the scan goes on where it stopped.
     */
    public int scan(byte[] buf, int from, int to, RespLimits limits) {
        materialized = null;
        int pos = from + resumeAt;
        if (expected == 0) {
            if (from >= to) {
                return INCOMPLETE;
            }
            if (buf[from] != '*') {
                return NOT_PLAIN;
            }
            int lineFeed = lineFeed(buf, from + 1, to);
            if (lineFeed < 0) {
                return tooLongSoFar(from, to, limits) ? NOT_PLAIN : INCOMPLETE;
            }
            long count = number(buf, from + 1, lineFeed - 1);
            if (count <= 0 || count > limits.maxAggregateLength() || lineFeed - 1 - from > limits.maxLineLength()) {
                return NOT_PLAIN;
            }
            expected = (int) count;
            scanned = 0;
            pos = lineFeed + 1;
            if (argOffset.length < expected) {
                int size = Math.max(argOffset.length * 2, Math.min(expected, 1 << 20));
                argOffset = Arrays.copyOf(argOffset, size);
                argLength = Arrays.copyOf(argLength, size);
            }
        }
        while (scanned < expected) {
            if (pos >= to) {
                resumeAt = pos - from;
                return INCOMPLETE;
            }
            if (buf[pos] != '$') {
                return abandon();
            }
            int lineFeed = lineFeed(buf, pos + 1, to);
            if (lineFeed < 0) {
                if (tooLongSoFar(pos, to, limits)) {
                    return abandon();
                }
                resumeAt = pos - from;
                return INCOMPLETE;
            }
            long length = number(buf, pos + 1, lineFeed - 1);
            if (length < 0 || length > limits.maxBulkLength() || lineFeed - 1 - pos > limits.maxLineLength()) {
                return abandon();
            }
            long after = (long) lineFeed + 1 + length + 2;
            if (after > to) {
                resumeAt = pos - from;
                return INCOMPLETE;
            }
            int body = lineFeed + 1;
            int bodyEnd = body + (int) length;
            if (buf[bodyEnd] != '\r' || buf[bodyEnd + 1] != '\n') {
                return abandon();
            }
            if (scanned == argOffset.length) {
                argOffset = Arrays.copyOf(argOffset, scanned * 2);
                argLength = Arrays.copyOf(argLength, scanned * 2);
            }
            argOffset[scanned] = body - from;
            argLength[scanned] = (int) length;
            scanned++;
            pos = (int) after;
        }
        this.buf = buf;
        this.start = from;
        this.end = pos;
        this.argc = expected;
        expected = 0;
        scanned = 0;
        resumeAt = 0;
        return pos;
    }

    /** Forgets a partial scan: the next {@link #scan} starts a new frame. */
    public void reset() {
        expected = 0;
        scanned = 0;
        resumeAt = 0;
        materialized = null;
        if (argOffset.length > KEPT_ARGUMENTS) {
            argOffset = new int[8]; // a huge command is over: do not keep its arrays
            argLength = new int[8];
        }
    }

    /** Whether a partial frame is being scanned. */
    public boolean isPartial() {
        return expected != 0;
    }

    /** The command of a parsed request frame (an array of bulk strings), in a buffer of its own. */
    public static RespRequest of(ArrayValue command) {
        byte[] bytes = RespWriter.encode(command);
        RespRequest request = new RespRequest();
        if (request.scan(bytes, 0, bytes.length, UNLIMITED) != bytes.length) {
            throw new IllegalArgumentException("not a command: " + command);
        }
        return request;
    }

    /** A copy that keeps its bytes after this one's buffer is reused. */
    public RespRequest copy() {
        byte[] bytes = Arrays.copyOfRange(buf, start, end);
        RespRequest copy = new RespRequest();
        copy.buf = bytes;
        copy.start = 0;
        copy.end = bytes.length;
        copy.argc = argc;
        copy.argOffset = Arrays.copyOf(argOffset, argc);
        copy.argLength = Arrays.copyOf(argLength, argc);
        return copy;
    }

    public byte[] buffer() {
        return buf;
    }

    /** Where the frame starts in {@link #buffer()}. */
    public int start() {
        return start;
    }

    /** The frame's length in bytes. */
    public int length() {
        return end - start;
    }

    public int argCount() {
        return argc;
    }

    /** Where argument {@code i} starts in {@link #buffer()}. */
    public int argOffset(int i) {
        return start + argOffset(i, argc);
    }

    private int argOffset(int i, int count) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("argument " + i + " of " + count);
        }
        return argOffset[i];
    }

    public int argLength(int i) {
        argOffset(i, argc);
        return argLength[i];
    }

    /** A copy of argument {@code i}. */
    public byte[] arg(int i) {
        int at = argOffset(i);
        return Arrays.copyOfRange(buf, at, at + argLength[i]);
    }

    /** Argument {@code i} as text (UTF-8). */
    public String argText(int i) {
        return new String(buf, argOffset(i), argLength[i], StandardCharsets.UTF_8);
    }

    /** Whether argument {@code i} is {@code word}, ignoring ASCII case as Redis does. */
    public boolean argIs(int i, String word) {
        int length = argLength(i);
        if (length != word.length()) {
            return false;
        }
        int at = argOffset(i);
        for (int k = 0; k < length; k++) {
            if (lower(buf[at + k]) != lower((byte) word.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** Whether any argument after the name is {@code word} (any case). */
    public boolean hasWord(String word) {
        for (int i = 1; i < argc; i++) {
            if (argIs(i, word)) {
                return true;
            }
        }
        return false;
    }

    /** The arguments as values: for the paths that are not worth a view of their own. Cached until the next scan. */
    public List<RespValue> args() {
        List<RespValue> args = materialized;
        if (args == null) {
            List<RespValue> list = new ArrayList<>(argc);
            for (int i = 0; i < argc; i++) {
                list.add(new BulkString(arg(i)));
            }
            args = List.copyOf(list);
            materialized = args;
        }
        return args;
    }

    public ArrayValue toArrayValue() {
        return new ArrayValue(args());
    }

    /** The frame's bytes, copied. */
    public byte[] toBytes() {
        return Arrays.copyOfRange(buf, start, end);
    }

    @Override
    public String toString() {
        return "RespRequest" + (argc == 0 ? "[]" : args());
    }

    private int abandon() {
        expected = 0;
        scanned = 0;
        resumeAt = 0;
        return NOT_PLAIN;
    }

    /** A line still without its LF that is already longer than any line may be: the parser will say so. */
    private static boolean tooLongSoFar(int lineStart, int to, RespLimits limits) {
        return to - lineStart > limits.maxLineLength() + 2;
    }

    private static int lineFeed(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The plain decimal in {@code buf[from, crIndex)} followed by CR, or -1 when it is not one (sign, too long...). */
    private static long number(byte[] buf, int from, int crIndex) {
        if (crIndex <= from || buf[crIndex] != '\r' || crIndex - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < crIndex; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }
}

package io.eden.adapters.redis.resp;

import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.AttributeValue;
import io.eden.adapters.redis.resp.RespValue.BigNumber;
import io.eden.adapters.redis.resp.RespValue.BooleanValue;
import io.eden.adapters.redis.resp.RespValue.BulkError;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespValue.DoubleValue;
import io.eden.adapters.redis.resp.RespValue.Entry;
import io.eden.adapters.redis.resp.RespValue.IntegerValue;
import io.eden.adapters.redis.resp.RespValue.MapValue;
import io.eden.adapters.redis.resp.RespValue.NullValue;
import io.eden.adapters.redis.resp.RespValue.PushValue;
import io.eden.adapters.redis.resp.RespValue.SetValue;
import io.eden.adapters.redis.resp.RespValue.SimpleError;
import io.eden.adapters.redis.resp.RespValue.SimpleString;
import io.eden.adapters.redis.resp.RespValue.VerbatimString;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An incremental RESP2/RESP3 parser: {@link #feed} it bytes as they arrive, in pieces of any
 * size, and take complete values with {@link #next()}. It keeps its progress between calls (an
 * explicit stack of open aggregates, the bulk body being received), so no byte is parsed twice
 * and a value split over many reads costs the same as one read at once.
 *
 * <p>Nothing a peer announces is trusted: lengths and counts are checked against the
 * {@link RespLimits} before anything is allocated, and a bulk body takes memory only as its
 * bytes arrive. The first malformed byte makes the parser fail for good (the stream cannot be
 * resynchronised), which is what closing the connection needs.
 *
 * <p>A parser {@link #forRequests for requests} reads what a Redis server reads: a multi-bulk
 * (starting with {@code *}) or an inline command line, returned as an array of bulk strings.
 * One {@link #forReplies for replies} reads any RESP2/RESP3 value. Not thread-safe: one per
 * connection direction.
 */
public final class RespParser {
    private static final int INITIAL_BUFFER = 1024; // small: an idle connection holds it; it grows with the input

    private final RespLimits limits;
    private final boolean requests;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int start;
    private int end;
    /** How many bytes after {@code start} are known to hold no line feed, so a long line is scanned once. */
    private int scanned;
    private final ArrayDeque<Aggregate> open = new ArrayDeque<>();
    private PendingBulk bulk;
    private RespProtocolException failure;

    private RespParser(RespLimits limits, boolean requests) {
        this.limits = Objects.requireNonNull(limits, "limits is null");
        this.requests = requests;
    }

    /** Parses what clients send a Redis server: multi-bulk commands and inline commands. */
    public static RespParser forRequests(RespLimits limits) {
        return new RespParser(limits, true);
    }

    /** Parses what a Redis server sends: any RESP2 or RESP3 value. */
    public static RespParser forReplies(RespLimits limits) {
        return new RespParser(limits, false);
    }

    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** Copies the bytes in; the caller may reuse its array afterwards. */
    public void feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        makeRoom(length);
        System.arraycopy(bytes, offset, buffer, end, length);
        end += length;
    }

    /**
     * The next complete value, or {@code null} when more bytes are needed.
     *
     * @throws RespProtocolException when the input is malformed or exceeds a limit; every later call throws it again
     */
    public RespValue next() throws RespProtocolException {
        if (failure != null) {
            throw failure;
        }
        try {
            return parseNext();
        } catch (RespProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /** Whether bytes have been fed that {@link #next()} has not yet returned as part of a value. */
    public boolean isMidValue() {
        return start < end || bulk != null || !open.isEmpty();
    }

    /** Bytes held for a value not yet returned (buffered input and the bulk body received so far). */
    public long bufferedBytes() {
        return (long) (end - start) + (bulk != null ? bulk.body().received() : 0);
    }

    private RespValue parseNext() throws RespProtocolException {
        while (true) {
            RespValue value;
            if (bulk != null) {
                value = continueBulk();
                if (value == null) {
                    return null;
                }
            } else {
                int lineFeed = findLineFeed();
                if (lineFeed < 0) {
                    return null;
                }
                value = parseLine(lineFeed);
                if (value == null) {
                    continue; // an aggregate or bulk was opened, or a blank inline line skipped
                }
            }
            RespValue whole = closeInto(value);
            if (whole != null) {
                return whole;
            }
        }
    }

    /** Adds a finished value to the aggregates it completes; returns the top-level value once one is whole. */
    private RespValue closeInto(RespValue value) {
        while (!open.isEmpty()) {
            Aggregate parent = open.peek();
            if (!parent.add(value)) {
                return null;
            }
            open.pop();
            value = parent.build();
        }
        return value;
    }

    private int findLineFeed() throws RespProtocolException {
        for (int i = start + scanned; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        scanned = end - start;
        // the CR of a line that is just long enough may already be here
        if (scanned > limits.maxLineLength() + 1) {
            throw lineTooLong();
        }
        return -1;
    }

    private RespValue parseLine(int lineFeed) throws RespProtocolException {
        int from = start;
        boolean crlf = lineFeed > from && buffer[lineFeed - 1] == '\r';
        int to = crlf ? lineFeed - 1 : lineFeed;
        if (to - from > limits.maxLineLength()) {
            throw lineTooLong();
        }
        start = lineFeed + 1;
        scanned = 0;
        if (requests && open.isEmpty() && buffer[from] != '*') {
            return inlineCommand(from, to);
        }
        if (!crlf) {
            throw new RespProtocolException("line not terminated by CRLF");
        }
        char type = (char) buffer[from];
        int body = from + 1;
        return switch (type) {
            case '+' -> new SimpleString(Arrays.copyOfRange(buffer, body, to));
            case '-' -> new SimpleError(Arrays.copyOfRange(buffer, body, to));
            case ':' -> new IntegerValue(parseLong(body, to, "invalid integer"));
            case '$', '!', '=' -> openBulk(type, parseLong(body, to, "invalid bulk length"));
            case '*', '~', '>', '%', '|' -> openAggregate(type, parseLong(body, to, "invalid multibulk length"));
            case '_' -> {
                if (to != body) {
                    throw new RespProtocolException("invalid null");
                }
                yield NullValue.RESP3;
            }
            case ',' -> parseDouble(body, to);
            case '#' -> parseBoolean(body, to);
            case '(' -> parseBigNumber(body, to);
            default -> throw new RespProtocolException(requests
                    ? "expected '$', got '" + printable(type) + "'"
                    : "unknown type byte '" + printable(type) + "'");
        };
    }

    private RespValue inlineCommand(int from, int to) throws RespProtocolException {
        List<byte[]> words = InlineCommandSplitter.split(buffer, from, to);
        if (words.isEmpty()) {
            return null; // Redis ignores empty lines (telnet users press enter)
        }
        List<RespValue> arguments = new ArrayList<>(words.size());
        for (byte[] word : words) {
            arguments.add(new BulkString(word));
        }
        return new ArrayValue(arguments);
    }

    private RespValue openBulk(char type, long length) throws RespProtocolException {
        if (type == '$' && length == -1) {
            return NullValue.BULK;
        }
        if (length < 0 || length > limits.maxBulkLength()) {
            throw new RespProtocolException(length < 0 ? "invalid bulk length"
                    : "invalid bulk length (" + length + " is above the limit of " + limits.maxBulkLength() + " bytes)");
        }
        if (type == '=' && length < 4) {
            throw new RespProtocolException("invalid verbatim string length");
        }
        bulk = new PendingBulk(type, new BulkAccumulator((int) length));
        return null;
    }

    private RespValue continueBulk() throws RespProtocolException {
        BulkAccumulator body = bulk.body();
        if (!body.isComplete()) {
            start += body.append(buffer, start, end - start);
            if (!body.isComplete()) {
                return null;
            }
        }
        if (end - start < 2) {
            return null;
        }
        if (buffer[start] != '\r' || buffer[start + 1] != '\n') {
            throw new RespProtocolException("bulk string not terminated by CRLF");
        }
        start += 2;
        PendingBulk done = bulk;
        bulk = null;
        return done.toValue();
    }

    private RespValue openAggregate(char type, long count) throws RespProtocolException {
        if (type == '*' && count == -1) {
            return NullValue.ARRAY;
        }
        if (count < 0 || count > limits.maxAggregateLength()) {
            throw new RespProtocolException(count < 0 ? "invalid multibulk length"
                    : "invalid multibulk length (" + count + " is above the limit of "
                    + limits.maxAggregateLength() + " elements)");
        }
        if (open.size() >= limits.maxDepth()) {
            throw new RespProtocolException("nesting deeper than " + limits.maxDepth() + " levels");
        }
        int elements = switch (type) {
            case '%' -> (int) count * 2;
            case '|' -> (int) count * 2 + 1; // the attributed value follows the pairs
            default -> (int) count;
        };
        Aggregate aggregate = new Aggregate(type, elements);
        if (elements == 0) {
            return aggregate.build();
        }
        open.push(aggregate);
        return null;
    }

    private long parseLong(int from, int to, String problem) throws RespProtocolException {
        boolean negative = from < to && buffer[from] == '-';
        int p = negative ? from + 1 : from;
        if (p >= to || to - p > 19) {
            throw new RespProtocolException(problem);
        }
        // accumulate negatively: Long.MIN_VALUE has no positive counterpart
        long value = 0;
        try {
            for (; p < to; p++) {
                int digit = buffer[p] - '0';
                if (digit < 0 || digit > 9) {
                    throw new RespProtocolException(problem);
                }
                value = Math.subtractExact(Math.multiplyExact(value, 10), digit);
            }
            return negative ? value : Math.negateExact(value);
        } catch (ArithmeticException overflow) {
            throw new RespProtocolException(problem);
        }
    }

    private RespValue parseDouble(int from, int to) throws RespProtocolException {
        try {
            return new DoubleValue(new String(buffer, from, to - from, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new RespProtocolException("invalid double");
        }
    }

    private RespValue parseBoolean(int from, int to) throws RespProtocolException {
        if (to - from == 1 && buffer[from] == 't') {
            return BooleanValue.TRUE;
        }
        if (to - from == 1 && buffer[from] == 'f') {
            return BooleanValue.FALSE;
        }
        throw new RespProtocolException("invalid boolean");
    }

    private RespValue parseBigNumber(int from, int to) throws RespProtocolException {
        int p = from < to && (buffer[from] == '-' || buffer[from] == '+') ? from + 1 : from;
        if (p >= to) {
            throw new RespProtocolException("invalid big number");
        }
        for (int i = p; i < to; i++) {
            if (buffer[i] < '0' || buffer[i] > '9') {
                throw new RespProtocolException("invalid big number");
            }
        }
        return new BigNumber(new BigInteger(new String(buffer, from, to - from, StandardCharsets.US_ASCII)));
    }

    private RespProtocolException lineTooLong() {
        if (requests && open.isEmpty() && bulk == null) {
            return new RespProtocolException(buffer[start] == '*' ? "too big mbulk count string"
                    : "too big inline request");
        }
        return new RespProtocolException("line longer than " + limits.maxLineLength() + " bytes");
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c & 0xff);
    }

    /** Makes room for {@code more} bytes after {@code end}, moving unread bytes to the front. */
    private void makeRoom(int more) {
        if (buffer.length - end >= more) {
            return;
        }
        int unread = end - start;
        int needed = Math.addExact(unread, more);
        byte[] target = buffer;
        if (needed > buffer.length) {
            target = new byte[Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, 2L * buffer.length))];
        } else if (buffer.length > 4 * INITIAL_BUFFER && needed <= INITIAL_BUFFER) {
            target = new byte[INITIAL_BUFFER]; // give a burst's memory back: normally a line plus one read is held
        }
        System.arraycopy(buffer, start, target, 0, unread);
        buffer = target;
        start = 0;
        end = unread;
    }

    /** A bulk-like value whose body is still arriving: {@code $} bulk string, {@code !} bulk error, {@code =} verbatim. */
    private record PendingBulk(char type, BulkAccumulator body) {
        RespValue toValue() throws RespProtocolException {
            byte[] bytes = body.toByteArray();
            return switch (type) {
                case '$' -> new BulkString(bytes);
                case '!' -> new BulkError(bytes);
                default -> verbatim(bytes);
            };
        }

        private static RespValue verbatim(byte[] bytes) throws RespProtocolException {
            for (int i = 0; i < 3; i++) {
                if (bytes[i] < 0x21 || bytes[i] > 0x7e) {
                    throw new RespProtocolException("invalid verbatim string format");
                }
            }
            if (bytes[3] != ':') {
                throw new RespProtocolException("invalid verbatim string format");
            }
            return new VerbatimString(new String(bytes, 0, 3, StandardCharsets.US_ASCII),
                    Arrays.copyOfRange(bytes, 4, bytes.length));
        }
    }

    /** An aggregate whose elements are still arriving; it never pre-sizes beyond a small start. */
    private static final class Aggregate {
        private final char type;
        private final int expected;
        private final List<RespValue> elements;

        Aggregate(char type, int expected) {
            this.type = type;
            this.expected = expected;
            this.elements = new ArrayList<>(Math.min(expected, 16));
        }

        /** Returns whether the aggregate is now complete. */
        boolean add(RespValue element) {
            elements.add(element);
            return elements.size() == expected;
        }

        RespValue build() {
            return switch (type) {
                case '*' -> new ArrayValue(elements);
                case '~' -> new SetValue(elements);
                case '>' -> new PushValue(elements);
                case '%' -> new MapValue(pairs(elements.size()));
                default -> new AttributeValue(pairs(elements.size() - 1), elements.getLast());
            };
        }

        private List<Entry> pairs(int count) {
            List<Entry> pairs = new ArrayList<>(count / 2);
            for (int i = 0; i < count; i += 2) {
                pairs.add(new Entry(elements.get(i), elements.get(i + 1)));
            }
            return pairs;
        }
    }
}

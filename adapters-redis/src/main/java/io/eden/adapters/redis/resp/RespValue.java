package io.eden.adapters.redis.resp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One RESP2 or RESP3 value, as it travels on the wire. Text-like values keep their raw bytes
 * so that a value parsed and written again is byte-for-byte what the peer sent (a proxy must
 * not re-encode a key name or an error message it does not understand). Arrays held by these
 * records are not copied: whoever builds a value hands the array over and must not change it.
 */
public sealed interface RespValue {

    /** The byte that introduces this type on the wire, e.g. {@code '*'} for an array. */
    char marker();

    /** {@code +OK}: a short status line. */
    record SimpleString(byte[] bytes) implements RespValue {
        public SimpleString {
            Objects.requireNonNull(bytes, "bytes is null");
        }

        public static SimpleString of(String text) {
            return new SimpleString(utf8(text));
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public char marker() {
            return '+';
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SimpleString other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "SimpleString[" + text() + "]";
        }
    }

    /** {@code -ERR message}: an error line; the first word is the error code by convention. */
    record SimpleError(byte[] bytes) implements RespValue {
        public SimpleError {
            Objects.requireNonNull(bytes, "bytes is null");
        }

        public static SimpleError of(String text) {
            return new SimpleError(utf8(text));
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public char marker() {
            return '-';
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SimpleError other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "SimpleError[" + text() + "]";
        }
    }

    /** {@code :42}: a signed 64-bit integer. */
    record IntegerValue(long value) implements RespValue {
        @Override
        public char marker() {
            return ':';
        }
    }

    /** {@code $3 foo}: binary-safe bytes; the usual form of keys, values and command arguments. */
    record BulkString(byte[] bytes) implements RespValue {
        public BulkString {
            Objects.requireNonNull(bytes, "bytes is null");
        }

        public static BulkString of(String text) {
            return new BulkString(utf8(text));
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public char marker() {
            return '$';
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BulkString other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "BulkString[" + text() + "]";
        }
    }

    /** {@code *n}: an ordered list; a client command is an array of bulk strings. */
    record ArrayValue(List<RespValue> elements) implements RespValue {
        public ArrayValue {
            elements = List.copyOf(elements);
        }

        public static ArrayValue of(RespValue... elements) {
            return new ArrayValue(List.of(elements));
        }

        @Override
        public char marker() {
            return '*';
        }
    }

    /**
     * The absence of a value. RESP2 spells it {@code $-1} or {@code *-1} and RESP3 {@code _};
     * the form is kept so that writing it again gives a RESP2 client what it expects.
     */
    record NullValue(Form form) implements RespValue {
        public static final NullValue RESP3 = new NullValue(Form.RESP3);
        public static final NullValue BULK = new NullValue(Form.BULK);
        public static final NullValue ARRAY = new NullValue(Form.ARRAY);

        public NullValue {
            Objects.requireNonNull(form, "form is null");
        }

        @Override
        public char marker() {
            return switch (form) {
                case RESP3 -> '_';
                case BULK -> '$';
                case ARRAY -> '*';
            };
        }

        public enum Form { RESP3, BULK, ARRAY }
    }

    /** One key/value pair of a {@link MapValue} or {@link AttributeValue}. */
    record Entry(RespValue key, RespValue value) {
        public Entry {
            Objects.requireNonNull(key, "key is null");
            Objects.requireNonNull(value, "value is null");
        }
    }

    /** RESP3 {@code %n}: pairs in the order the peer sent them (duplicates are kept as sent). */
    record MapValue(List<Entry> entries) implements RespValue {
        public MapValue {
            entries = List.copyOf(entries);
        }

        @Override
        public char marker() {
            return '%';
        }
    }

    /** RESP3 {@code ~n}: an unordered collection, kept in wire order so it writes back identically. */
    record SetValue(List<RespValue> elements) implements RespValue {
        public SetValue {
            elements = List.copyOf(elements);
        }

        @Override
        public char marker() {
            return '~';
        }
    }

    /**
     * RESP3 {@code ,1.5}: a floating point number. The text is kept as sent ({@code inf},
     * {@code -inf}, {@code nan} included) because re-formatting a double can change its digits.
     */
    record DoubleValue(String text) implements RespValue {
        public DoubleValue {
            Objects.requireNonNull(text, "text is null");
            parse(text);
        }

        public static DoubleValue of(double value) {
            if (Double.isNaN(value)) {
                return new DoubleValue("nan");
            }
            if (Double.isInfinite(value)) {
                return new DoubleValue(value > 0 ? "inf" : "-inf");
            }
            return new DoubleValue(Double.toString(value));
        }

        public double value() {
            return parse(text);
        }

        private static double parse(String text) {
            return switch (text.toLowerCase(java.util.Locale.ROOT)) {
                case "inf", "+inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                case "nan", "-nan" -> Double.NaN;
                default -> {
                    // Double.parseDouble accepts hex, "Infinity", trailing 'd' ...: RESP allows digits only
                    if (text.isEmpty() || !text.chars().allMatch(c -> (c >= '0' && c <= '9')
                            || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                        throw new IllegalArgumentException("not a RESP double: " + text);
                    }
                    yield Double.parseDouble(text);
                }
            };
        }

        @Override
        public char marker() {
            return ',';
        }
    }

    /** RESP3 {@code #t} / {@code #f}. */
    record BooleanValue(boolean value) implements RespValue {
        public static final BooleanValue TRUE = new BooleanValue(true);
        public static final BooleanValue FALSE = new BooleanValue(false);

        @Override
        public char marker() {
            return '#';
        }
    }

    /** RESP3 {@code (123...}: an integer beyond 64 bits. */
    record BigNumber(BigInteger value) implements RespValue {
        public BigNumber {
            Objects.requireNonNull(value, "value is null");
        }

        @Override
        public char marker() {
            return '(';
        }
    }

    /** RESP3 {@code =n txt:...}: text with a three-letter format such as {@code txt} or {@code mkd}. */
    record VerbatimString(String format, byte[] text) implements RespValue {
        public VerbatimString {
            Objects.requireNonNull(format, "format is null");
            Objects.requireNonNull(text, "text is null");
            if (utf8(format).length != 3) {
                throw new IllegalArgumentException("a verbatim string format has exactly 3 bytes: " + format);
            }
        }

        @Override
        public char marker() {
            return '=';
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof VerbatimString other && format.equals(other.format) && Arrays.equals(text, other.text);
        }

        @Override
        public int hashCode() {
            return 31 * format.hashCode() + Arrays.hashCode(text);
        }

        @Override
        public String toString() {
            return "VerbatimString[" + format + ":" + new String(text, StandardCharsets.UTF_8) + "]";
        }
    }

    /** RESP3 {@code >n}: out-of-band data (pub/sub messages, invalidations), not a reply to a command. */
    record PushValue(List<RespValue> elements) implements RespValue {
        public PushValue {
            elements = List.copyOf(elements);
        }

        @Override
        public char marker() {
            return '>';
        }
    }

    /**
     * RESP3 {@code |n}: metadata about the value that follows it. The parser attaches that value
     * here, so an attribute never counts as a reply of its own (reply counting stays FIFO-exact).
     */
    record AttributeValue(List<Entry> attributes, RespValue value) implements RespValue {
        public AttributeValue {
            attributes = List.copyOf(attributes);
            Objects.requireNonNull(value, "value is null");
        }

        @Override
        public char marker() {
            return '|';
        }
    }

    /** RESP3 {@code !n}: a binary-safe error. */
    record BulkError(byte[] bytes) implements RespValue {
        public BulkError {
            Objects.requireNonNull(bytes, "bytes is null");
        }

        public static BulkError of(String text) {
            return new BulkError(utf8(text));
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public char marker() {
            return '!';
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BulkError other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "BulkError[" + text() + "]";
        }
    }

    private static byte[] utf8(String text) {
        return Objects.requireNonNull(text, "text is null").getBytes(StandardCharsets.UTF_8);
    }
}

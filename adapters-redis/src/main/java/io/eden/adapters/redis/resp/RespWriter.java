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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes {@link RespValue}s in their wire form. Every value is written in the form it was
 * parsed from, so parse-then-write reproduces the peer's bytes. Pass a buffered stream:
 * the writer issues many small writes.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};

    private RespWriter() {
    }

    public static byte[] encode(RespValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** A command as clients send it: an array of bulk strings. */
    public static byte[] encodeCommand(String... words) {
        RespValue[] arguments = new RespValue[words.length];
        for (int i = 0; i < words.length; i++) {
            arguments[i] = BulkString.of(words[i]);
        }
        return encode(ArrayValue.of(arguments));
    }

    /** A command of raw words, as a client would send it. */
    public static byte[] encodeCommandBytes(java.util.List<byte[]> words) {
        RespValue[] arguments = new RespValue[words.size()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = new BulkString(words.get(i));
        }
        return encode(ArrayValue.of(arguments));
    }

    /**
     * A simple error line. CR and LF would end the line early and let the rest be read as
     * another reply, so they are replaced by spaces.
     */
    public static byte[] encodeError(String message) {
        return encode(SimpleError.of(message.replace('\r', ' ').replace('\n', ' ')));
    }

    public static void write(RespValue value, OutputStream out) throws IOException {
        switch (value) {
            case SimpleString v -> line(out, '+', v.bytes());
            case SimpleError v -> line(out, '-', v.bytes());
            case IntegerValue v -> line(out, ':', ascii(Long.toString(v.value())));
            case BulkString v -> bulk(out, '$', v.bytes());
            case BulkError v -> bulk(out, '!', v.bytes());
            case VerbatimString v -> verbatim(out, v);
            case ArrayValue v -> aggregate(out, '*', v.elements());
            case SetValue v -> aggregate(out, '~', v.elements());
            case PushValue v -> aggregate(out, '>', v.elements());
            case MapValue v -> pairs(out, '%', v.entries());
            case AttributeValue v -> {
                pairs(out, '|', v.attributes());
                write(v.value(), out);
            }
            case NullValue v -> nullValue(out, v);
            case DoubleValue v -> line(out, ',', ascii(v.text()));
            case BooleanValue v -> line(out, '#', new byte[] {(byte) (v.value() ? 't' : 'f')});
            case BigNumber v -> line(out, '(', ascii(v.value().toString()));
        }
    }

    private static void nullValue(OutputStream out, NullValue value) throws IOException {
        switch (value.form()) {
            case RESP3 -> line(out, '_', new byte[0]);
            case BULK -> line(out, '$', ascii("-1"));
            case ARRAY -> line(out, '*', ascii("-1"));
        }
    }

    private static void verbatim(OutputStream out, VerbatimString value) throws IOException {
        byte[] format = ascii(value.format());
        line(out, '=', ascii(Integer.toString(format.length + 1 + value.text().length)));
        out.write(format);
        out.write(':');
        out.write(value.text());
        out.write(CRLF);
    }

    private static void aggregate(OutputStream out, char marker, List<RespValue> elements) throws IOException {
        line(out, marker, ascii(Integer.toString(elements.size())));
        for (RespValue element : elements) {
            write(element, out);
        }
    }

    private static void pairs(OutputStream out, char marker, List<Entry> entries) throws IOException {
        line(out, marker, ascii(Integer.toString(entries.size())));
        for (Entry entry : entries) {
            write(entry.key(), out);
            write(entry.value(), out);
        }
    }

    private static void bulk(OutputStream out, char marker, byte[] bytes) throws IOException {
        line(out, marker, ascii(Integer.toString(bytes.length)));
        out.write(bytes);
        out.write(CRLF);
    }

    private static void line(OutputStream out, char marker, byte[] content) throws IOException {
        out.write(marker);
        out.write(content);
        out.write(CRLF);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}

package io.eden.adapters.redis.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.AttributeValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespValue.DoubleValue;
import io.eden.adapters.redis.resp.RespValue.Entry;
import io.eden.adapters.redis.resp.RespValue.IntegerValue;
import io.eden.adapters.redis.resp.RespValue.NullValue;
import io.eden.adapters.redis.resp.RespValue.SimpleString;
import io.eden.adapters.redis.resp.RespValue.VerbatimString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespWriterTest {

    @Test
    void a_command_is_an_array_of_bulk_strings_with_byte_lengths() {
        assertEquals("*3\r\n$3\r\nSET\r\n$3\r\nké\r\n$0\r\n\r\n", text(RespWriter.encodeCommand("SET", "ké", "")));
    }

    @Test
    void each_null_keeps_the_form_it_was_read_in() {
        assertEquals("$-1\r\n", text(RespWriter.encode(NullValue.BULK)));
        assertEquals("*-1\r\n", text(RespWriter.encode(NullValue.ARRAY)));
        assertEquals("_\r\n", text(RespWriter.encode(NullValue.RESP3)));
    }

    @Test
    void doubles_are_written_as_redis_spells_them() {
        assertEquals(",inf\r\n", text(RespWriter.encode(DoubleValue.of(Double.POSITIVE_INFINITY))));
        assertEquals(",-inf\r\n", text(RespWriter.encode(DoubleValue.of(Double.NEGATIVE_INFINITY))));
        assertEquals(",nan\r\n", text(RespWriter.encode(DoubleValue.of(Double.NaN))));
        assertEquals(",2.5\r\n", text(RespWriter.encode(DoubleValue.of(2.5))));
        assertEquals(2.5, DoubleValue.of(2.5).value());
        assertThrows(IllegalArgumentException.class, () -> new DoubleValue("Infinity"));
    }

    @Test
    void a_verbatim_length_counts_its_format_and_colon() {
        assertEquals("=9\r\ntxt:hello\r\n", text(RespWriter.encode(
                new VerbatimString("txt", "hello".getBytes(StandardCharsets.UTF_8)))));
        assertThrows(IllegalArgumentException.class, () -> new VerbatimString("text", new byte[0]));
    }

    @Test
    void an_attribute_is_written_before_the_value_it_describes() {
        AttributeValue value = new AttributeValue(List.of(new Entry(SimpleString.of("ttl"), new IntegerValue(5))),
                ArrayValue.of(BulkString.of("v")));
        assertEquals("|1\r\n+ttl\r\n:5\r\n*1\r\n$1\r\nv\r\n", text(RespWriter.encode(value)));
    }

    @Test
    void an_error_message_cannot_break_out_of_its_line() {
        assertEquals("-ERR bad  +OK\r\n", text(RespWriter.encodeError("ERR bad\r\n+OK")));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

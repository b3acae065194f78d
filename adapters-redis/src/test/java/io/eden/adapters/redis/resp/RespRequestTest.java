package io.eden.adapters.redis.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespRequestTest {
    private static final RespLimits LIMITS = new RespLimits(1024, 8, 4, 64);

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void a_command_is_found_where_it_lies_with_its_arguments() {
        byte[] buf = ascii("xx*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n*1\r\n$4\r\nPING\r\n");
        RespRequest request = new RespRequest();
        int end = request.scan(buf, 2, buf.length, LIMITS);
        assertEquals(buf.length - 14, end);
        assertEquals(3, request.argCount());
        assertEquals(2, request.start());
        assertEquals(end - 2, request.length());
        assertTrue(request.argIs(0, "set"));
        assertEquals("key", request.argText(1));
        assertArrayEquals(ascii("va\r\nl"), request.arg(2), "binary-safe: a body may hold CRLF");
        assertEquals(buf.length, request.scan(buf, end, buf.length, LIMITS));
        assertTrue(request.argIs(0, "PING"));
    }

    @Test
    void a_frame_arriving_byte_by_byte_is_scanned_once_as_it_grows() {
        byte[] whole = ascii("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n0123456789\r\n");
        RespRequest request = new RespRequest();
        for (int i = 0; i < whole.length; i++) {
            // each time in a fresh buffer at another offset, as a client buffer that is moved and grown
            byte[] moved = new byte[i + 10];
            System.arraycopy(whole, 0, moved, 7, i);
            assertEquals(RespRequest.INCOMPLETE, request.scan(moved, 7, 7 + i, LIMITS), "after " + i + " bytes");
        }
        byte[] moved = new byte[whole.length + 3];
        System.arraycopy(whole, 0, moved, 3, whole.length);
        assertEquals(moved.length, request.scan(moved, 3, moved.length, LIMITS));
        assertEquals("0123456789", request.argText(2));
        assertFalse(request.isPartial());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "PING\r\n", // inline
            "*0\r\n", // ignored by Redis
            "*-1\r\n",
            "*9\r\n", // more elements than the limit allows
            "*1\r\n:5\r\n", // not a bulk string
            "*1\r\n*1\r\n$1\r\na\r\n", // nested
            "*1\r\n$2000\r\n", // above the bulk limit
            "*1\r\n$-1\r\n",
            "*1\r\n$+3\r\nabc\r\n",
            "*1\r\n$4\r\nPINGPONG\r\n", // body overruns its length
            "*1\n$4\r\nPING\r\n" // LF without CR
    })
    void anything_but_a_plain_command_is_left_to_the_parser(String frame) {
        byte[] buf = ascii(frame);
        assertEquals(RespRequest.NOT_PLAIN, new RespRequest().scan(buf, 0, buf.length, LIMITS));
    }

    @Test
    void a_line_longer_than_the_limit_is_left_to_the_parser_before_its_end_arrives() {
        byte[] buf = ascii("*1\r\n$" + "1".repeat(80));
        assertEquals(RespRequest.NOT_PLAIN, new RespRequest().scan(buf, 0, buf.length, LIMITS));
        byte[] shortLine = ascii("*1\r\n$12");
        assertEquals(RespRequest.INCOMPLETE, new RespRequest().scan(shortLine, 0, shortLine.length, LIMITS));
    }

    @Test
    void a_copy_and_a_parsed_command_carry_the_same_bytes() {
        ArrayValue command = ArrayValue.of(BulkString.of("EVALSHA"), BulkString.of("abc"), BulkString.of("0"));
        RespRequest request = RespRequest.of(command);
        assertArrayEquals(RespWriter.encode(command), request.toBytes());
        assertEquals(command, request.toArrayValue());
        RespRequest copy = request.copy();
        Arrays.fill(request.buffer(), (byte) 0);
        assertEquals(command, copy.toArrayValue());
        assertTrue(copy.hasWord("0"));
    }
}

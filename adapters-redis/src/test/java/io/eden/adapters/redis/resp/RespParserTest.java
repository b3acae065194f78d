package io.eden.adapters.redis.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RespParserTest {

    static Stream<Arguments> everyType() {
        return Stream.of(
                Arguments.of("+OK\r\n", SimpleString.of("OK")),
                Arguments.of("-ERR unknown command 'FOO'\r\n", SimpleError.of("ERR unknown command 'FOO'")),
                Arguments.of(":0\r\n", new IntegerValue(0)),
                Arguments.of(":-42\r\n", new IntegerValue(-42)),
                Arguments.of(":9223372036854775807\r\n", new IntegerValue(Long.MAX_VALUE)),
                Arguments.of(":-9223372036854775808\r\n", new IntegerValue(Long.MIN_VALUE)),
                Arguments.of("$5\r\nhello\r\n", BulkString.of("hello")),
                Arguments.of("$0\r\n\r\n", BulkString.of("")),
                Arguments.of("$4\r\na\r\nb\r\n", BulkString.of("a\r\nb")),
                Arguments.of("$-1\r\n", NullValue.BULK),
                Arguments.of("*-1\r\n", NullValue.ARRAY),
                Arguments.of("_\r\n", NullValue.RESP3),
                Arguments.of("*0\r\n", ArrayValue.of()),
                Arguments.of("*2\r\n$3\r\nGET\r\n:7\r\n", ArrayValue.of(BulkString.of("GET"), new IntegerValue(7))),
                Arguments.of("*2\r\n*1\r\n+a\r\n*0\r\n", ArrayValue.of(ArrayValue.of(SimpleString.of("a")), ArrayValue.of())),
                Arguments.of(",3.14\r\n", new DoubleValue("3.14")),
                Arguments.of(",-1.5e-3\r\n", new DoubleValue("-1.5e-3")),
                Arguments.of(",inf\r\n", DoubleValue.of(Double.POSITIVE_INFINITY)),
                Arguments.of(",-inf\r\n", DoubleValue.of(Double.NEGATIVE_INFINITY)),
                Arguments.of(",nan\r\n", DoubleValue.of(Double.NaN)),
                Arguments.of("#t\r\n", BooleanValue.TRUE),
                Arguments.of("#f\r\n", BooleanValue.FALSE),
                Arguments.of("(3492890328409238509324850943850943825024385\r\n",
                        new BigNumber(new BigInteger("3492890328409238509324850943850943825024385"))),
                Arguments.of("(-12\r\n", new BigNumber(BigInteger.valueOf(-12))),
                Arguments.of("=15\r\ntxt:Some string\r\n", new VerbatimString("txt", utf8("Some string"))),
                Arguments.of("=4\r\nmkd:\r\n", new VerbatimString("mkd", new byte[0])),
                Arguments.of("!21\r\nSYNTAX invalid syntax\r\n", BulkError.of("SYNTAX invalid syntax")),
                Arguments.of("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", new MapValue(List.of(
                        new Entry(SimpleString.of("first"), new IntegerValue(1)),
                        new Entry(SimpleString.of("second"), new IntegerValue(2))))),
                Arguments.of("%0\r\n", new MapValue(List.of())),
                Arguments.of("~3\r\n+a\r\n+c\r\n+b\r\n", new SetValue(List.of(
                        SimpleString.of("a"), SimpleString.of("c"), SimpleString.of("b")))),
                Arguments.of(">3\r\n$7\r\nmessage\r\n$4\r\nchan\r\n$2\r\nhi\r\n", new PushValue(List.of(
                        BulkString.of("message"), BulkString.of("chan"), BulkString.of("hi")))),
                Arguments.of("|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*2\r\n:2039123\r\n:9543892\r\n",
                        new AttributeValue(List.of(new Entry(SimpleString.of("key-popularity"),
                                new MapValue(List.of(new Entry(BulkString.of("a"), new DoubleValue("0.1923")))))),
                                ArrayValue.of(new IntegerValue(2039123), new IntegerValue(9543892)))),
                Arguments.of("*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\nv\r\n:1\r\n", ArrayValue.of(
                        new AttributeValue(List.of(new Entry(SimpleString.of("ttl"), new IntegerValue(3600))),
                                BulkString.of("v")), new IntegerValue(1))));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("everyType")
    void parses_each_type_and_writes_it_back_byte_for_byte(String wire, RespValue expected) throws Exception {
        RespParser parser = RespParser.forReplies(RespLimits.DEFAULTS);
        parser.feed(utf8(wire));
        assertEquals(expected, parser.next());
        assertNull(parser.next(), "nothing left");
        assertFalse(parser.isMidValue());
        assertEquals(wire, new String(RespWriter.encode(expected), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("everyType")
    void a_value_arriving_one_byte_at_a_time_is_complete_only_with_its_last_byte(String wire, RespValue expected)
            throws Exception {
        RespParser parser = RespParser.forReplies(RespLimits.DEFAULTS);
        byte[] bytes = utf8(wire);
        for (int i = 0; i < bytes.length - 1; i++) {
            parser.feed(bytes, i, 1);
            assertNull(parser.next(), "incomplete after byte " + i);
            assertTrue(parser.isMidValue());
        }
        parser.feed(bytes, bytes.length - 1, 1);
        assertEquals(expected, parser.next());
    }

    @Test
    void several_values_in_one_read_come_out_one_by_one() throws Exception {
        RespParser parser = RespParser.forReplies(RespLimits.DEFAULTS);
        parser.feed(utf8("+OK\r\n:1\r\n$2\r\nhi\r\n*1\r\n_\r\n$3\r\nab"));
        assertEquals(SimpleString.of("OK"), parser.next());
        assertEquals(new IntegerValue(1), parser.next());
        assertEquals(BulkString.of("hi"), parser.next());
        assertEquals(ArrayValue.of(NullValue.RESP3), parser.next());
        assertNull(parser.next());
        parser.feed(utf8("c\r\n"));
        assertEquals(BulkString.of("abc"), parser.next());
    }

    static Stream<Arguments> inlineCommands() {
        return Stream.of(
                Arguments.of("PING\r\n", List.of("PING")),
                Arguments.of("ping\n", List.of("ping")),
                Arguments.of("  SET   key  value  \r\n", List.of("SET", "key", "value")),
                Arguments.of("SET \"a key\" 'a value'\r\n", List.of("SET", "a key", "a value")),
                Arguments.of("SET k \"line\\r\\nbreak\\t\\x41\\\"\"\r\n", List.of("SET", "k", "line\r\nbreak\tA\"")),
                Arguments.of("SET k 'it\\'s \\n raw'\r\n", List.of("SET", "k", "it's \\n raw")),
                Arguments.of("SET k a\"b c\"\r\n", List.of("SET", "k", "ab c")),
                Arguments.of("SET k \"\"\r\n", List.of("SET", "k", "")));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("inlineCommands")
    void inline_commands_are_split_as_redis_splits_them(String line, List<String> words) throws Exception {
        RespParser parser = RespParser.forRequests(RespLimits.DEFAULTS);
        parser.feed(utf8(line));
        assertEquals(new ArrayValue(words.stream().map(w -> (RespValue) BulkString.of(w)).toList()), parser.next());
    }

    @Test
    void blank_inline_lines_are_skipped_and_multibulk_follows_inline() throws Exception {
        RespParser parser = RespParser.forRequests(RespLimits.DEFAULTS);
        parser.feed(utf8("\r\n\n   \r\nPING\r\n*1\r\n$4\r\nQUIT\r\n"));
        assertEquals(ArrayValue.of(BulkString.of("PING")), parser.next());
        assertEquals(ArrayValue.of(BulkString.of("QUIT")), parser.next());
        assertNull(parser.next());
    }

    static Stream<Arguments> malformedReplies() {
        return Stream.of(
                Arguments.of("$-5\r\n", "invalid bulk length"),
                Arguments.of("$abc\r\n", "invalid bulk length"),
                Arguments.of("$\r\n", "invalid bulk length"),
                Arguments.of("$+3\r\nabc\r\n", "invalid bulk length"),
                Arguments.of("*-2\r\n", "invalid multibulk length"),
                Arguments.of("%-1\r\n", "invalid multibulk length"),
                Arguments.of(":12a\r\n", "invalid integer"),
                Arguments.of(":\r\n", "invalid integer"),
                Arguments.of(":9223372036854775808\r\n", "invalid integer"),
                Arguments.of("#x\r\n", "invalid boolean"),
                Arguments.of("_x\r\n", "invalid null"),
                Arguments.of(",1.5x\r\n", "invalid double"),
                Arguments.of(",0x1p3\r\n", "invalid double"),
                Arguments.of("(12x\r\n", "invalid big number"),
                Arguments.of("@what\r\n", "unknown type byte '@'"),
                Arguments.of("\u0001\r\n", "unknown type byte '\\x01'"),
                Arguments.of("$3\r\nabcd\r\n", "bulk string not terminated by CRLF"),
                Arguments.of("+OK\n", "line not terminated by CRLF"),
                Arguments.of("=3\r\ntxt\r\n", "invalid verbatim string length"),
                Arguments.of("=5\r\ntxt!x\r\n", "invalid verbatim string format"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformedReplies")
    void malformed_input_is_named(String wire, String problem) {
        RespParser parser = RespParser.forReplies(RespLimits.DEFAULTS);
        parser.feed(utf8(wire));
        assertEquals(problem, assertThrows(RespProtocolException.class, parser::next).getMessage());
    }

    @Test
    void a_failure_is_final_because_the_stream_cannot_be_resynchronised() {
        RespParser parser = RespParser.forRequests(RespLimits.DEFAULTS);
        parser.feed(utf8("*1\r\n$x\r\n"));
        RespProtocolException first = assertThrows(RespProtocolException.class, parser::next);
        parser.feed(utf8("PING\r\n"));
        assertSame(first, assertThrows(RespProtocolException.class, parser::next));
    }

    @Test
    void requests_are_multibulk_or_inline_and_unbalanced_quotes_are_refused() {
        RespParser parser = RespParser.forRequests(RespLimits.DEFAULTS);
        parser.feed(utf8("SET \"open\r\n"));
        assertEquals("unbalanced quotes in request", assertThrows(RespProtocolException.class, parser::next).getMessage());
        RespParser quoteThenText = RespParser.forRequests(RespLimits.DEFAULTS);
        quoteThenText.feed(utf8("SET \"a\"b\r\n"));
        assertEquals("unbalanced quotes in request",
                assertThrows(RespProtocolException.class, quoteThenText::next).getMessage());
        RespParser badElement = RespParser.forRequests(RespLimits.DEFAULTS);
        badElement.feed(utf8("*1\r\n@x\r\n"));
        assertEquals("expected '$', got '@'", assertThrows(RespProtocolException.class, badElement::next).getMessage());
    }

    @Test
    void limits_are_enforced_at_their_exact_boundary() throws Exception {
        RespLimits limits = new RespLimits(10, 3, 2, 20);
        assertEquals(BulkString.of("0123456789"), parseOne(limits, "$10\r\n0123456789\r\n"));
        assertProtocolError(limits, "$11\r\n", "invalid bulk length (11 is above the limit of 10 bytes)");
        assertProtocolError(limits, "!11\r\n", "invalid bulk length (11 is above the limit of 10 bytes)");
        assertEquals(3, ((ArrayValue) parseOne(limits, "*3\r\n:1\r\n:2\r\n:3\r\n")).elements().size());
        assertProtocolError(limits, "*4\r\n", "invalid multibulk length (4 is above the limit of 3 elements)");
        assertProtocolError(limits, "%4\r\n", "invalid multibulk length (4 is above the limit of 3 elements)");
        assertProtocolError(limits, "~2147483647\r\n",
                "invalid multibulk length (2147483647 is above the limit of 3 elements)");
        assertEquals(ArrayValue.of(ArrayValue.of()), parseOne(limits, "*1\r\n*0\r\n"));
        assertProtocolError(limits, "*1\r\n*1\r\n*0\r\n", "nesting deeper than 2 levels");
        assertProtocolError(limits, "*1\r\n|1\r\n+a\r\n%0\r\n", "nesting deeper than 2 levels");
        assertEquals(SimpleString.of("x".repeat(19)), parseOne(limits, "+" + "x".repeat(19) + "\r\n"));
        assertProtocolError(limits, "+" + "x".repeat(20) + "\r\n", "line longer than 20 bytes");
    }

    @Test
    void an_overlong_line_fails_before_its_end_arrives() {
        RespLimits limits = RespLimits.DEFAULTS.withMaxLineLength(100);
        RespParser inline = RespParser.forRequests(limits);
        inline.feed(utf8("x".repeat(101)));
        assertDoesNotFailYet(inline);
        inline.feed(utf8("xx"));
        assertEquals("too big inline request", assertThrows(RespProtocolException.class, inline::next).getMessage());
        RespParser header = RespParser.forRequests(limits);
        header.feed(utf8("*" + "1".repeat(200)));
        assertEquals("too big mbulk count string", assertThrows(RespProtocolException.class, header::next).getMessage());
    }

    @Test
    void announced_sizes_reserve_no_memory_before_the_bytes_arrive() throws Exception {
        RespLimits generous = new RespLimits(Integer.MAX_VALUE - 8, Integer.MAX_VALUE / 2 - 1, 128, 64 * 1024);
        long before = allocatedByThisThread();
        RespParser array = RespParser.forReplies(generous);
        array.feed(utf8("*1073741822\r\n:1\r\n:2\r\n"));
        assertNull(array.next());
        RespParser bulk = RespParser.forRequests(generous);
        bulk.feed(utf8("*1\r\n$2147483639\r\n"));
        assertNull(bulk.next());
        byte[] part = new byte[200_000];
        bulk.feed(part);
        assertNull(bulk.next());
        long allocated = allocatedByThisThread() - before;
        // the 200 KB fed (copied twice: buffer and body) plus bookkeeping, far from 1G elements or 2 GB
        assertTrue(allocated < 4_000_000, "allocated " + allocated + " bytes");
    }

    @Test
    void a_large_bulk_arriving_in_pieces_is_reassembled_exactly() throws Exception {
        byte[] body = new byte[300_000];
        new java.util.Random(7).nextBytes(body);
        byte[] wire = RespWriter.encode(new BulkString(body));
        RespParser parser = RespParser.forReplies(RespLimits.DEFAULTS);
        RespValue value = null;
        for (int at = 0; at < wire.length; at += 4093) {
            parser.feed(wire, at, Math.min(4093, wire.length - at));
            value = parser.next();
        }
        assertArrayEquals(body, ((BulkString) value).bytes());
    }

    private static void assertDoesNotFailYet(RespParser parser) {
        try {
            assertNull(parser.next());
        } catch (RespProtocolException e) {
            throw new AssertionError("failed too early: " + e.getMessage(), e);
        }
    }

    private static RespValue parseOne(RespLimits limits, String wire) throws RespProtocolException {
        RespParser parser = RespParser.forReplies(limits);
        parser.feed(utf8(wire));
        return parser.next();
    }

    private static void assertProtocolError(RespLimits limits, String wire, String problem) {
        RespParser parser = RespParser.forReplies(limits);
        parser.feed(utf8(wire));
        assertEquals(problem, assertThrows(RespProtocolException.class, parser::next).getMessage());
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

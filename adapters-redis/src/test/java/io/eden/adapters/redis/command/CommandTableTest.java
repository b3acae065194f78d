package io.eden.adapters.redis.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Key positions and flags as the server's own COMMAND reply (Redis 7.0.15, built in) describes them. */
class CommandTableTest {
    private static final CommandTable TABLE = CommandTable.builtIn();

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("GET k", new int[] {1}),
                Arguments.of("SET k v EX 10", new int[] {1}),
                Arguments.of("MSET a 1 b 2 c 3", new int[] {1, 3, 5}),
                Arguments.of("DEL a b c", new int[] {1, 2, 3}),
                Arguments.of("RENAME a b", new int[] {1, 2}),
                Arguments.of("EVAL script 2 k1 k2 arg", new int[] {3, 4}),
                Arguments.of("EVALSHA sha 0 arg", new int[] {}),
                Arguments.of("FCALL fn 1 k1 arg", new int[] {3}),
                Arguments.of("XREAD COUNT 2 BLOCK 0 STREAMS s1 s2 0 0", new int[] {6, 7}),
                Arguments.of("ZUNIONSTORE dest 2 a b WEIGHTS 1 2", new int[] {1, 3, 4}),
                Arguments.of("BLPOP l1 l2 0", new int[] {1, 2}),
                Arguments.of("BLMOVE from to LEFT RIGHT 0", new int[] {1, 2}),
                Arguments.of("OBJECT ENCODING k", new int[] {2}),
                Arguments.of("PING", new int[] {}),
                Arguments.of("SUNIONSTORE d a b", new int[] {1, 2, 3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void keys_are_where_the_server_says(String command, int[] expected) {
        List<RespValue> args = args(command);
        CommandSpec spec = TABLE.lookup(args);
        int[] out = new int[64];
        int n = CommandTable.keyPositions(spec, args, out);
        assertArrayEquals(expected, Arrays.copyOf(out, n), command);
    }

    @Test
    void keys_the_server_cannot_place_are_reported_unknown() {
        List<RespValue> args = args("SORT k BY w STORE dest");
        assertEquals(-1, CommandTable.keyPositions(TABLE.lookup(args), args, new int[64]));
    }

    @Test
    void flags_come_from_the_table() {
        assertTrue(TABLE.find("set").orElseThrow().has(CommandSpec.WRITE));
        assertTrue(TABLE.find("GET").orElseThrow().has(CommandSpec.READONLY));
        assertTrue(TABLE.find("blpop").orElseThrow().has(CommandSpec.BLOCKING));
        assertTrue(TABLE.find("subscribe").orElseThrow().has(CommandSpec.PUBSUB));
        assertTrue(TABLE.find("eval").orElseThrow().has(CommandSpec.MOVABLEKEYS));
        assertTrue(TABLE.find("config").orElseThrow().subcommands().get("set").has(CommandSpec.ADMIN));
        assertTrue(TABLE.find("multi").orElseThrow().has(CommandSpec.NOSCRIPT));
        assertTrue(TABLE.size() > 200, "all of Redis 7's commands");
    }

    private static List<RespValue> args(String command) {
        return Arrays.stream(command.split(" ")).<RespValue>map(BulkString::of).toList();
    }
}

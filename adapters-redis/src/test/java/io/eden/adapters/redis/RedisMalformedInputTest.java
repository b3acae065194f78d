package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.resp.RespLimits;
import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.RawClient;
import io.eden.adapters.redis.support.RealRedis;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * Malformed or oversized input ends only the connection that sent it, with the error Redis
 * itself would give, while the other clients of the listener carry on.
 */
class RedisMalformedInputTest {
    private static final RespLimits LIMITS = new RespLimits(1024 * 1024, 1000, 8, 1024);
    private static RealRedis redis;
    private static EdenUnderTest eden;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        eden = EdenUnderTest.proxying(redis.endpoint(), ProxySettings.DEFAULTS.withClientLimits(LIMITS));
    }

    @AfterAll
    static void stop() {
        if (eden != null) {
            eden.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static Stream<Arguments> malformedFrames() {
        return Stream.of(
                Arguments.of("a bulk length that is no number", "*2\r\n$abc\r\n", "invalid bulk length"),
                Arguments.of("a negative bulk length", "*1\r\n$-5\r\n", "invalid bulk length"),
                Arguments.of("a bulk above the configured limit", "*2\r\n$3\r\nSET\r\n$1048577\r\n",
                        "invalid bulk length (1048577 is above the limit of 1048576 bytes)"),
                Arguments.of("an absurd bulk length", "*1\r\n$999999999999\r\n",
                        "invalid bulk length (999999999999 is above the limit of 1048576 bytes)"),
                Arguments.of("an array count beyond the limit", "*1001\r\n",
                        "invalid multibulk length (1001 is above the limit of 1000 elements)"),
                Arguments.of("an array count near 2^31", "*2147483647\r\n",
                        "invalid multibulk length (2147483647 is above the limit of 1000 elements)"),
                Arguments.of("an array count beyond 64 bits", "*99999999999999999999\r\n", "invalid multibulk length"),
                Arguments.of("nesting deeper than the limit", "*1\r\n".repeat(9), "nesting deeper than 8 levels"),
                Arguments.of("an inline request longer than the limit", "A".repeat(1100), "too big inline request"),
                Arguments.of("an array element that is not a bulk string", "*2\r\n$3\r\nGET\r\n:5\r\n",
                        "expected '$', got ':'"),
                Arguments.of("an unknown type byte inside a command", "*1\r\n?x\r\n", "expected '$', got '?'"),
                Arguments.of("a bulk whose body overruns its length", "*1\r\n$4\r\nPINGPONG\r\n",
                        "bulk string not terminated by CRLF"),
                Arguments.of("unbalanced quotes inline", "SET \"open key\r\n", "unbalanced quotes in request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void malformed_input_gets_a_protocol_error_and_only_that_connection_closes(String what, String frame,
                                                                              String error) throws IOException {
        long protocolErrors = eden.errors("protocol");
        try (Jedis bystander = eden.jedis(); RawClient offender = new RawClient(eden.port())) {
            assertEquals("PONG", bystander.ping());
            offender.send(frame);
            assertEquals("-ERR Protocol error: " + error, offender.readLine());
            assertTrue(offender.isClosedByServer(), "the offending connection is closed");
            assertEquals("OK", bystander.set("bystander", what));
            assertEquals(what, bystander.get("bystander"));
        }
        assertEquals(protocolErrors + 1, eden.errors("protocol"));
    }

    @Test
    void commands_before_a_malformed_frame_are_run_and_answered_first() throws IOException {
        try (RawClient client = new RawClient(eden.port()); Jedis direct = redis.direct()) {
            client.send("*3\r\n$3\r\nSET\r\n$6\r\nbefore\r\n$3\r\nran\r\nPING\r\n*1\r\n$x\r\n");
            assertEquals("+OK\r\n+PONG\r\n-ERR Protocol error: invalid bulk length\r\n", client.readUntilClosed());
            assertEquals("ran", direct.get("before"));
        }
    }

    @Test
    void huge_announced_lengths_that_never_arrive_reserve_nothing_and_the_listener_serves_on() throws Exception {
        int announcers = 20;
        List<RawClient> clients = new ArrayList<>();
        try (EdenUnderTest generous = EdenUnderTest.proxying(redis.endpoint()); Jedis other = generous.jedis()) {
            for (int i = 0; i < announcers; i++) {
                RawClient announcer = new RawClient(generous.port());
                clients.add(announcer);
                // within the default 512 MB limit: 20 x 512 MB reserved up front would exhaust the heap
                announcer.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\n" + "x".repeat(10_000));
                announcer.send("y".repeat(10_000));
            }
            assertEquals("PONG", other.ping());
            Thread.sleep(300); // let Eden read what was sent: a failing reservation would end those connections
            assertEquals(announcers + 1, generous.listener.activeConnections());
            for (RawClient announcer : clients) {
                assertFalse(announcer.isClosedByServer(Duration.ofMillis(20)), "a client still sending its value is kept");
            }
        } finally {
            for (RawClient client : clients) {
                client.close();
            }
        }
    }
}

package io.eden.adapters.redis;

import static io.eden.adapters.redis.support.RawClient.command;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.RawClient;
import io.eden.adapters.redis.support.RealRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plain-text client's commands go on their way from an event loop until one may have to wait
 * (a barrier, a pinned connection, an inline command for the full parser); that one and all
 * after it run on a thread of the client's own, then the loop takes over again. The client
 * must not see any of this: its replies come in the order it sent its commands.
 */
class RedisClientLoopTest {
    private static RealRedis redis;
    private static EdenUnderTest eden;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        eden = EdenUnderTest.proxying(redis.endpoint());
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

    @Test
    void commands_that_wait_and_commands_that_do_not_keep_their_order_in_one_pipeline() throws IOException {
        StringBuilder pipeline = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int round = 0; round < 20; round++) {
            pipeline.append(command("SET", "loop:a" + round, "1"));
            expected.append("+OK\r\n");
            // keys in different lanes: a barrier, run by the client's own thread
            pipeline.append(command("MSET", "loop:x" + round, "1", "loop:y" + round, "2"));
            expected.append("+OK\r\n");
            pipeline.append(command("INCR", "loop:a" + round));
            expected.append(":2\r\n");
            pipeline.append("PING\r\n"); // inline: the full parser
            expected.append("+PONG\r\n");
            pipeline.append(command("GET", "loop:y" + round));
            expected.append("$1\r\n2\r\n");
        }
        try (RawClient client = new RawClient(eden.port())) {
            client.send(pipeline.toString());
            assertEquals(expected.toString(), client.read(expected.length()));
        }
    }

    @Test
    void a_pipeline_sent_one_byte_at_a_time_is_answered_whole_and_in_order() throws Exception {
        String pipeline = command("SET", "loop:slow", "v") + command("GET", "loop:slow") + command("DEL", "loop:slow")
                + command("EXISTS", "loop:slow");
        String expected = "+OK\r\n$1\r\nv\r\n:1\r\n:0\r\n";
        try (RawClient client = new RawClient(eden.port())) {
            for (byte b : pipeline.getBytes(StandardCharsets.US_ASCII)) {
                client.send(new byte[] {b});
            }
            assertEquals(expected, client.read(expected.length()));
        }
    }

    @Test
    void a_value_larger_than_every_read_buffer_passes_unchanged() throws IOException {
        String value = "z".repeat(300_000);
        try (RawClient client = new RawClient(eden.port())) {
            client.send(command("SET", "loop:big", value) + command("GET", "loop:big") + command("DEL", "loop:big"));
            String expected = "+OK\r\n$" + value.length() + "\r\n" + value + "\r\n:1\r\n";
            assertEquals(expected, client.read(expected.length()));
        }
    }

    @Test
    void a_transaction_between_lane_commands_pins_and_returns() throws IOException {
        String pipeline = command("SET", "loop:t", "1") + command("MULTI") + command("INCR", "loop:t")
                + command("INCR", "loop:t") + command("EXEC") + command("GET", "loop:t");
        String expected = "+OK\r\n+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n:2\r\n:3\r\n$1\r\n3\r\n";
        try (RawClient client = new RawClient(eden.port())) {
            client.send(pipeline);
            assertEquals(expected, client.read(expected.length()));
        }
    }
}

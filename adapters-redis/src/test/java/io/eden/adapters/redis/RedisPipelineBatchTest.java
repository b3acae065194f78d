package io.eden.adapters.redis;

import static io.eden.adapters.redis.support.RawClient.command;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.RawClient;
import io.eden.adapters.redis.support.RealRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A client's pipeline goes to the lanes in batches (one write and one reply slot per batch):
 * what a client sees must not change, whatever the batch holds and whatever happens to it.
 */
class RedisPipelineBatchTest {

    @Test
    void a_pipeline_mixing_plain_and_special_commands_gets_every_reply_in_order() {
        try (RealRedis redis = RealRedis.start();
             EdenUnderTest eden = EdenUnderTest.proxying(redis.endpoint());
             Jedis client = eden.jedis()) {
            for (int round = 0; round < 50; round++) {
                Pipeline p = client.pipelined();
                List<Response<?>> replies = new ArrayList<>();
                List<Object> expected = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    String key = "k" + round + ":" + i;
                    replies.add(p.set(key, "v" + i));
                    expected.add("OK");
                    replies.add(p.get(key));
                    expected.add("v" + i);
                    switch (i % 8) {
                        case 1 -> { // keys in several lanes: a barrier between batches
                            replies.add(p.mset("a" + i, "1", "b" + i, "2", "c" + i, "3"));
                            expected.add("OK");
                        }
                        case 3 -> { // answered by Eden itself
                            replies.add(p.sendCommand(Protocol.Command.CLIENT, "GETNAME"));
                            expected.add(null);
                        }
                        case 5 -> { // a script: Eden learns it on its way
                            replies.add(p.eval("return ARGV[1]", 0, "s" + i));
                            expected.add("s" + i);
                        }
                        case 7 -> { // an integer reply between bulk ones
                            replies.add(p.incr(key + ":n"));
                            expected.add(1L);
                        }
                        default -> {
                            replies.add(p.sendCommand(Protocol.Command.ECHO, "e" + i));
                            expected.add("e" + i);
                        }
                    }
                }
                p.sync();
                for (int i = 0; i < replies.size(); i++) {
                    Object reply = replies.get(i).get();
                    assertEquals(expected.get(i), reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                            : reply, "round " + round + ", reply " + i);
                }
            }
        }
    }

    @Test
    void large_replies_of_one_batch_come_whole_and_in_order() {
        try (RealRedis redis = RealRedis.start();
             EdenUnderTest eden = EdenUnderTest.proxying(redis.endpoint());
             Jedis client = eden.jedis()) {
            Random random = new Random(3);
            byte[][] values = new byte[30][];
            for (int i = 0; i < values.length; i++) {
                values[i] = new byte[20_000 + random.nextInt(200_000)]; // 3.6 MB in all: passed on in parts
                random.nextBytes(values[i]);
                client.set(("big" + i).getBytes(StandardCharsets.UTF_8), values[i]);
            }
            for (int round = 0; round < 3; round++) {
                Pipeline p = client.pipelined();
                List<Response<byte[]>> replies = new ArrayList<>();
                for (int i = 0; i < values.length; i++) {
                    replies.add(p.get(("big" + i).getBytes(StandardCharsets.UTF_8)));
                }
                p.sync();
                for (int i = 0; i < values.length; i++) {
                    assertArrayEquals(values[i], replies.get(i).get(), "value " + i);
                }
            }
        }
    }

    @Test
    void when_the_server_goes_away_mid_batch_each_command_still_gets_one_reply() throws Exception {
        try (RealRedis redis = RealRedis.start();
             EdenUnderTest eden = EdenUnderTest.proxying(redis.endpoint());
             RawClient client = new RawClient(eden.port())) {
            try (Jedis direct = redis.direct()) {
                direct.set("k", "v");
            }
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                pipeline.append(command("GET", "k"));
            }
            pipeline.append(command("SHUTDOWN", "NOSAVE")); // the server exits with the GETs' replies maybe unsent
            for (int i = 0; i < 5; i++) {
                pipeline.append(command("GET", "k"));
            }
            client.send(pipeline.toString());
            int values = 0;
            for (int i = 0; i < 11; i++) {
                String reply = client.readLine();
                if (reply.equals("$1")) {
                    assertEquals("v", client.readLine());
                    assertTrue(i < 5, "only a GET before the shutdown has a value: reply " + i);
                    assertEquals(i, values++, "values come first, in order");
                } else {
                    assertTrue(reply.startsWith("-ERR Eden: connection to upstream"), "reply " + i + ": " + reply);
                }
            }
            client.send(command("PING"));
            String after = client.readLine();
            assertTrue(after.startsWith("-ERR Eden: upstream"), "one reply per command, then the next: " + after);
        }
    }

    @Test
    void an_unknown_command_in_a_pipeline_gets_the_servers_error_in_its_place() {
        try (RealRedis redis = RealRedis.start();
             EdenUnderTest eden = EdenUnderTest.proxying(redis.endpoint());
             Jedis client = eden.jedis()) {
            Pipeline p = client.pipelined();
            Response<String> before = p.set("x", "1");
            Response<Object> unknown = p.sendCommand(() -> "NOSUCHCOMMAND".getBytes(StandardCharsets.US_ASCII), "x");
            Response<String> wrongType = p.get("list");
            Response<String> after = p.get("x");
            p.lpush("list", "a");
            Response<String> wrongTypeNow = p.get("list");
            p.sync();
            assertEquals("OK", before.get());
            JedisDataException error = assertThrows(JedisDataException.class, unknown::get);
            assertTrue(error.getMessage().contains("unknown command"), error.getMessage());
            assertNull(wrongType.get());
            assertEquals("1", after.get());
            JedisDataException wrong = assertThrows(JedisDataException.class, wrongTypeNow::get);
            assertTrue(wrong.getMessage().startsWith("WRONGTYPE"), wrong.getMessage());
        }
    }
}

package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.RawClient;
import io.eden.adapters.redis.support.RealRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Real clients through Eden to a real Redis: what they send must land there, and they get the server's replies. */
class RedisPassThroughTest {
    private static final Path REDIS_CLI = Path.of("/usr/bin/redis-cli");
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
    void ping_set_and_get_through_eden_land_on_the_real_server() {
        try (Jedis client = eden.jedis(); Jedis direct = redis.direct()) {
            assertEquals("PONG", client.ping());
            assertEquals("OK", client.set("greeting", "hello through eden"));
            assertEquals("hello through eden", client.get("greeting"));
            assertEquals("hello through eden", direct.get("greeting"), "the value is on the server itself");
            direct.set("written-directly", "42");
            assertEquals("42", client.get("written-directly"));
        }
    }

    @Test
    void ten_thousand_pipelined_commands_are_answered_in_order() {
        try (Jedis client = eden.jedis(); Jedis direct = redis.direct()) {
            for (int i = 0; i < 5_000; i++) {
                direct.set("pipeline:fixture:" + i, "value-" + i);
            }
            Pipeline pipeline = client.pipelined();
            List<Response<Long>> increments = new ArrayList<>();
            List<Response<String>> reads = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                increments.add(pipeline.incr("pipeline:counter"));
                reads.add(pipeline.get("pipeline:fixture:" + i));
            }
            pipeline.sync();
            for (int i = 0; i < 5_000; i++) {
                assertEquals(i + 1, increments.get(i).get(), "INCR reply " + i);
                assertEquals("value-" + i, reads.get(i).get(), "GET reply " + i);
            }
            assertEquals("5000", direct.get("pipeline:counter"));
        }
    }

    @Test
    void fifty_concurrent_clients_each_get_exactly_their_own_replies() throws Exception {
        int clients = 50;
        int rounds = 200;
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int me = c;
                results.add(pool.submit((Callable<Integer>) () -> {
                    try (Jedis client = eden.jedis()) {
                        for (int i = 0; i < rounds; i++) {
                            String key = "client:" + me + ":" + i;
                            client.set(key, me + "/" + i);
                            assertEquals(me + "/" + i, client.get(key));
                            assertEquals(i + 1, client.incr("client:" + me + ":count"));
                        }
                        return me;
                    }
                }));
            }
            for (int c = 0; c < clients; c++) {
                assertEquals(c, results.get(c).get(30, TimeUnit.SECONDS));
            }
        }
        try (Jedis direct = redis.direct()) {
            for (int c = 0; c < clients; c++) {
                assertEquals(String.valueOf(rounds), direct.get("client:" + c + ":count"));
                assertEquals(c + "/" + (rounds - 1), direct.get("client:" + c + ":" + (rounds - 1)));
            }
        }
    }

    @Test
    void lettuce_speaks_resp3_through_eden_because_hello_3_passes_through() {
        RedisClient lettuce = RedisClient.create(RedisURI.create("127.0.0.1", eden.port()));
        lettuce.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            RedisCommands<String, String> commands = connection.sync();
            assertTrue(commands.clientInfo().contains("resp=3"), "the server sees a RESP3 connection");
            commands.hset("resp3:hash", Map.of("field", "value", "other", "2"));
            // HGETALL is a RESP3 map on this connection
            assertEquals(Map.of("field", "value", "other", "2"), commands.hgetall("resp3:hash"));
            assertEquals(1.5, commands.incrbyfloat("resp3:float", 1.5));
        } finally {
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void redis_cli_works_through_eden_in_resp2_and_resp3() throws Exception {
        assumeTrue(Files.isExecutable(REDIS_CLI), "redis-cli is not installed (apt-get install redis-tools)");
        assertEquals("OK", redisCli("SET", "cli:key", "from redis-cli"));
        assertEquals("from redis-cli", redisCli("GET", "cli:key"));
        redisCli("HSET", "cli:hash", "f", "v");
        // -3 makes redis-cli send HELLO 3; it prints a RESP3 map as "1# ..."
        assertEquals("1# \"f\" => \"v\"", redisCli("-3", "--no-raw", "HGETALL", "cli:hash").strip());
        try (Jedis direct = redis.direct()) {
            assertEquals("from redis-cli", direct.get("cli:key"));
        }
    }

    @Test
    void inline_commands_as_typed_in_telnet_are_understood_like_redis_does() throws IOException {
        try (RawClient telnet = new RawClient(eden.port()); Jedis direct = redis.direct()) {
            telnet.send("PING\r\n");
            assertEquals("+PONG", telnet.readLine());
            telnet.send("SET \"inline key\" 'a b'\r\n\r\nGET \"inline key\"\n");
            assertEquals("+OK", telnet.readLine());
            assertEquals("$3", telnet.readLine());
            assertEquals("a b", telnet.readLine());
            assertEquals("a b", direct.get("inline key"));
        }
    }

    @Test
    void quit_is_answered_by_the_server_and_the_connection_ends() throws IOException {
        try (RawClient client = new RawClient(eden.port())) {
            client.send("*1\r\n$4\r\nQUIT\r\n");
            assertEquals("+OK\r\n", client.readUntilClosed());
        }
    }

    @Test
    void a_client_that_closes_its_side_still_gets_every_reply() throws IOException {
        try (RawClient client = new RawClient(eden.port())) {
            client.send("SET half-closed yes\r\n*2\r\n$3\r\nGET\r\n$11\r\nhalf-closed\r\n");
            client.closeOutput();
            assertEquals("+OK\r\n$3\r\nyes\r\n", client.readUntilClosed());
        }
    }

    @Test
    void binary_and_large_values_pass_unchanged() {
        byte[] key = {'k', 0, '\r', '\n', (byte) 0xff};
        byte[] large = new byte[5 * 1024 * 1024 + 3];
        new Random(42).nextBytes(large);
        try (Jedis client = eden.jedis(); Jedis direct = redis.direct()) {
            assertEquals("OK", client.set(key, large));
            assertArrayEquals(large, client.get(key));
            assertArrayEquals(large, direct.get(key));
        }
    }

    @Test
    void commands_connections_and_latency_are_measured() throws InterruptedException {
        long before = eden.commandsForwarded();
        long latencySamples = eden.metrics.count("eden_proxy_latency_ms", Map.of("protocol", "redis"));
        try (Jedis first = eden.jedis(); Jedis second = eden.jedis()) {
            first.ping();
            second.ping();
            for (int i = 0; i < 10; i++) {
                first.set("measured", String.valueOf(i));
            }
            assertEquals(2, eden.listener.activeConnections());
            assertEquals(2.0, eden.metrics.gauge("eden_connections_active",
                    Map.of("protocol", "redis", "interlay", EdenUnderTest.INTERLAY)));
        }
        // Jedis sends CLIENT SETINFO twice on connect: count only what is sure to be ours
        assertTrue(eden.commandsForwarded() - before >= 12, "PING x2 and SET x10 were counted");
        assertTrue(eden.metrics.count("eden_proxy_latency_ms", Map.of("protocol", "redis")) - latencySamples >= 12);
        awaitConnections(eden, 0);
    }

    @Test
    void a_pipeline_counts_every_command_but_gives_one_latency_sample_per_read() throws IOException {
        long before = eden.commandsForwarded();
        long latencySamples = eden.metrics.count("eden_proxy_latency_ms", Map.of("protocol", "redis"));
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            pipeline.append("*3\r\n$3\r\nSET\r\n$9\r\npipelined\r\n$").append(String.valueOf(i).length()).append("\r\n")
                    .append(i).append("\r\n");
        }
        try (RawClient client = new RawClient(eden.port())) {
            client.send(pipeline.toString()); // about 3 KB in one write: one read, or a few
            for (int i = 0; i < 100; i++) {
                assertEquals("+OK", client.readLine());
            }
        }
        assertEquals(100, eden.commandsForwarded() - before, "every pipelined command is counted");
        long samples = eden.metrics.count("eden_proxy_latency_ms", Map.of("protocol", "redis")) - latencySamples;
        assertTrue(samples >= 1 && samples <= 10, "one latency sample per read, not per command: " + samples);
    }

    @Test
    void closing_the_listener_disconnects_its_clients_and_stops_accepting() throws Exception {
        try (EdenUnderTest own = EdenUnderTest.proxying(redis.endpoint()); Jedis client = own.jedis()) {
            assertEquals("PONG", client.ping());
            int port = own.port();
            own.listener.close();
            assertThrows(JedisConnectionException.class, client::ping);
            assertEquals(0, own.listener.activeConnections());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        }
    }

    private static String redisCli(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(REDIS_CLI.toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(eden.port())));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "redis-cli finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    static void awaitConnections(EdenUnderTest eden, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (eden.listener.activeConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10); // the server side notices a client's close a moment after the client
        }
        assertEquals(expected, eden.listener.activeConnections());
    }
}

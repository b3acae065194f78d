package io.eden.adapters.redis;

import static io.eden.adapters.redis.support.RawClient.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.RawClient;
import io.eden.adapters.redis.support.RealRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
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
import redis.clients.jedis.args.ListDirection;

/** Many clients on few upstream connections: each gets its own replies, in its own order. */
class RedisLanesTest {
    private static RealRedis redis;
    private static EdenUnderTest eden;

    @BeforeAll
    static void start() {
        redis = RealRedis.start("maxclients 4000");
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
    void one_client_pipelining_ten_thousand_commands_over_every_lane_gets_its_replies_in_order() {
        try (Jedis client = eden.jedis()) {
            Pipeline pipeline = client.pipelined();
            List<Response<Long>> counts = new ArrayList<>();
            List<Response<String>> values = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                pipeline.set("ordered:" + i, "v" + i);
                counts.add(pipeline.incr("ordered:counter:" + (i % 97)));
                values.add(pipeline.get("ordered:" + i));
            }
            pipeline.sync();
            int[] seen = new int[97];
            for (int i = 0; i < 5_000; i++) {
                assertEquals("v" + i, values.get(i).get());
                assertEquals(++seen[i % 97], counts.get(i).get(), "INCR replies in the order they were sent");
            }
        }
    }

    @Test
    void fifty_clients_pipelining_at_once_each_get_exactly_their_own_replies() throws Exception {
        int clients = 50;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int me = c;
            done.add(pool.submit(() -> {
                try (Jedis client = new Jedis("127.0.0.1", eden.port(), 30_000)) {
                    go.await();

                    for (int round = 0; round < 3; round++) {
                        Pipeline pipeline = client.pipelined();
                        List<Response<String>> replies = new ArrayList<>();
                        for (int i = 0; i < 300; i++) {
                            pipeline.set("c" + me + ":" + i, me + "/" + round + "/" + i);
                            replies.add(pipeline.get("c" + me + ":" + i));
                            replies.add(pipeline.get("other:" + me + ":" + i));
                        }
                        pipeline.sync();
                        for (int i = 0; i < 300; i++) {
                            assertEquals(me + "/" + round + "/" + i, replies.get(2 * i).get());
                            assertNull(replies.get(2 * i + 1).get());
                        }
                    }

                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    @Test
    void a_thousand_concurrent_clients_share_at_most_two_connections_per_lane() throws Exception {
        int clients = 1000;
        List<Jedis> open = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                open.add(eden.jedis());
            }
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < clients; i++) {
                    Jedis client = open.get(i);
                    int me = i;
                    pool.submit(() -> {
                        try {
                            client.set("thousand:" + me, "x" + me);
                            assertEquals("x" + me, client.get("thousand:" + me));
                            assertEquals("PONG", client.ping());
                        } catch (Throwable t) {
                            failures.add(t);
                        }
                    });
                }
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
            try (Jedis direct = redis.direct()) {
                int connected = connectedClients(direct);
                // 16 lanes x (source only, no migration) + this direct connection; no client is pinned
                assertTrue(connected <= 16 + 1, "the server sees " + connected + " clients for " + clients);
            }
        } finally {
            open.forEach(Jedis::close);
        }
    }

    static int connectedClients(Jedis direct) {
        for (String line : direct.info("clients").split("\r\n")) {
            if (line.startsWith("connected_clients:")) {
                return Integer.parseInt(line.substring("connected_clients:".length()).strip());
            }
        }
        throw new AssertionError("no connected_clients in INFO");
    }

    @Test
    void commands_whose_keys_span_lanes_run_whole() {
        try (Jedis client = eden.jedis(); Jedis direct = redis.direct()) {
            String[] pairs = new String[40];
            for (int i = 0; i < 20; i++) {
                pairs[2 * i] = "multi:" + i;
                pairs[2 * i + 1] = "m" + i;
            }
            assertEquals("OK", client.mset(pairs));
            List<String> got = client.mget("multi:0", "multi:7", "multi:19", "multi:none");
            assertEquals(java.util.Arrays.asList("m0", "m7", "m19", null), got);
            assertEquals("OK", client.rename("multi:3", "elsewhere:3"));
            assertEquals("m3", direct.get("elsewhere:3"));
            assertEquals(3, client.del("multi:0", "multi:1", "multi:2"));
            client.sadd("set:a", "1", "2");
            client.sadd("set:b", "2", "3");
            assertEquals(3, client.sunionstore("set:union", "set:a", "set:b"));
            Object result = client.eval("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('APPEND', KEYS[2], ARGV[1])",
                    2, "script:one", "script:two", "ab");
            assertEquals(2L, result);
            assertEquals("ab", direct.get("script:one"));
            // hash tags keep related keys in one slot, hence one lane
            assertEquals("OK", client.mset("{user1}:a", "1", "{user1}:b", "2"));
            assertEquals(List.of("1", "2"), client.mget("{user1}:a", "{user1}:b"));
        }
    }

    @Test
    void keyless_commands_are_answered_by_the_server() {
        try (Jedis client = eden.jedis()) {
            assertEquals("PONG", client.ping());
            assertEquals("hello", client.echo("hello"));
            assertTrue(client.info("server").contains("redis_version:7.0.15"));
            assertTrue(client.dbSize() >= 0);
            assertTrue(client.time().size() == 2);
        }
    }

    @Test
    void transactions_run_on_the_clients_own_connection_and_watch_conflicts_abort() {
        try (Jedis client = eden.jedis(); Jedis other = eden.jedis()) {
            var tx = client.multi();
            tx.set("tx:a", "1");
            tx.incr("tx:a");
            tx.get("tx:a");
            assertEquals(List.of("OK", 2L, "2"), tx.exec());

            client.watch("tx:watched");
            other.set("tx:watched", "changed by another client");
            var aborted = client.multi();
            aborted.set("tx:watched", "mine");
            assertNull(aborted.exec(), "EXEC after a WATCH conflict is aborted");
            assertEquals("changed by another client", other.get("tx:watched"));

            client.watch("tx:quiet");
            var ok = client.multi();
            ok.set("tx:quiet", "mine");
            assertEquals(List.of("OK"), ok.exec());
            assertEquals("PONG", client.ping(), "back on the lanes after EXEC");
        }
    }

    @Test
    void a_blocked_pop_blocks_nobody_else_and_is_released_by_another_client() throws Exception {
        try (Jedis blocked = eden.jedis(); Jedis other = eden.jedis(); Jedis third = eden.jedis()) {
            blocked.del("queue");
            Future<List<String>> pop;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                pop = pool.submit(() -> blocked.blpop(10, "queue"));
                Thread.sleep(200);
                long start = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    assertEquals("PONG", third.ping());
                    third.set("queue:bystander", "x");
                }
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "others are not held up");
                assertEquals(1, other.lpush("queue", "job"));
                assertEquals(List.of("queue", "job"), pop.get(5, TimeUnit.SECONDS));
            }
            assertEquals("PONG", blocked.ping());
            other.zadd("zqueue", 1, "low");
            assertEquals("low", blocked.bzpopmin(1, "zqueue").getValue().getElement());
            other.rpush("from", "moved");
            assertEquals("moved", blocked.blmove("from", "to", ListDirection.LEFT, ListDirection.RIGHT, 1));
            assertEquals(0L, blocked.waitReplicas(0, 100));
        }
    }

    @Test
    void select_pins_the_client_and_databases_stay_apart() {
        try (Jedis one = eden.jedis(); Jedis zero = eden.jedis(); Jedis direct = redis.direct()) {
            assertEquals("OK", one.select(1));
            assertEquals("OK", one.set("db:key", "in db 1"));
            assertNull(zero.get("db:key"), "another client stays in db 0");
            direct.select(1);
            assertEquals("in db 1", direct.get("db:key"));
            assertEquals("in db 1", one.get("db:key"));
        }
    }

    @Test
    void client_name_and_id_are_the_clients_own() {
        try (Jedis a = eden.jedis(); Jedis b = eden.jedis()) {
            assertNull(a.clientGetname());
            assertEquals("OK", a.clientSetname("alpha"));
            assertEquals("alpha", a.clientGetname());
            assertEquals("OK", b.clientSetname("beta"));
            long idA = a.clientId();
            long idB = b.clientId();
            assertNotEquals(idA, idB);
            assertEquals(idA, a.clientId(), "stable for the life of the connection");
            assertTrue(a.clientInfo().contains("name=alpha"), a.clientInfo());
            assertTrue(b.clientInfo().contains("name=beta"), b.clientInfo());
            assertEquals("beta", b.clientGetname());
        }
    }

    @Test
    void client_names_are_answered_as_the_server_answers_them() throws Exception {
        // kept by Eden while the client is on the lanes: every answer must be the server's, byte for byte
        String script = command("CLIENT", "SETNAME", "bad name") + command("CLIENT", "GETNAME")
                + command("CLIENT", "SETNAME", "alpha") + command("CLIENT", "GETNAME")
                + command("CLIENT", "SETNAME") + command("CLIENT", "SETNAME", "") + command("CLIENT", "GETNAME")
                + command("CLIENT", "SETINFO", "lib-name", "mylib") + command("CLIENT", "SETNAME", "beta")
                + command("RESET") + command("CLIENT", "GETNAME") + command("QUIT");
        String direct;
        try (RawClient raw = new RawClient(redis.port())) {
            direct = raw.send(script).readUntilClosed();
        }
        try (RawClient raw = new RawClient(eden.port())) {
            assertEquals(direct, raw.send(script).readUntilClosed());
        }
        assertTrue(direct.startsWith("-ERR Client names cannot contain spaces"), direct);
    }

    @Test
    void scripts_load_and_run_by_sha() {
        try (Jedis client = eden.jedis()) {
            String sha = client.scriptLoad("return redis.call('INCRBY', KEYS[1], ARGV[1])");
            assertEquals(5L, client.evalsha(sha, 1, "script:counter:" + System.nanoTime(), "5"));
        }
    }

    @Test
    void reset_and_quit_answer_as_redis_does() throws Exception {
        try (RawClient raw = new RawClient(eden.port())) {
            raw.send("SELECT 2\r\nRESET\r\nQUIT\r\n");
            assertEquals("+OK\r\n+RESET\r\n+OK\r\n", raw.readUntilClosed());
        }
    }

    @Test
    void monitor_streams_what_others_run() throws Exception {
        try (RawClient monitor = new RawClient(eden.port()); Jedis other = eden.jedis()) {
            monitor.send("MONITOR\r\n");
            assertEquals("+OK", monitor.readLine());
            other.set("monitored", "1");
            String line;
            do {
                line = monitor.readLine();
            } while (!line.contains("monitored"));
            assertTrue(line.contains("\"SET\" \"monitored\" \"1\""), line);
        }
    }

    @Test
    void pub_sub_with_jedis() throws Exception {
        try (Jedis subscriber = eden.jedis(); Jedis publisher = eden.jedis()) {
            CountDownLatch subscribed = new CountDownLatch(1);
            ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
            redis.clients.jedis.JedisPubSub listener = new redis.clients.jedis.JedisPubSub() {
                @Override
                public void onSubscribe(String channel, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onMessage(String channel, String message) {
                    got.add(channel + ":" + message);
                    if (got.size() == 2) {
                        unsubscribe();
                    }
                }

                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    onMessage(channel, message);
                }
            };
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> running = pool.submit(() -> subscriber.subscribe(listener, "news"));
                assertTrue(subscribed.await(5, TimeUnit.SECONDS));
                assertEquals(1, publisher.publish("news", "first"));
                assertEquals(1, publisher.publish("news", "second"));
                running.get(5, TimeUnit.SECONDS);
            }
            assertEquals(List.of("news:first", "news:second"), List.copyOf(got));
        }
    }
}

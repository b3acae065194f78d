package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.RawClient;
import io.eden.adapters.redis.support.RealRedis;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** Upstream restarts, slow readers and too many clients: bounded, answered, never hung. */
class RedisLaneFaultsTest {

    @Test
    void an_upstream_restart_fails_what_was_in_flight_and_the_lanes_reconnect() throws Exception {
        RealRedis redis = RealRedis.start();
        int port = redis.port();
        try (EdenUnderTest eden = EdenUnderTest.proxying(redis.endpoint());
             Jedis client = new Jedis("127.0.0.1", eden.port(), 10_000);
             Jedis blocked = new Jedis("127.0.0.1", eden.port(), 10_000)) {
            assertEquals("OK", client.set("before", "restart"));
            Future<?> pop;
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                pop = pool.submit(() -> blocked.blpop(30, "never"));
                Thread.sleep(200);
                redis.close();
                // the blocked client gets an error (its connection state is gone), not a hang
                Exception failed = assertThrows(Exception.class, () -> pop.get(5, TimeUnit.SECONDS));
                assertTrue(!(failed instanceof java.util.concurrent.TimeoutException), failed.toString());
            }
            JedisDataException down = assertThrows(JedisDataException.class, () -> client.get("before"));
            assertTrue(down.getMessage().contains("Eden"), down.getMessage());
            RealRedis again = RealRedis.startOn(port);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                String reply = null;
                while (reply == null && System.nanoTime() < deadline) {
                    try (Jedis fresh = eden.jedis()) {
                        reply = fresh.ping();
                    } catch (RuntimeException e) {
                        Thread.sleep(100); // backoff: the lane retries shortly
                    }
                }
                assertEquals("PONG", reply, "the lanes reconnect once the server is back");
            } finally {
                again.close();
            }
        }
    }

    /** Inline commands run on the client's thread; RESP arrays go as pipeline batches from the loop. */
    @ParameterizedTest
    @ValueSource(strings = {"GET big\r\n", "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n"})
    void a_client_that_does_not_read_is_disconnected_and_others_carry_on(String get) throws Exception {
        try (RealRedis redis = RealRedis.start();
             EdenUnderTest eden = EdenUnderTest.proxying(redis.endpoint(),
                     ProxySettings.DEFAULTS.withClientOutputLimit(1 << 20));
             Jedis other = eden.jedis();
             RawClient slow = new RawClient(eden.port())) {
            other.set("big", "x".repeat(100_000));
            StringBuilder gets = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                gets.append(get);
            }
            for (int i = 0; i < 5 && !slow.isClosedByServer(Duration.ofMillis(1)); i++) {
                try {
                    slow.send(gets.toString()); // 100 x 100 KB of replies per round, never read
                } catch (java.io.IOException closed) {
                    break;
                }
                Thread.sleep(100);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (eden.errors("slow_client") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, eden.errors("slow_client"));
            assertEquals("PONG", other.ping());
            assertEquals(100_000, other.get("big").length());
        }
    }

    @Test
    void beyond_max_clients_a_client_gets_redis_own_refusal() throws Exception {
        try (RealRedis redis = RealRedis.start();
             EdenUnderTest eden = EdenUnderTest.proxying(redis.endpoint(), ProxySettings.DEFAULTS.withMaxClients(2));
             Jedis one = eden.jedis(); Jedis two = eden.jedis()) {
            assertEquals("PONG", one.ping());
            assertEquals("PONG", two.ping());
            try (RawClient third = new RawClient(eden.port())) {
                assertEquals("-ERR max number of clients reached", third.readLine());
            }
            assertEquals(1, eden.errors("max_clients"));
        }
    }

    @Test
    void lanes_are_kept_per_user_and_no_client_runs_as_another() throws Exception {
        try (RealRedis redis = RealRedis.start("requirepass adminpw");
             EdenUnderTest eden = EdenUnderTest.proxying(redis.endpoint())) {
            try (Jedis admin = redis.direct()) {
                admin.auth("adminpw");
                admin.aclSetUser("alice", "on", ">alicepw", "~alice:*", "+@all");
            }
            try (Jedis alice = eden.jedis(); Jedis root = eden.jedis(); Jedis nobody = eden.jedis()) {
                assertEquals("OK", alice.auth("alice", "alicepw"));
                assertEquals("OK", root.auth("adminpw"));
                assertEquals("alice", alice.aclWhoAmI());
                assertEquals("default", root.aclWhoAmI());
                assertEquals("OK", alice.set("alice:key", "mine"));
                JedisDataException denied = assertThrows(JedisDataException.class, () -> alice.set("bob:key", "no"));
                assertTrue(denied.getMessage().startsWith("NOPERM"), denied.getMessage());
                assertEquals("OK", root.set("bob:key", "yes"));
                JedisDataException noauth = assertThrows(JedisDataException.class, () -> nobody.get("alice:key"));
                assertTrue(noauth.getMessage().startsWith("NOAUTH"), noauth.getMessage());
                JedisDataException wrong = assertThrows(JedisDataException.class, () -> nobody.auth("alice", "bad"));
                assertTrue(wrong.getMessage().startsWith("WRONGPASS"), wrong.getMessage());
                assertThrows(JedisDataException.class, () -> nobody.get("alice:key"), "still unauthenticated");
            }
        }
    }
}

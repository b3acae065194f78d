package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.RealRedis;
import io.eden.domain.model.Health;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Clients authenticate themselves: Eden relays AUTH to the server and never logs a client in
 * with the endpoint's password, so a client without the password stays locked out.
 */
class RedisAuthPassThroughTest {
    private static final String PASSWORD = "s3cret-Pa55";
    private static RealRedis redis;
    private static EdenUnderTest eden;

    @BeforeAll
    static void start() {
        redis = RealRedis.start("requirepass " + PASSWORD);
        // the endpoint knows the password (for health checks); clients must still bring their own
        eden = EdenUnderTest.proxying(redis.endpoint(":" + PASSWORD));
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
    void a_client_without_auth_gets_the_servers_noauth_error() {
        try (Jedis client = eden.jedis()) {
            JedisDataException refused = assertThrows(JedisDataException.class, () -> client.get("anything"));
            assertTrue(refused.getMessage().startsWith("NOAUTH"), refused.getMessage());
        }
    }

    @Test
    void a_wrong_password_gets_the_servers_own_error() {
        try (Jedis client = eden.jedis()) {
            JedisDataException refused = assertThrows(JedisDataException.class, () -> client.auth("wrong"));
            assertTrue(refused.getMessage().startsWith("WRONGPASS"), refused.getMessage());
        }
    }

    @Test
    void the_right_password_opens_the_server_through_eden() {
        try (Jedis client = eden.jedis()) {
            assertEquals("OK", client.auth(PASSWORD));
            assertEquals("OK", client.set("authenticated", "yes"));
            assertEquals("yes", client.get("authenticated"));
        }
        try (Jedis other = eden.jedis()) {
            JedisDataException refused = assertThrows(JedisDataException.class, () -> other.get("authenticated"));
            assertTrue(refused.getMessage().startsWith("NOAUTH"), "a new connection starts unauthenticated");
        }
    }

    @Test
    void the_username_form_of_auth_passes_through() {
        try (Jedis client = eden.jedis()) {
            assertEquals("OK", client.auth("default", PASSWORD));
            assertEquals("PONG", client.ping());
        }
    }

    @Test
    void health_checks_authenticate_with_the_endpoints_password() {
        assertEquals(Health.HEALTHY, eden.adapter.checkHealth(redis.endpoint(":" + PASSWORD)));
        assertEquals(Health.HEALTHY, eden.adapter.checkHealth(redis.endpoint("default:" + PASSWORD)));
        assertEquals(Health.UNHEALTHY, eden.adapter.checkHealth(redis.endpoint(":wrong")));
        assertEquals(Health.UNHEALTHY, eden.adapter.checkHealth(redis.endpoint()), "PING without AUTH gets NOAUTH");
    }
}

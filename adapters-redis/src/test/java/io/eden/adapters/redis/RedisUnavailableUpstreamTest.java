package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.FixedRoute;
import io.eden.adapters.redis.support.RawClient;
import io.eden.adapters.redis.support.RealRedis;
import io.eden.adapters.redis.support.RecordingMetrics;
import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.adapters.redis.support.Movements;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.Health;
import io.eden.domain.model.ProtocolId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** What clients are told when Eden has nowhere to send them, and what the adapter refuses to do. */
class RedisUnavailableUpstreamTest {
    private static final String NO_ENDPOINT =
            "ERR Eden: interlay 'cache' has no endpoint yet; create one with POST /api/v1/endpoints";

    @Test
    void an_interlay_without_endpoint_answers_every_command_with_a_clear_error() throws IOException {
        try (EdenUnderTest eden = EdenUnderTest.withoutEndpoint(); RawClient client = new RawClient(eden.port())) {
            client.send("PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");
            assertEquals("-" + NO_ENDPOINT, client.readLine());
            assertEquals("-" + NO_ENDPOINT, client.readLine());
            client.send("QUIT\r\n");
            assertEquals("+OK\r\n", client.readUntilClosed());
            assertEquals(1, eden.errors("no_endpoint"), "counted once per refused connection");
        }
    }

    @Test
    void a_real_client_sees_the_no_endpoint_message() {
        try (EdenUnderTest eden = EdenUnderTest.withoutEndpoint(); Jedis client = eden.jedis()) {
            JedisDataException refused = assertThrows(JedisDataException.class, client::ping);
            assertEquals(NO_ENDPOINT, refused.getMessage());
        }
    }

    @Test
    void an_unreachable_upstream_is_named_in_the_reply_and_the_connection_closed() throws IOException {
        int deadPort = RealRedis.freePort();
        Endpoint dead = new Endpoint("dead", EndpointUri.parse("redis://user:topsecret@127.0.0.1:" + deadPort),
                ProtocolId.REDIS);
        try (EdenUnderTest eden = EdenUnderTest.proxying(dead); RawClient client = new RawClient(eden.port())) {
            client.send("PING\r\n");
            String reply = client.readUntilClosed();
            assertTrue(reply.startsWith("-ERR Eden: upstream 127.0.0.1:" + deadPort + " unreachable: "), reply);
            assertTrue(reply.contains("Connection refused"), reply);
            assertFalse(reply.contains("topsecret"), "the password never reaches a client");
            assertEquals(1, eden.errors("upstream"));
        }
    }

    @Test
    void an_unreachable_endpoint_is_unhealthy_within_seconds() {
        int deadPort = RealRedis.freePort();
        Endpoint dead = new Endpoint("dead", EndpointUri.parse("redis://127.0.0.1:" + deadPort), ProtocolId.REDIS);
        try (RedisProtocolAdapter adapter = new RedisProtocolAdapter(new RecordingMetrics(), ProxySettings.DEFAULTS)) {
            long started = System.nanoTime();
            assertEquals(Health.UNHEALTHY, adapter.checkHealth(dead));
            assertTrue(System.nanoTime() - started < 3_000_000_000L, "answered within the timeout");
        }
    }

    @Test
    void a_server_that_is_no_redis_is_unhealthy() throws IOException {
        // an HTTP-ish peer that answers PING with garbage and hangs up
        try (ServerSocket fake = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try (Socket peer = fake.accept()) {
                    peer.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                } catch (IOException ignored) {
                    // the check may have given up already
                }
            });
            Endpoint notRedis = new Endpoint("web", EndpointUri.parse("redis://127.0.0.1:" + fake.getLocalPort()),
                    ProtocolId.REDIS);
            try (RedisProtocolAdapter adapter = new RedisProtocolAdapter(new RecordingMetrics(), ProxySettings.DEFAULTS)) {
                assertEquals(Health.UNHEALTHY, adapter.checkHealth(notRedis));
            }
        }
    }

    @Test
    void a_rediss_endpoint_is_reached_over_tls_and_a_plain_text_server_fails_the_handshake() throws IOException {
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try (Socket peer = plain.accept()) {
                        peer.getOutputStream().write("-ERR plain text here\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            int port = plain.getLocalPort();
            Endpoint tls = new Endpoint("tls", EndpointUri.parse("rediss://:pw@127.0.0.1:" + port), ProtocolId.REDIS);
            try (EdenUnderTest eden = EdenUnderTest.proxying(tls); RawClient client = new RawClient(eden.port())) {
                assertEquals(Health.UNHEALTHY, eden.adapter.checkHealth(tls));
                client.send("PING\r\n");
                String reply = client.readUntilClosed();
                assertTrue(reply.startsWith("-ERR Eden: upstream 127.0.0.1:" + port + " unreachable: "), reply);
                assertFalse(reply.contains("plain text here"), "the TLS layer refused the reply: " + reply);
            }
        }
    }

    @Test
    void a_tls_interlay_without_a_certificate_is_refused_naming_the_options() {
        try (RedisProtocolAdapter adapter = new RedisProtocolAdapter(new RecordingMetrics(), ProxySettings.DEFAULTS)) {
            UnsupportedCapabilityException refused = assertThrows(UnsupportedCapabilityException.class,
                    () -> adapter.listen(EdenUnderTest.interlay(true), FixedRoute.unbound(EdenUnderTest.interlay(true))));
            assertTrue(refused.getMessage().contains("redis.tls-cert-file")
                    && refused.getMessage().contains("redis.tls-key-file"), refused.getMessage());
            assertTrue(refused.getMessage().contains("without tls"), refused.getMessage());
        }
    }

    @Test
    void the_snapshot_data_mode_is_refused_with_what_works_instead() {
        try (RedisProtocolAdapter adapter = new RedisProtocolAdapter(new RecordingMetrics(), ProxySettings.DEFAULTS)) {
            Endpoint a = new Endpoint("a", EndpointUri.parse("redis://127.0.0.1:1"), ProtocolId.REDIS);
            Endpoint b = new Endpoint("b", EndpointUri.parse("redis://127.0.0.1:2"), ProtocolId.REDIS);
            var snapshot = new Movements().request(a, b, new DataMode(DataMode.Type.SNAPSHOT, DataMode.Replace.REPLACE),
                    new FailureHandling.AllowPartial());
            var refused = assertThrows(UnsupportedCapabilityException.class, () -> adapter.startDataMovement(snapshot));
            assertTrue(refused.getMessage().contains("scan"), refused.getMessage());
        }
    }
}

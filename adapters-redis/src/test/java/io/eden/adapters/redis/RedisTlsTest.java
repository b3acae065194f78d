package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.proxy.RedisHealthCheck;
import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.FixedRoute;
import io.eden.adapters.redis.support.RawClient;
import io.eden.adapters.redis.support.RealRedis;
import io.eden.adapters.redis.support.RecordingMetrics;
import io.eden.adapters.redis.support.TestCerts;
import io.eden.adapters.redis.support.TlsRedis;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.tls.PemTls;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ProtocolId;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** TLS towards clients and towards rediss:// endpoints, against real servers, certificates made by openssl. */
class RedisTlsTest {
    private static final Path REDIS_CLI = Path.of("/usr/bin/redis-cli");
    private static TestCerts certs;

    @BeforeAll
    static void certificates() {
        assumeTrue(TestCerts.available(), "openssl is not installed");
        certs = TestCerts.get();
    }

    // ---------------------------------------------------------------- TLS towards clients

    @Test
    void redis_cli_and_jedis_speak_tls_to_a_tls_interlay() throws Exception {
        try (RealRedis redis = RealRedis.start();
             Eden eden = Eden.listening(true, redis.endpoint(), listenerOptions(certs.serverKeyPkcs1()));
             Jedis client = tlsJedis(eden.port(), certs.ca());
             Jedis direct = redis.direct()) {
            assertEquals("OK", client.set("tls:greeting", "hello over TLS"));
            assertEquals("hello over TLS", client.get("tls:greeting"));
            assertEquals("hello over TLS", direct.get("tls:greeting"), "it landed on the server");
            assertPipelines(client, "tls:pipeline:");
            assumeTrue(Files.isExecutable(REDIS_CLI), "redis-cli is not installed");
            assertEquals("OK", redisCli(eden.port(), "SET", "tls:cli", "from redis-cli"));
            assertEquals("from redis-cli", redisCli(eden.port(), "GET", "tls:cli"));
        }
    }

    @Test
    void an_ec_certificate_with_a_sec1_key_serves_tls_clients() throws Exception {
        Map<String, String> options = Map.of("tls-cert-file", certs.ecServerCert().toString(),
                "tls-key-file", certs.ecServerKeySec1().toString());
        try (RealRedis redis = RealRedis.start();
             Eden eden = Eden.listening(true, redis.endpoint(), options);
             Jedis client = tlsJedis(eden.port(), certs.ca())) {
            assertEquals("PONG", client.ping());
        }
    }

    @Test
    void plain_text_clients_on_the_tls_port_are_closed_and_tls_clients_carry_on() throws Exception {
        Map<String, String> options = new HashMap<>(listenerOptions(certs.serverKey()));
        options.put("tls-handshake-timeout-ms", "1000");
        try (RealRedis redis = RealRedis.start();
             Eden eden = Eden.listening(true, redis.endpoint(), options);
             Jedis client = tlsJedis(eden.port(), certs.ca())) {
            assertEquals("OK", client.set("tls:steady", "1"));
            try (Socket talker = new Socket("127.0.0.1", eden.port());
                 Socket silent = new Socket("127.0.0.1", eden.port())) {
                talker.setSoTimeout(10_000);
                silent.setSoTimeout(10_000);
                talker.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertClosedWithoutReply(talker);
                assertEquals("1", client.get("tls:steady"), "the TLS client is untouched");
                long start = System.nanoTime();
                assertClosedWithoutReply(silent); // a stalled handshake times out
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(waited < 8_000, "closed after the handshake timeout, not never: " + waited + " ms");
            }
            awaitCount(eden, "tls_handshake", 2);
            assertPipelines(client, "tls:after-plain:");
            assertEquals(1, eden.listener.activeConnections());
        }
    }

    @Test
    void a_tls_client_on_a_plain_interlay_fails_alone() throws Exception {
        try (RealRedis redis = RealRedis.start();
             Eden eden = Eden.listening(false, redis.endpoint(), Map.of());
             Jedis plain = new Jedis("127.0.0.1", eden.port())) {
            assertEquals("OK", plain.set("plain:steady", "1"));
            assertThrows(JedisConnectionException.class, () -> {
                try (Jedis tls = tlsJedis(eden.port(), certs.ca())) {
                    tls.ping();
                }
            });
            assertEquals("1", plain.get("plain:steady"));
        }
    }

    @Test
    void a_tls_client_that_stops_reading_is_dropped_without_stalling_its_lane() throws Exception {
        Map<String, String> options = new HashMap<>(listenerOptions(certs.serverKey()));
        options.put("client-output-limit", "16mb"); // beyond the socket buffers: Eden's writer is stuck in a write
        try (RealRedis redis = RealRedis.start();
             Eden eden = Eden.listening(true, redis.endpoint(), options);
             Jedis other = tlsJedis(eden.port(), certs.ca());
             Socket slow = tlsSocket(eden.port(), 4096)) {
            other.set("big", "x".repeat(100_000));
            byte[] gets = "GET big\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 50; i++) {
                    slow.getOutputStream().write(gets); // 100 x 100 KB of replies each, never read
                    slow.getOutputStream().flush();
                }
            } catch (IOException dropped) {
                // Eden may drop it before it has sent them all
            }
            awaitCount(eden, "slow_client", 1);
            // the drop came from the lane's reader while the client's writer was stuck in a TLS write:
            // SSLSocket.close() would have waited for that write, and the lane with it (TlsSocket)
            assertEquals(100_000, other.get("big").length(), "the lane of 'big' still answers");
            assertEquals("PONG", other.ping());
        }
    }

    @Test
    void quit_and_the_max_clients_refusal_reach_a_tls_client_before_the_close() throws Exception {
        Map<String, String> options = new HashMap<>(listenerOptions(certs.serverKey()));
        options.put("max-clients", "1");
        try (RealRedis redis = RealRedis.start();
             Eden eden = Eden.listening(true, redis.endpoint(), options)) {
            try (Socket first = tlsSocket(eden.port()); Socket second = tlsSocket(eden.port())) {
                first.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("+PONG\r\n", readAll(first, 7));
                assertEquals("-ERR max number of clients reached\r\n", readAll(second, Integer.MAX_VALUE));
                first.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("+OK\r\n", readAll(first, Integer.MAX_VALUE));
            }
        }
    }

    // ---------------------------------------------------------------- TLS towards rediss:// endpoints

    @Test
    void a_rediss_endpoint_is_verified_with_the_ca_file_and_carries_commands_and_pipelines() throws Exception {
        assumeTrue(TlsRedis.available(), "redis-server with TLS is not installed");
        Map<String, String> options = Map.of("tls-ca-file", certs.ca().toString());
        try (TlsRedis redis = TlsRedis.start(certs.serverCert(), certs.serverKey());
             Eden eden = Eden.listening(false, redis.endpoint("localhost"), options);
             Jedis client = new Jedis("127.0.0.1", eden.port());
             Jedis direct = tlsJedis(redis.port(), certs.ca())) {
            assertEquals("OK", client.set("rediss:greeting", "over TLS upstream"));
            assertEquals("over TLS upstream", direct.get("rediss:greeting"), "it landed on the TLS server");
            assertPipelines(client, "rediss:pipeline:");
            assertEquals(Health.HEALTHY, eden.adapter.checkHealth(redis.endpoint("127.0.0.1")));
        }
    }

    @Test
    void tls_both_ways_carries_commands_and_pipelines() throws Exception {
        assumeTrue(TlsRedis.available(), "redis-server with TLS is not installed");
        Map<String, String> options = new HashMap<>(listenerOptions(certs.serverKey()));
        options.put("tls-ca-file", certs.ca().toString());
        try (TlsRedis redis = TlsRedis.start(certs.ecServerCert(), certs.ecServerKeySec1());
             Eden eden = Eden.listening(true, redis.endpoint("127.0.0.1"), options);
             Jedis client = tlsJedis(eden.port(), certs.ca());
             Jedis direct = tlsJedis(redis.port(), certs.ca())) {
            assertEquals("OK", client.set("both:greeting", "TLS end to end"));
            assertEquals("TLS end to end", client.get("both:greeting"));
            assertEquals("TLS end to end", direct.get("both:greeting"));
            assertPipelines(client, "both:pipeline:");
            assumeTrue(Files.isExecutable(REDIS_CLI), "redis-cli is not installed");
            assertEquals("TLS end to end", redisCli(eden.port(), "GET", "both:greeting"));
        }
    }

    @Test
    void an_untrusted_server_certificate_is_a_clear_error_for_the_client_and_the_health_check() throws Exception {
        assumeTrue(TlsRedis.available(), "redis-server with TLS is not installed");
        try (TlsRedis redis = TlsRedis.start(certs.serverCert(), certs.serverKey())) {
            for (Map<String, String> options : List.of(Map.of("tls-ca-file", certs.otherCa().toString()),
                    Map.<String, String>of())) {
                try (Eden eden = Eden.listening(false, redis.endpoint("localhost"), options)) {
                    String reply = replyTo(eden.port(), "GET anything");
                    assertTrue(reply.startsWith("-ERR Eden: upstream localhost:" + redis.port() + " unreachable: ")
                            && reply.contains("not signed by a CA Eden trusts")
                            && reply.contains("redis.tls-ca-file"), reply);
                    RedisHealthCheck.Finding finding = healthCheck(options).examine(redis.endpoint("localhost"));
                    assertEquals(Health.UNHEALTHY, finding.health());
                    assertTrue(finding.problem().contains("not signed by a CA Eden trusts"), finding.problem());
                }
            }
        }
    }

    @Test
    void a_certificate_for_another_host_name_is_refused() throws Exception {
        assumeTrue(TlsRedis.available(), "redis-server with TLS is not installed");
        Map<String, String> options = Map.of("tls-ca-file", certs.ca().toString());
        try (TlsRedis redis = TlsRedis.start(certs.wrongNameCert(), certs.wrongNameKey());
             Eden eden = Eden.listening(false, redis.endpoint("localhost"), options)) {
            String reply = replyTo(eden.port(), "GET anything");
            assertTrue(reply.contains("does not name host localhost"), reply);
            RedisHealthCheck.Finding finding = healthCheck(options).examine(redis.endpoint("127.0.0.1"));
            assertTrue(finding.problem().contains("does not name host 127.0.0.1"), finding.problem());
        }
    }

    @Test
    void a_rediss_endpoint_that_speaks_plain_text_fails_fast() throws Exception {
        try (RealRedis plain = RealRedis.start()) {
            Endpoint endpoint = endpoint("rediss://127.0.0.1:" + plain.port());
            long start = System.nanoTime();
            RedisHealthCheck.Finding finding = healthCheck(Map.of()).examine(endpoint);
            assertEquals(Health.UNHEALTHY, finding.health());
            assertTrue(finding.problem().contains("TLS"), finding.problem());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8), "bounded by the health timeout");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, String> listenerOptions(Path key) {
        return Map.of("tls-cert-file", certs.serverCert().toString(), "tls-key-file", key.toString());
    }

    private static RedisHealthCheck healthCheck(Map<String, String> options) {
        ProxySettings settings = RedisAdapterOptions.parse(options);
        return new RedisHealthCheck(settings.healthTimeout(), settings.upstreamTls());
    }

    /** A Jedis that trusts {@code ca} only and checks the certificate names the host, as a careful client does. */
    private static Jedis tlsJedis(int port, Path ca) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PemTls.trustStore(ca));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder().ssl(true)
                .sslSocketFactory(context.getSocketFactory()).sslParameters(parameters)
                .connectionTimeoutMillis(10_000).socketTimeoutMillis(10_000).build());
    }

    /** A raw TLS connection trusting the test CA, for bytes no client library would send or wait for. */
    private static Socket tlsSocket(int port) throws Exception {
        return tlsSocket(port, 0);
    }

    private static Socket tlsSocket(int port, int receiveBuffer) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PemTls.trustStore(certs.ca()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        Socket socket = context.getSocketFactory().createSocket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Reads up to {@code limit} bytes, or until the peer closes. */
    private static String readAll(Socket socket, int limit) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(Math.min(limit, 64 * 1024));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void assertPipelines(Jedis client, String prefix) {
        Pipeline pipeline = client.pipelined();
        List<Response<String>> replies = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            pipeline.set(prefix + i, "value-" + i);
            replies.add(pipeline.get(prefix + i));
        }
        pipeline.sync();
        for (int i = 0; i < 2_000; i++) {
            assertEquals("value-" + i, replies.get(i).get());
        }
    }

    private static void assertClosedWithoutReply(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1024];
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                // a TLS alert may come first; a RESP reply must not
                assertTrue(read == 0 || buffer[0] == 0x15, "no RESP reply on a TLS port: got byte " + buffer[0]);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection stayed open", e);
        } catch (IOException reset) {
            // closed hard: as good as closed
        }
    }

    /**
     * What Eden answers a plain inline command before closing: raw, as Jedis 8 sends CLIENT
     * SETINFO on connect and fails on the close before the test could see the error.
     */
    private static String replyTo(int port, String inline) throws IOException {
        try (RawClient client = new RawClient(port)) {
            client.send(inline + "\r\n");
            return client.readUntilClosed();
        }
    }

    private static void awaitCount(Eden eden, String kind, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long seen;
        while ((seen = eden.metrics.count("eden_errors_total", Map.of("protocol", "redis", "kind", kind))) != expected
                && System.nanoTime() < deadline) {
            Thread.sleep(20); // counted just after the socket closes, on the client's thread
        }
        assertEquals(expected, seen, kind);
    }

    private static String redisCli(int port, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(REDIS_CLI.toString(), "--tls", "--cacert",
                certs.ca().toString(), "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "redis-cli finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static Endpoint endpoint(String uri) {
        return new Endpoint("source", EndpointUri.parse(uri), ProtocolId.REDIS);
    }

    /** The adapter, configured from {@code --option redis.*} values, listening for one interlay. */
    private static final class Eden implements AutoCloseable {
        final RecordingMetrics metrics = new RecordingMetrics();
        final RedisProtocolAdapter adapter;
        final InterlayListener listener;

        private Eden(boolean tls, Endpoint endpoint, Map<String, String> options) throws IOException {
            adapter = new RedisProtocolAdapter(metrics, RedisAdapterOptions.parse(options));
            Interlay interlay = EdenUnderTest.interlay(tls);
            listener = adapter.listen(interlay, FixedRoute.to(interlay, endpoint));
        }

        static Eden listening(boolean tls, Endpoint endpoint, Map<String, String> options) throws IOException {
            return new Eden(tls, endpoint, options);
        }

        int port() {
            return listener.boundAddress().getPort();
        }

        @Override
        public void close() {
            adapter.close();
        }
    }
}

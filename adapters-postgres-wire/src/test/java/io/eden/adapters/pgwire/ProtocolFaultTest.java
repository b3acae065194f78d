package io.eden.adapters.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.InterlayListener;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.ProtocolId;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input and dying peers: the offender gets 08P01 (or an error, not a hang), nobody else notices. */
class ProtocolFaultTest {
    private static PgFixture.Eden session;
    private static PgFixture.Eden transaction;

    @BeforeAll
    static void start() throws Exception {
        PgFixture.postgres();
        session = PgFixture.eden(Map.of());
        transaction = PgFixture.eden(Map.of("pool_mode", "transaction", "pool_size", "3"));
    }

    @AfterAll
    static void stop() {
        session.close();
        transaction.close();
    }

    private static byte[] startup(String... params) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String p : params) {
            body.writeBytes(p.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        byte[] b = body.toByteArray();
        byte[] packet = new byte[8 + b.length];
        Wire.putInt(packet, 0, packet.length);
        Wire.putInt(packet, 4, Wire.PROTOCOL_3_0);
        System.arraycopy(b, 0, packet, 8, b.length);
        return packet;
    }

    /** Reads messages until an ErrorResponse; returns its SQLSTATE, then checks the connection is closed. */
    private static String errorThenClose(DataInputStream in) throws IOException {
        while (true) {
            int type = in.read();
            if (type < 0) {
                throw new EOFException("closed without an error");
            }
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            if (type == 'E') {
                String code = Wire.errorFields(body, body.length)[0];
                assertEquals(-1, in.read(), "the connection must close after the error");
                return code;
            }
        }
    }

    private static void readUntilReady(DataInputStream in) throws IOException {
        while (true) {
            int type = in.read();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            if (type == 'Z') {
                return;
            }
            assertTrue(type != 'E', "unexpected error during login");
        }
    }

    private static void assertOthersUnaffected(Connection bystander) throws SQLException {
        try (Statement s = bystander.createStatement(); ResultSet rs = s.executeQuery("SELECT 42")) {
            rs.next();
            assertEquals(42, rs.getInt(1));
        }
    }

    @Test
    void absurdOrMalformedStartupPacketsGet08P01() throws Exception {
        for (PgFixture.Eden eden : new PgFixture.Eden[] {session, transaction}) {
            try (Connection bystander = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD)) {
                try (Socket s = new Socket("127.0.0.1", eden.port())) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeInt(0x7fffffff);
                    out.writeInt(Wire.PROTOCOL_3_0);
                    out.flush();
                    assertEquals("08P01", errorThenClose(new DataInputStream(s.getInputStream())));
                }
                try (Socket s = new Socket("127.0.0.1", eden.port())) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    byte[] packet = startup("user", "postgres");
                    packet[packet.length - 1] = 'x'; // no terminator
                    packet[packet.length - 2] = 'x';
                    out.write(packet);
                    out.flush();
                    assertEquals("08P01", errorThenClose(new DataInputStream(s.getInputStream())));
                }
                try (Socket s = new Socket("127.0.0.1", eden.port())) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeInt(3); // shorter than its own length field
                    out.flush();
                    assertEquals("08P01", errorThenClose(new DataInputStream(s.getInputStream())));
                }
                assertOthersUnaffected(bystander);
            }
        }
    }

    @Test
    void unknownMessageTypeAndAbsurdLengthAfterLoginGet08P01() throws Exception {
        try (Connection bystander = PgFixture.connect(session.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD)) {
            for (int variant = 0; variant < 2; variant++) {
                try (Socket s = new Socket("127.0.0.1", session.port())) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    out.write(startup("user", "postgres", "database", "postgres")); // trust user
                    out.flush();
                    readUntilReady(in);
                    if (variant == 0) {
                        out.write('W');
                        out.writeInt(4);
                    } else {
                        out.write('Q');
                        out.writeInt(0x7ffffff0); // announced, never sent: must not be allocated
                    }
                    out.flush();
                    assertEquals("08P01", errorThenClose(in));
                }
            }
            assertOthersUnaffected(bystander);
        }
    }

    @Test
    void messagesOutOfOrderDuringLoginGet08P01() throws Exception {
        for (PgFixture.Eden eden : new PgFixture.Eden[] {session, transaction}) {
            try (Socket s = new Socket("127.0.0.1", eden.port())) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                DataInputStream in = new DataInputStream(s.getInputStream());
                out.write(startup("user", PgFixture.SCRAM_USER, "database", "postgres"));
                out.flush();
                assertEquals('R', in.read());
                byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                assertEquals(10, Wire.getInt(body, 0)); // SASL, and a query is not an answer to it
                byte[] query = new byte[14];
                query[0] = 'Q';
                Wire.putInt(query, 1, 13);
                System.arraycopy("SELECT 1".getBytes(StandardCharsets.US_ASCII), 0, query, 5, 8);
                out.write(query);
                out.flush();
                assertEquals("08P01", errorThenClose(in), eden == session ? "session" : "transaction");
            }
        }
    }

    @Test
    void aServerThatDiesMidQueryGivesTheClientAnError() throws Exception {
        // a fake server that lets the client in, then dies on the first query
        try (ServerSocket fake = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket c = fake.accept()) {
                    DataInputStream in = new DataInputStream(c.getInputStream());
                    DataOutputStream out = new DataOutputStream(c.getOutputStream());
                    int len = in.readInt();
                    in.readFully(new byte[len - 4]);
                    out.write('R');
                    out.writeInt(8);
                    out.writeInt(0);
                    for (String[] p : new String[][] {{"server_version", "16.0"}, {"client_encoding", "UTF8"},
                            {"DateStyle", "ISO, MDY"}, {"integer_datetimes", "on"}, {"standard_conforming_strings", "on"}}) {
                        byte[] n = p[0].getBytes(StandardCharsets.UTF_8);
                        byte[] v = p[1].getBytes(StandardCharsets.UTF_8);
                        out.write('S');
                        out.writeInt(4 + n.length + 1 + v.length + 1);
                        out.write(n);
                        out.write(0);
                        out.write(v);
                        out.write(0);
                    }
                    out.write('Z');
                    out.writeInt(5);
                    out.write('I');
                    out.flush();
                    in.read(); // the client's first message: die now
                } catch (IOException ignored) {
                    // the test checks the client side
                }
            });
            Interlay interlay = new Interlay("fake_interlay", ProtocolId.POSTGRES, new ListenAddress("127.0.0.1", 0),
                    false, Optional.of("fake"), Map.of());
            Endpoint endpoint = new Endpoint("fake", EndpointUri.parse("postgres://127.0.0.1:" + fake.getLocalPort()
                    + "/postgres?sslmode=disable"), ProtocolId.POSTGRES);
            var adapter = new PostgresAdapterFactory().create(PgFixture.context(Map.of()));
            try (InterlayListener listener = adapter.listen(interlay, PgFixture.route(interlay, endpoint))) {
                long start = System.nanoTime();
                SQLException e = assertThrows(SQLException.class, () -> {
                    try (Connection c = PgFixture.connect(listener.boundAddress().getPort(), "anyone", "x");
                         Statement s = c.createStatement()) {
                        s.executeQuery("SELECT 1");
                    }
                });
                assertTrue(e.getMessage().contains("the server closed the connection unexpectedly"), e.getMessage());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            } finally {
                adapter.close();
            }
        }
    }

    @Test
    void aPooledServerKilledMidQueryGivesTheClientAnErrorAndThePoolRecovers() throws Exception {
        try (Connection victim = PgFixture.connect(transaction.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD);
             Statement s = victim.createStatement()) {
            CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
                try (Connection admin = PgFixture.superuser(); Statement k = admin.createStatement()) {
                    for (int i = 0; i < 100; i++) {
                        Thread.sleep(100);
                        try (ResultSet rs = k.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                + "WHERE query LIKE 'SELECT pg_sleep(20)%' AND pid <> pg_backend_pid()")) {
                            if (rs.next()) {
                                return;
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long start = System.nanoTime();
            assertThrows(SQLException.class, () -> s.execute("SELECT pg_sleep(20)"));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15));
            killer.get();
        }
        try (Connection after = PgFixture.connect(transaction.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD)) {
            assertOthersUnaffected(after);
        }
    }

    @Test
    void metricsAreRecordedWithTheProtocolLabel() throws Exception {
        RecordingMetrics metrics = new RecordingMetrics();
        try (PgFixture.Eden eden = PgFixture.eden(Map.of("pool_mode", "transaction", "pool_size", "2"), Map.of(), false,
                metrics)) {
            try (Connection c = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD)) {
                assertOthersUnaffected(c);
                assertEquals(1.0, metrics.gauge("eden_connections_active"));
            }
            assertThrows(SQLException.class, () -> PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, "wrong"));
            assertTrue(metrics.count("eden_throughput_ops") > 0);
            assertTrue(metrics.count("eden_errors_total{kind=auth}") >= 1);
            assertTrue(metrics.latencies("eden_pool_wait_ms") > 0);
            assertTrue(metrics.latencies("eden_proxy_latency_ms") > 0);
            assertTrue(metrics.names().contains("eden_server_connections_in_use"));
            assertTrue(metrics.allLabelled("protocol", "postgres"));
        }
    }

    /** Keeps what the adapter records, by name (errors also by kind). */
    static final class RecordingMetrics implements EdenMetrics {
        private final Map<String, java.util.concurrent.atomic.AtomicLong> counts = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, java.util.function.DoubleSupplier> gauges = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Set<Map<String, String>> labels = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private String key(String name, Map<String, String> l) {
            labels.add(l);
            return l.containsKey("kind") ? name + "{kind=" + l.get("kind") + "}" : name;
        }

        private Counter counterFor(String key) {
            java.util.concurrent.atomic.AtomicLong c = counts.computeIfAbsent(key, k -> new java.util.concurrent.atomic.AtomicLong());
            return new Counter() {
                @Override
                public void increment() {
                    c.incrementAndGet();
                }

                @Override
                public void add(long amount) {
                    c.addAndGet(amount);
                }
            };
        }

        @Override
        public Counter counter(String name, String help, Map<String, String> l) {
            return counterFor(key(name, l));
        }

        @Override
        public Counter meter(String name, String help, Map<String, String> l) {
            return counterFor(key(name, l));
        }

        @Override
        public Latency latency(String name, String help, Map<String, String> l) {
            Counter c = counterFor(key(name, l));
            return nanos -> c.increment();
        }

        @Override
        public void gauge(String name, String help, Map<String, String> l, java.util.function.DoubleSupplier value) {
            gauges.put(key(name, l), value);
        }

        long count(String key) {
            return counts.getOrDefault(key, new java.util.concurrent.atomic.AtomicLong()).get();
        }

        long latencies(String name) {
            return count(name);
        }

        double gauge(String name) {
            return gauges.get(name).getAsDouble();
        }

        java.util.Set<String> names() {
            java.util.Set<String> all = new java.util.HashSet<>(counts.keySet());
            all.addAll(gauges.keySet());
            return all;
        }

        boolean allLabelled(String label, String value) {
            return labels.stream().allMatch(l -> value.equals(l.get(label)));
        }
    }
}

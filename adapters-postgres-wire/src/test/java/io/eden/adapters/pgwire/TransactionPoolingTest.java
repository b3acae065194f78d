package io.eden.adapters.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What transaction pooling promises beyond plain relaying. */
class TransactionPoolingTest {
    private static final String POOL_USER = "pool_user";
    private static final String POOL_PASSWORD = "pool-secret";

    @BeforeAll
    static void createRole() throws Exception {
        PgFixture.postgres();
        try (Connection c = PgFixture.superuser(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS pooled_commits");
            s.execute("CREATE TABLE pooled_commits (client int, n int)");
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + POOL_USER + "') THEN "
                    + "CREATE ROLE " + POOL_USER + " LOGIN PASSWORD '" + POOL_PASSWORD + "'; END IF; END $$");
            s.execute("GRANT ALL ON pooled_commits TO " + POOL_USER + ", " + PgFixture.SCRAM_USER);
        }
    }

    @AfterAll
    static void dropTable() throws Exception {
        try (Connection c = PgFixture.superuser(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS pooled_commits");
        }
    }

    private static int serverConnections(Statement admin, String user) throws SQLException {
        try (ResultSet rs = admin.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + user + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void fiveHundredClientsShareTenServerConnectionsAndAllCommit() throws Exception {
        int clients = 500;
        int transactions = 4;
        // three loops whatever the machine: clients and connections move between loops
        try (PgFixture.Eden eden = PgFixture.eden(Map.of("pool_mode", "transaction", "pool_size", "10"),
                Map.of("event_loops", "3"), false, io.eden.application.spi.EdenMetrics.NONE);
             Connection admin = PgFixture.superuser(); Statement adminStatement = admin.createStatement()) {
            AtomicInteger maxSeen = new AtomicInteger();
            AtomicBoolean done = new AtomicBoolean();
            Thread watcher = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    try {
                        maxSeen.accumulateAndGet(serverConnections(adminStatement, POOL_USER), Math::max);
                        Thread.sleep(20);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            CountDownLatch allConnected = new CountDownLatch(clients);
            List<Future<Integer>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < clients; i++) {
                    int client = i;
                    results.add(pool.submit(() -> {
                        Properties p = new Properties();
                        p.setProperty("connectTimeout", "60");
                        try (Connection c = PgFixture.connect(eden.port(), POOL_USER, POOL_PASSWORD, p)) {
                            allConnected.countDown();
                            allConnected.await();
                            int committed = 0;
                            for (int t = 0; t < transactions; t++) {
                                c.setAutoCommit(false);
                                try (PreparedStatement ps = c.prepareStatement("INSERT INTO pooled_commits VALUES (?, ?)")) {
                                    ps.setInt(1, client);
                                    ps.setInt(2, t);
                                    ps.executeUpdate();
                                    ps.setInt(2, t + 1000);
                                    ps.executeUpdate();
                                }
                                c.commit();
                                committed++;
                            }
                            return committed;
                        }
                    }));
                }
                int committed = 0;
                for (Future<Integer> f : results) {
                    committed += f.get();
                }
                assertEquals(clients * transactions, committed);
            } finally {
                done.set(true);
                watcher.join();
            }
            try (ResultSet rs = adminStatement.executeQuery("SELECT count(*), count(DISTINCT client) FROM pooled_commits")) {
                rs.next();
                assertEquals(clients * transactions * 2, rs.getInt(1));
                assertEquals(clients, rs.getInt(2));
            }
            assertTrue(maxSeen.get() > 0 && maxSeen.get() <= 10, "server connections seen: " + maxSeen.get());
            assertTrue(serverConnections(adminStatement, POOL_USER) <= 10);
        }
    }

    @Test
    void aClientThatStopsReadingAHugeResultHoldsUpNobodyElse() throws Exception {
        try (PgFixture.Eden eden = PgFixture.eden(Map.of("pool_mode", "transaction", "pool_size", "2"));
             Socket slow = new Socket("127.0.0.1", eden.port())) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(slow.getOutputStream()));
            DataInputStream in = new DataInputStream(new BufferedInputStream(slow.getInputStream()));
            md5Login(out, in, PgFixture.MD5_USER, PgFixture.MD5_PASSWORD);
            byte[] sql = "SELECT g, repeat('z', 1000) FROM generate_series(1, 40000) g\0".getBytes(StandardCharsets.UTF_8);
            out.write('Q');
            out.writeInt(4 + sql.length);
            out.write(sql);
            out.flush();
            // ~40 MB are on their way and this client reads none of it for a while: Eden must hold
            // the server back (not buffer it all), and everyone else must go on meanwhile
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            int queries = 0;
            try (Connection other = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD)) {
                while (System.nanoTime() < until) {
                    try (Statement st = other.createStatement(); ResultSet rs = st.executeQuery("SELECT 5")) {
                        rs.next();
                        assertEquals(5, rs.getInt(1));
                        queries++;
                    }
                }
            }
            assertTrue(queries > 10, "the other client ran " + queries + " queries");
            int rows = 0;
            while (true) {
                int type = in.read();
                byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                if (type == 'D') {
                    rows++;
                } else if (type == 'Z') {
                    break;
                } else {
                    assertTrue(type == 'T' || type == 'C', "unexpected message " + (char) type);
                }
            }
            assertEquals(40000, rows);
        }
    }

    /** Logs a raw protocol client in through Eden's MD5 challenge. */
    private static void md5Login(DataOutputStream out, DataInputStream in, String user, String password) throws Exception {
        byte[] params = ("user\0" + user + "\0database\0postgres\0\0").getBytes(StandardCharsets.UTF_8);
        out.writeInt(8 + params.length);
        out.writeInt(Wire.PROTOCOL_3_0);
        out.write(params);
        out.flush();
        while (true) {
            int type = in.read();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            if (type == 'R' && Wire.getInt(body, 0) == 5) {
                byte[] salt = java.util.Arrays.copyOfRange(body, 4, 8);
                byte[] answer = (Scram.md5Response(Scram.md5Stored(password, user), salt) + "\0")
                        .getBytes(StandardCharsets.US_ASCII);
                out.write('p');
                out.writeInt(4 + answer.length);
                out.write(answer);
                out.flush();
            } else if (type == 'E') {
                throw new AssertionError("login failed: " + Wire.errorFields(body, body.length)[1]);
            } else if (type == 'Z') {
                return;
            }
        }
    }

    @Test
    void sessionStateIsResetBeforeTheNextClient() throws Exception {
        try (PgFixture.Eden eden = PgFixture.eden(Map.of("pool_mode", "transaction", "pool_size", "1"))) {
            try (Connection a = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD);
                 Statement s = a.createStatement()) {
                s.execute("SET statement_timeout = '4321ms'");
                s.execute("CREATE TEMP TABLE scratch (x int)");
            }
            try (Connection b = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD);
                 Statement s = b.createStatement()) {
                try (ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
                    rs.next();
                    assertEquals("0", rs.getString(1));
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 'scratch'")) {
                    rs.next();
                    assertEquals(0, rs.getInt(1));
                }
            }
        }
    }

    @Test
    void aClientWaitingLongerThanThePoolWaitTimeoutGetsAClearErrorAndOthersCarryOn() throws Exception {
        try (PgFixture.Eden eden = PgFixture.eden(Map.of("pool_mode", "transaction", "pool_size", "1",
                "pool_wait_timeout_ms", "300"));
             Connection holder = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD);
             Connection waiter = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD)) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("INSERT INTO pooled_commits VALUES (-2, -2)"); // holds the only server connection
            }
            long started = System.nanoTime();
            SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> {
                try (Statement s = waiter.createStatement()) {
                    s.executeQuery("SELECT 1");
                }
            });
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals("53300", refused.getSQLState(), refused.getMessage());
            assertTrue(refused.getMessage().contains("pool_wait_timeout_ms"), refused.getMessage());
            assertTrue(waitedMillis >= 250 && waitedMillis < 10_000, "waited " + waitedMillis + " ms");
            holder.commit();
            try (Statement s = holder.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pooled_commits WHERE client = -2")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the holder's transaction is untouched");
            }
            try (Statement s = holder.createStatement()) {
                s.execute("DELETE FROM pooled_commits WHERE client = -2"); // other tests count the table
            }
            holder.commit();
        }
    }

    @Test
    void aClientVanishingMidTransactionIsRolledBackBeforeReuse() throws Exception {
        try (PgFixture.Eden eden = PgFixture.eden(Map.of("pool_mode", "transaction", "pool_size", "1"))) {
            Connection a = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD);
            a.setAutoCommit(false);
            try (Statement s = a.createStatement()) {
                s.execute("INSERT INTO pooled_commits VALUES (-1, -1)");
            }
            a.abort(Runnable::run); // the socket closes without Terminate, mid-transaction
            try (Connection b = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD);
                 Statement s = b.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pooled_commits WHERE client = -1")) {
                    rs.next();
                    assertEquals(0, rs.getInt(1));
                }
                try (ResultSet rs = s.executeQuery("SELECT current_setting('transaction_isolation'), txid_current_if_assigned() IS NULL")) {
                    rs.next();
                    assertTrue(rs.getBoolean(2), "the next client must not inherit a transaction");
                }
            }
        }
    }
}

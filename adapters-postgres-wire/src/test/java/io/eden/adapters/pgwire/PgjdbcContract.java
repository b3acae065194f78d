package io.eden.adapters.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;

/** What every pgjdbc user expects from Eden, whatever the pool mode. */
abstract class PgjdbcContract {

    abstract int edenPort();

    abstract String table();

    Connection scram() throws SQLException {
        return PgFixture.connect(edenPort(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD);
    }

    Connection scram(Properties extra) throws SQLException {
        return PgFixture.connect(edenPort(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD, extra);
    }

    void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table());
            s.execute("CREATE TABLE " + table() + " (id int PRIMARY KEY, name text)");
        }
    }

    @Test
    void scramUserRightPassword() throws Exception {
        try (Connection c = scram(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, 1 + 1")) {
            rs.next();
            assertEquals(PgFixture.SCRAM_USER, rs.getString(1));
            assertEquals(2, rs.getInt(2));
        }
    }

    @Test
    void md5UserRightPassword() throws Exception {
        try (Connection c = PgFixture.connect(edenPort(), PgFixture.MD5_USER, PgFixture.MD5_PASSWORD);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
            rs.next();
            assertEquals(PgFixture.MD5_USER, rs.getString(1));
        }
    }

    @Test
    void wrongPasswordsGetPostgresOwnError() {
        for (String user : new String[] {PgFixture.SCRAM_USER, PgFixture.MD5_USER, "nobody_here"}) {
            SQLException e = assertThrows(SQLException.class, () -> PgFixture.connect(edenPort(), user, "wrong"));
            assertEquals("28P01", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("password authentication failed for user \"" + user + "\""), e.getMessage());
        }
    }

    @Test
    void simpleAndExtendedProtocol() throws Exception {
        for (String mode : new String[] {"simple", "extended", "extendedForPrepared", "extendedCacheEverything"}) {
            Properties p = new Properties();
            p.setProperty("preferQueryMode", mode);
            try (Connection c = scram(p); PreparedStatement ps = c.prepareStatement("SELECT ?::int * 2, ?::text")) {
                for (int i = 0; i < 3; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "v" + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(2 * i, rs.getInt(1), mode);
                        assertEquals("v" + i, rs.getString(2), mode);
                    }
                }
            }
        }
    }

    @Test
    void preparedStatementsPastThresholdAcrossTransactions() throws Exception {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "2");
        try (Connection c = scram(p); Connection other = scram(p)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 100");
                 PreparedStatement ps2 = other.prepareStatement("SELECT ?::int + 100")) {
                for (int i = 0; i < 20; i++) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(i + 100, rs.getInt(1));
                    }
                    ps2.setInt(1, i);
                    try (ResultSet rs = ps2.executeQuery()) {
                        rs.next();
                        assertEquals(i + 100, rs.getInt(1));
                    }
                }
                assertTrue(ps.unwrap(org.postgresql.PGStatement.class).isUseServerPrepare());
            }
            // statements closed by the driver (Close 'S') and re-prepared under the same names
            for (int round = 0; round < 3; round++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT ?::text || '-" + round + "'")) {
                    for (int i = 0; i < 5; i++) {
                        ps.setString(1, "x" + i);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertEquals("x" + i + "-" + round, rs.getString(1));
                        }
                    }
                }
            }
        }
    }

    @Test
    void batchInsertsAndTransactions() throws Exception {
        try (Connection c = scram()) {
            createTable(c);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table() + " VALUES (?, ?)")) {
                for (int i = 0; i < 1000; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "row" + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table())) {
                rs.next();
                assertEquals(1000, rs.getInt(1));
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM " + table());
            }
            c.rollback();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table())) {
                rs.next();
                assertEquals(1000, rs.getInt(1));
            }
        }
    }

    @Test
    void copyInAndOut() throws Exception {
        try (Connection c = scram()) {
            createTable(c);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < 50_000; i++) {
                data.append(i).append('\t').append("name-").append(i).append('\n');
            }
            long in = copy.copyIn("COPY " + table() + " FROM STDIN",
                    new ByteArrayInputStream(data.toString().getBytes(StandardCharsets.UTF_8)));
            assertEquals(50_000, in);
            StringWriter out = new StringWriter();
            long rows = copy.copyOut("COPY (SELECT * FROM " + table() + " ORDER BY id) TO STDOUT", out);
            assertEquals(50_000, rows);
            assertEquals(data.toString(), out.toString());
        }
    }

    @Test
    void largeResultStreams() throws Exception {
        try (Connection c = scram(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.setFetchSize(1000);
            long sum = 0;
            try (ResultSet rs = s.executeQuery("SELECT g, repeat('x', 200) FROM generate_series(1, 200000) g")) {
                while (rs.next()) {
                    sum += rs.getLong(1);
                }
            }
            c.commit();
            assertEquals(200000L * 200001 / 2, sum);
        }
    }

    @Test
    void statementsLargerThanEdensBuffersPass() throws Exception {
        String big = "x".repeat(300_000);
        try (Connection c = scram(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT length('" + big + "')")) {
            rs.next();
            assertEquals(big.length(), rs.getInt(1));
        }
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "1");
        try (Connection c = scram(p);
             PreparedStatement ps = c.prepareStatement("SELECT length(?) + length('" + big + "')")) {
            for (int i = 0; i < 3; i++) {
                ps.setString(1, big + i);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(2 * big.length() + 1, rs.getInt(1));
                }
            }
        }
    }

    @Test
    void noticesAndErrorsPassThrough() throws Exception {
        try (Connection c = scram(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; END $$");
            assertNotNull(s.getWarnings());
            assertTrue(s.getWarnings().getMessage().contains("hello from plpgsql"));
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_table"));
            assertEquals("42P01", e.getSQLState());
            try (ResultSet rs = s.executeQuery("SELECT 7")) {
                rs.next();
                assertEquals(7, rs.getInt(1));
            }
        }
    }

    @Test
    void listenNotify() throws Exception {
        try (Connection listener = scram(); Connection sender = scram()) {
            try (Statement s = listener.createStatement()) {
                s.execute("LISTEN eden_channel");
            }
            // other traffic on the listening connection must not lose it its LISTEN
            for (int i = 0; i < 5; i++) {
                try (Statement s = listener.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
                try (Statement s = sender.createStatement()) {
                    s.execute("SELECT 1");
                }
            }
            try (Statement s = sender.createStatement()) {
                s.execute("NOTIFY eden_channel, 'payload-1'");
            }
            PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(5000);
            assertNotNull(got);
            assertEquals("eden_channel", got[0].getName());
            assertEquals("payload-1", got[0].getParameter());
        }
    }

    @Test
    void cancelOfPgSleep() throws Exception {
        try (Connection c = scram(); Statement s = c.createStatement()) {
            CompletableFuture<Void> cancel = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(500);
                    s.cancel();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long start = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> s.execute("SELECT pg_sleep(30)"));
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            cancel.get();
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }
}

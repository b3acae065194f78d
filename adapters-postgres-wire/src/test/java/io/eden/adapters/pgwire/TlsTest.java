package io.eden.adapters.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eden.application.spi.EdenMetrics;
import java.nio.file.Path;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS between client and Eden and between Eden and the server, with a PEM certificate and key made by keytool. */
class TlsTest {
    private static Path cert;
    private static Path key;

    @BeforeAll
    static void makeCertificate() {
        PgFixture.postgres();
        cert = TestCertificate.cert();
        key = TestCertificate.key();
    }

    private static Properties verifyFull() {
        Properties p = new Properties();
        p.setProperty("sslmode", "verify-full");
        p.setProperty("sslrootcert", cert.toString());
        return p;
    }

    @Test
    void clientsVerifyEdensCertificateInBothPoolModes() throws Exception {
        for (String mode : new String[] {"session", "transaction"}) {
            try (PgFixture.Eden eden = PgFixture.eden(Map.of("pool_mode", mode),
                    Map.of("tls_cert", cert.toString(), "tls_key", key.toString()), false, EdenMetrics.NONE)) {
                for (String user : new String[] {PgFixture.SCRAM_USER, PgFixture.MD5_USER}) {
                    String password = user.equals(PgFixture.SCRAM_USER) ? PgFixture.SCRAM_PASSWORD : PgFixture.MD5_PASSWORD;
                    try (Connection c = PgFixture.connect(eden.port(), user, password, verifyFull());
                         Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
                        rs.next();
                        assertEquals(user, rs.getString(1));
                    }
                }
                SQLException wrong = assertThrows(SQLException.class,
                        () -> PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, "nope", verifyFull()));
                assertEquals("28P01", wrong.getSQLState());
            }
        }
    }

    /** What pgjdbc does by default on TLS: sslmode=require, and channelBinding=prefer. */
    private static Properties require() {
        Properties p = new Properties();
        p.setProperty("sslmode", "require");
        return p;
    }

    private static boolean upstreamUsesTls(Connection c) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Test
    void sessionModeScramWorksWhenTheClientAndTheServerBothUseTls() throws Exception {
        try (PgFixture.Eden eden = PgFixture.eden(Map.of("pool_mode", "session"),
                Map.of("tls_cert", cert.toString(), "tls_key", key.toString()), false, EdenMetrics.NONE, "require")) {
            for (int i = 0; i < 3; i++) {
                try (Connection c = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD, require());
                     Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
                    rs.next();
                    assertEquals(PgFixture.SCRAM_USER, rs.getString(1));
                    assertTrue(upstreamUsesTls(c), "Eden's connection to the server is TLS");
                }
            }
            try (Connection c = PgFixture.connect(eden.port(), PgFixture.MD5_USER, PgFixture.MD5_PASSWORD, require())) {
                assertEquals(PgFixture.MD5_USER, c.getMetaData().getUserName());
            }
            for (String user : new String[] {PgFixture.SCRAM_USER, "nobody_here"}) {
                SQLException wrong = assertThrows(SQLException.class,
                        () -> PgFixture.connect(eden.port(), user, "nope", require()));
                assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
            }
            // libpq (channel_binding=prefer by default) sends the same flag
            assumeTrue(Files.isExecutable(PgFixture.PG_BIN.resolve("psql")), "psql is not installed");
            ProcessBuilder psql = new ProcessBuilder(PgFixture.PG_BIN.resolve("psql").toString(), "-X", "-A", "-t",
                    "-h", "127.0.0.1", "-p", Integer.toString(eden.port()), "-U", PgFixture.SCRAM_USER,
                    "-c", "SELECT current_user || ' ' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", "postgres")
                    .redirectErrorStream(true);
            psql.environment().put("PGPASSWORD", PgFixture.SCRAM_PASSWORD);
            psql.environment().put("PGSSLMODE", "require");
            Process process = psql.start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(PgFixture.SCRAM_USER + " true", out);
        }
    }

    @Test
    void transactionModePoolsTlsServerConnections() throws Exception {
        try (PgFixture.Eden eden = PgFixture.eden(Map.of("pool_mode", "transaction", "pool_size", "2"),
                Map.of("tls_cert", cert.toString(), "tls_key", key.toString()), false, EdenMetrics.NONE, "require")) {
            Properties p = require();
            p.setProperty("prepareThreshold", "1");
            try (Connection a = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD, p);
                 Connection b = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD, p);
                 PreparedStatement pa = a.prepareStatement("SELECT ?::int * 3");
                 PreparedStatement pb = b.prepareStatement("SELECT ?::int * 3")) {
                assertTrue(upstreamUsesTls(a));
                for (int i = 0; i < 20; i++) {
                    for (PreparedStatement ps : new PreparedStatement[] {pa, pb}) {
                        ps.setInt(1, i);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            assertEquals(3 * i, rs.getInt(1));
                        }
                    }
                }
                try (Statement s = a.createStatement();
                     ResultSet rs = s.executeQuery("SELECT sum(length(repeat('x', 100) || g)) FROM generate_series(1, 5) g");
                     Statement big = b.createStatement();
                     ResultSet rows = big.executeQuery("SELECT g, repeat('y', 500) FROM generate_series(1, 20000) g")) {
                    rs.next();
                    assertEquals(505, rs.getLong(1));
                    long sum = 0;
                    while (rows.next()) {
                        sum += rows.getLong(1);
                    }
                    assertEquals(20000L * 20001 / 2, sum, "10 MB through both TLS bridges");
                }
            }
        }
    }

    @Test
    void aTlsOnlyInterlayRefusesPlainClients() throws Exception {
        try (PgFixture.Eden eden = PgFixture.eden(Map.of("tls_cert", cert.toString(), "tls_key", key.toString()),
                Map.of(), true, EdenMetrics.NONE)) {
            SQLException e = assertThrows(SQLException.class,
                    () -> PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD));
            assertEquals("28000", e.getSQLState(), e.getMessage());
            try (Connection c = PgFixture.connect(eden.port(), PgFixture.SCRAM_USER, PgFixture.SCRAM_PASSWORD, verifyFull())) {
                assertEquals(PgFixture.SCRAM_USER, c.getMetaData().getUserName());
            }
        }
    }
}

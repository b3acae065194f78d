package io.eden.adapters.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eden.application.spi.EdenMetrics;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS between client and Eden, with a PEM certificate and key made by keytool in the test. */
class TlsTest {
    private static Path cert;
    private static Path key;

    @BeforeAll
    static void makeCertificate() throws Exception {
        PgFixture.postgres();
        Path dir = Files.createTempDirectory("eden-tls");
        Path store = dir.resolve("eden.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "eden", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Key privateKey = ks.getKey("eden", "changeit".toCharArray());
        Certificate certificate = ks.getCertificate("eden");
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes());
        cert = dir.resolve("eden.crt");
        key = dir.resolve("eden.key");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
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

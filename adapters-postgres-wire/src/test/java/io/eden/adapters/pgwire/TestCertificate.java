package io.eden.adapters.pgwire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * One self-signed certificate for localhost per test JVM, as PEM files: Eden's listener and
 * the test PostgreSQL both use it. Made by keytool, so the tests need nothing but the JDK.
 */
final class TestCertificate {
    private static Path cert;
    private static Path key;

    private TestCertificate() {
    }

    static synchronized Path cert() {
        make();
        return cert;
    }

    static synchronized Path key() {
        make();
        return key;
    }

    private static void make() {
        if (cert != null) {
            return;
        }
        try {
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
            Path c = dir.resolve("eden.crt");
            Path k = dir.resolve("eden.key");
            Files.writeString(c, "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            Files.writeString(k, "-----BEGIN PRIVATE KEY-----\n" + mime.encodeToString(privateKey.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            // PostgreSQL refuses a key others can read
            Files.setPosixFilePermissions(k, PosixFilePermissions.fromString("rw-------"));
            cert = c;
            key = k;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}

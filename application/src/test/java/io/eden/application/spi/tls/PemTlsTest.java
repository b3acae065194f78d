package io.eden.application.spi.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates as openssl writes them, used for a real TLS handshake. */
class PemTlsTest {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    @TempDir
    static Path dir;

    @BeforeAll
    static void keys() throws Exception {
        assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.pk8.pem", "-out", "rsa.crt",
                "-subj", "/CN=localhost", "-days", "2");
        openssl("rsa", "-in", "rsa.pk8.pem", "-traditional", "-out", "rsa.pkcs1.pem");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.sec1.pem"); // with an EC PARAMETERS block
        openssl("req", "-x509", "-key", "ec.sec1.pem", "-out", "ec.crt", "-subj", "/CN=localhost", "-days", "2");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec.sec1.pem", "-out", "ec.pk8.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-out", "ed.pem");
        openssl("req", "-x509", "-key", "ed.pem", "-out", "ed.crt", "-subj", "/CN=localhost", "-days", "2");
        openssl("pkcs8", "-topk8", "-in", "rsa.pk8.pem", "-passout", "pass:secret", "-out", "rsa.encrypted.pem");
        Files.writeString(dir.resolve("combined.pem"), "Bag Attributes: from a PKCS#12 export\n"
                + Files.readString(dir.resolve("rsa.crt")) + Files.readString(dir.resolve("rsa.pkcs1.pem")));
    }

    @Test
    void pkcs8_pkcs1_and_sec1_keys_serve_a_real_tls_handshake() throws Exception {
        for (String[] pair : List.of(new String[] {"rsa.crt", "rsa.pk8.pem"}, new String[] {"rsa.crt", "rsa.pkcs1.pem"},
                new String[] {"ec.crt", "ec.sec1.pem"}, new String[] {"ec.crt", "ec.pk8.pem"},
                new String[] {"ed.crt", "ed.pem"}, new String[] {"combined.pem", "combined.pem"})) {
            KeyStore identity = PemTls.keyStore(dir.resolve(pair[0]), dir.resolve(pair[1]));
            KeyStore trust = PemTls.trustStore(dir.resolve(pair[0]));
            assertEquals("localhost", handshake(identity, trust), pair[1]);
        }
    }

    @Test
    void a_key_that_is_not_the_certificates_is_refused_naming_both_files() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PemTls.keyStore(dir.resolve("rsa.crt"), dir.resolve("ec.pk8.pem")));
        assertTrue(e.getMessage().contains("does not belong") && e.getMessage().contains("ec.pk8.pem")
                && e.getMessage().contains("rsa.crt"), e.getMessage());
    }

    @Test
    void an_encrypted_key_is_refused_with_the_command_that_decrypts_it() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PemTls.privateKey(dir.resolve("rsa.encrypted.pem")));
        assertTrue(e.getMessage().contains("encrypted") && e.getMessage().contains("openssl pkey"), e.getMessage());
    }

    @Test
    void files_without_what_is_asked_for_say_what_was_expected_and_never_quote_a_key() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        IllegalArgumentException noCert = assertThrows(IllegalArgumentException.class,
                () -> PemTls.trustStore(dir.resolve("rsa.pk8.pem")));
        assertTrue(noCert.getMessage().contains("BEGIN CERTIFICATE"), noCert.getMessage());
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> PemTls.privateKey(empty));
        assertTrue(noKey.getMessage().contains("BEGIN RSA PRIVATE KEY"), noKey.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PemTls.privateKey(dir.resolve("absent.pem")));
        assertTrue(missing.getMessage().contains("absent.pem"), missing.getMessage());
        String keyText = Files.readString(dir.resolve("rsa.pk8.pem"));
        String body = keyText.substring(keyText.indexOf('\n') + 1, keyText.indexOf('\n') + 40);
        Path broken = Files.writeString(dir.resolve("broken.pem"), keyText.replace(body, body.replace('A', '!')));
        IllegalArgumentException garbled = assertThrows(IllegalArgumentException.class, () -> PemTls.privateKey(broken));
        assertFalse(garbled.getMessage().contains(body.substring(0, 20)), garbled.getMessage());
    }

    @Test
    void a_bundle_keeps_every_certificate() throws Exception {
        Path bundle = Files.writeString(dir.resolve("bundle.pem"),
                Files.readString(dir.resolve("rsa.crt")) + Files.readString(dir.resolve("ec.crt")));
        assertEquals(2, PemTls.certificates(bundle).size());
        assertEquals(2, PemTls.trustStore(bundle).size());
    }

    /** Server and client on loopback; returns the name in the certificate the client saw. */
    private static String handshake(KeyStore identity, KeyStore trust) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, PemTls.keyPassword());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trusted = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trusted.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trusted.getTrustManagers(), null);
        try (ServerSocket listener = server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.startHandshake();
                    socket.getOutputStream().write(1);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket socket = client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    listener.getLocalPort())) {
                SSLSocket tls = (SSLSocket) socket;
                tls.setSoTimeout(10_000);
                assertEquals(1, tls.getInputStream().read());
                accepted.get(10, TimeUnit.SECONDS);
                var leaf = (java.security.cert.X509Certificate) tls.getSession().getPeerCertificates()[0];
                return leaf.getSubjectX500Principal().getName().replace("CN=", "");
            }
        }
    }

    private static void openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }
}

package io.eden.adapters.redis.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PKI made with openssl once per test JVM: a CA, a server certificate it signed
 * for {@code localhost} and {@code 127.0.0.1} (key as PKCS#8, PKCS#1 and SEC1 where it fits),
 * one for another host name, and an unrelated CA.
 */
public final class TestCerts {
    public static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static TestCerts instance;

    public final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(OPENSSL);
    }

    public static synchronized TestCerts get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("eden-tls-test");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                instance = new TestCerts(dir);
                instance.generate();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot make test certificates: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    /** The CA that signed the server certificates. */
    public Path ca() {
        return dir.resolve("ca.crt");
    }

    /** A CA that signed nothing here. */
    public Path otherCa() {
        return dir.resolve("other-ca.crt");
    }

    public Path serverCert() {
        return dir.resolve("server.crt");
    }

    /** PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
    public Path serverKeyPkcs1() {
        return dir.resolve("server.pkcs1.key");
    }

    /** An EC certificate whose key is SEC1 ({@code BEGIN EC PRIVATE KEY}). */
    public Path ecServerCert() {
        return dir.resolve("ec-server.crt");
    }

    public Path ecServerKeySec1() {
        return dir.resolve("ec-server.key");
    }

    /** Signed by {@link #ca()}, but for {@code elsewhere.example} only. */
    public Path wrongNameCert() {
        return dir.resolve("wrong-name.crt");
    }

    public Path wrongNameKey() {
        return dir.resolve("wrong-name.key");
    }

    private void generate() throws IOException, InterruptedException {
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                + "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        Files.writeString(dir.resolve("wrong-name.ext"), "subjectAltName=DNS:elsewhere.example\n"
                + "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        for (String ca : List.of("ca", "other-ca")) {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out", ca + ".crt",
                    "-subj", "/CN=Eden test " + ca, "-days", "2");
        }
        signed("server", "rsa:2048", "server.ext");
        signed("wrong-name", "rsa:2048", "wrong-name.ext");
        openssl("rsa", "-in", "server.key", "-traditional", "-out", "server.pkcs1.key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-server.key");
        openssl("req", "-new", "-key", "ec-server.key", "-out", "ec-server.csr", "-subj", "/CN=localhost");
        openssl("x509", "-req", "-in", "ec-server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "ec-server.crt", "-days", "2", "-extfile", "server.ext");
    }

    private void signed(String name, String keySpec, String extensions) throws IOException, InterruptedException {
        openssl("req", "-newkey", keySpec, "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".crt", "-days", "2", "-extfile", extensions);
    }

    private void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}

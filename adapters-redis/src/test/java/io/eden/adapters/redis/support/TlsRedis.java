package io.eden.adapters.redis.support;

import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.ProtocolId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server (built with TLS, unlike the embedded one) serving TLS only, on a free
 * port, with the given certificate; clients need no certificate of their own.
 */
public final class TlsRedis implements AutoCloseable {
    public static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

    private final Process process;
    private final int port;

    private TlsRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(REDIS_SERVER) && TestCerts.available();
    }

    public static TlsRedis start(Path cert, Path key) throws IOException, InterruptedException {
        TestCerts certs = TestCerts.get();
        int port = RealRedis.freePort();
        Path dir = Files.createTempDirectory(certs.dir, "redis-" + port);
        Process process = new ProcessBuilder(List.of(REDIS_SERVER.toString(), "--port", "0", "--tls-port",
                String.valueOf(port), "--bind", "127.0.0.1", "--tls-cert-file", cert.toString(), "--tls-key-file",
                key.toString(), "--tls-ca-cert-file", certs.ca().toString(), "--tls-auth-clients", "no",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        TlsRedis redis = new TlsRedis(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return redis;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    redis.close();
                    throw new IOException("redis-server did not start with TLS: "
                            + Files.readString(dir.resolve("redis.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() {
        return port;
    }

    /** This server as a {@code rediss://} endpoint reached as {@code host}. */
    public Endpoint endpoint(String host) {
        return new Endpoint("source", EndpointUri.parse("rediss://" + host + ":" + port), ProtocolId.REDIS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

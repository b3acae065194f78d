package io.eden.adapters.pgwire;

import io.eden.domain.model.Health;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * Asks a server whether it speaks PostgreSQL without logging in: an SSLRequest is answered
 * with a single 'S' or 'N' by every PostgreSQL since 7.x, before any authentication, so the
 * probe needs no credentials and leaves no failed login in the server's log.
 */
final class PostgresHealthProbe {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** The SSLRequest code: 1234 in the high 16 bits, 5679 in the low ones. */
    private static final int SSL_REQUEST_CODE = 80877103;
    private static final int SSL_REQUEST_LENGTH = 8;

    private final int timeoutMillis;

    PostgresHealthProbe(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout is null");
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
    }

    Health check(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(SSL_REQUEST_LENGTH);
            out.writeInt(SSL_REQUEST_CODE);
            out.flush();
            InputStream in = socket.getInputStream();
            int answer = in.read();
            return answer == 'S' || answer == 'N' ? Health.HEALTHY : Health.UNHEALTHY;
        } catch (IOException | RuntimeException e) {
            // unreachable, refused, timed out or an unresolvable host: all mean "not usable now"
            return Health.UNHEALTHY;
        }
    }
}

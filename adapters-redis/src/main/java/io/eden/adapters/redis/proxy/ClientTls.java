package io.eden.adapters.redis.proxy;

import io.eden.application.spi.tls.PemTls;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS towards the clients of an interlay ({@code rediss://} clients), from a PEM certificate
 * chain and key. The handshake runs on the client's own virtual thread, never the acceptor's,
 * and is bounded as a whole: a peer that trickles bytes cannot hold a connection slot longer.
 */
public final class ClientTls {
    private final SSLSocketFactory sockets;
    private final Duration handshakeTimeout;
    private final String source;

    private ClientTls(SSLContext context, Duration handshakeTimeout, String source) {
        this.sockets = context.getSocketFactory();
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout is null");
        this.source = source;
    }

    /** @throws IllegalArgumentException naming the file when the certificate or key cannot be used */
    public static ClientTls fromPem(Path certificateChain, Path privateKey, Duration handshakeTimeout) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(PemTls.keyStore(certificateChain, privateKey), PemTls.keyPassword());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new ClientTls(context, handshakeTimeout, certificateChain.toString());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot serve TLS with " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /**
     * Completes the server side of the handshake on {@code plain}; the returned socket then
     * reads and writes as a plain one would. Closes {@code plain} when the handshake fails.
     */
    Socket handshake(Socket plain) throws IOException {
        AtomicBoolean settled = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().unstarted(() -> closeWhenLate(plain, settled));
        try {
            SSLSocket tls = (SSLSocket) sockets.createSocket(plain, null, true);
            tls.setUseClientMode(false);
            watchdog.start();
            tls.startHandshake();
            if (!settled.compareAndSet(false, true)) {
                throw late();
            }
            return new TlsSocket(tls, plain);
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(plain);
            if (!settled.compareAndSet(false, true)) {
                throw late(); // the watchdog closed the socket: say why, not "Socket closed"
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
    }

    private void closeWhenLate(Socket plain, AtomicBoolean settled) {
        try {
            Thread.sleep(handshakeTimeout);
        } catch (InterruptedException done) {
            return;
        }
        if (settled.compareAndSet(false, true)) {
            Sockets.closeQuietly(plain); // unblocks the handshake's read
        }
    }

    private SocketTimeoutException late() {
        return new SocketTimeoutException("no TLS handshake within " + handshakeTimeout.toMillis() + " ms");
    }

    @Override
    public String toString() {
        return "TLS with " + source;
    }
}

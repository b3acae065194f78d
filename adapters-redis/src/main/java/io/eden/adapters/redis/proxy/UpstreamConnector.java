package io.eden.adapters.redis.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Opens sockets to Redis servers: plain TCP, or TLS with host name verification for {@code rediss://}. */
final class UpstreamConnector {

    private UpstreamConnector() {
    }

    /**
     * @param readTimeout {@link Duration#ZERO} for none: a proxied connection may sit in BLPOP for hours
     */
    static Socket connect(UpstreamAddress address, Duration connectTimeout, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true); // requests and replies are small: never wait to fill a segment
            socket.setKeepAlive(true);
            socket.setSoTimeout((int) readTimeout.toMillis());
            InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
            if (target.isUnresolved()) {
                throw new UnknownHostException("unknown host " + address.host());
            }
            socket.connect(target, (int) connectTimeout.toMillis());
            return address.tls() ? startTls(socket, address, connectTimeout) : socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket startTls(Socket plain, UpstreamAddress address, Duration handshakeTimeout) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("no TLS implementation available", e);
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, address.host(), address.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names this host
        tls.setSSLParameters(parameters);
        int readTimeout = plain.getSoTimeout();
        // a server that accepts TCP but never answers the handshake must not hang the caller
        tls.setSoTimeout((int) handshakeTimeout.toMillis());
        tls.startHandshake();
        tls.setSoTimeout(readTimeout);
        return tls;
    }

    /** A short reason for a failed connection, for the client and the log; never includes credentials. */
    static String reason(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}

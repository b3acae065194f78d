package io.eden.adapters.redis.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.net.UnknownHostException;
import java.time.Duration;

/** Opens sockets to Redis servers: plain TCP, or verified TLS for {@code rediss://}. */
final class UpstreamConnector {

    private UpstreamConnector() {
    }

    /**
     * @param readTimeout {@link Duration#ZERO} for none: a proxied connection may sit in BLPOP for hours
     * @param tls         whom to trust when the address asks for TLS
     */
    static Socket connect(UpstreamAddress address, Duration connectTimeout, Duration readTimeout, UpstreamTls tls)
            throws IOException {
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
            return address.tls() ? tls.handshake(socket, address, connectTimeout) : socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A plain-text connection opened as a channel, in blocking mode (so the handshake can use its
     * streams) until its client loop takes it over; {@link Socket#getChannel()} gives the channel.
     */
    static Socket connectChannel(UpstreamAddress address, Duration connectTimeout) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // never wait to fill a segment
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
            if (target.isUnresolved()) {
                throw new UnknownHostException("unknown host " + address.host());
            }
            Socket socket = channel.socket();
            socket.connect(target, (int) connectTimeout.toMillis());
            return socket;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A short reason for a failed connection, for the client and the log; never includes credentials. */
    static String reason(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}

package io.eden.adapters.pgwire;

import io.eden.application.spi.RouteSnapshot;
import io.eden.domain.model.Endpoint;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of a PostgreSQL interlay: the startup phase (SSLRequest, GSSENCRequest,
 * CancelRequest, StartupMessage), then the pool mode's own serving.
 */
final class ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    final PgListener listener;
    /** The TCP connection; {@link #socket} is its adaptor, or the TLS socket layered on it. */
    final SocketChannel channel;
    Socket socket;
    boolean tls;
    Input in;
    OutputStream out;
    byte[] startupPacket;
    final Map<String, String> parameters = new LinkedHashMap<>();
    private volatile boolean closed;
    private volatile AutoCloseable serving;

    ClientConnection(PgListener listener, SocketChannel channel) throws IOException {
        this.listener = listener;
        this.channel = channel;
        attach(channel.socket());
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.in = new Input(s.getInputStream(), ServerLink.BUFFER);
        this.out = new BufferedOutputStream(s.getOutputStream(), ServerLink.BUFFER);
    }

    void run() {
        boolean handedOver = false;
        try {
            if (!startup()) {
                return;
            }
            RouteSnapshot route = listener.route.current();
            // the routing decision is the domain's: a session goes to the side writes go to;
            // the migration work can route read-only transactions by decide(slot).read()
            Optional<Endpoint> endpoint = route.endpoint(route.decide(0).write());
            if (endpoint.isEmpty()) {
                listener.metrics.noEndpointErrors.increment();
                Wire.fatalAndClose(socket, out, "08006",
                        "Eden: interlay \"" + listener.interlay.id() + "\" has no endpoint yet");
                return;
            }
            if (listener.settings.poolMode() == PgSettings.PoolMode.SESSION) {
                SessionRelay relay = new SessionRelay(this, endpoint.get());
                serving = relay;
                relay.run();
            } else {
                handedOver = new TransactionClient(this, endpoint.get()).run();
            }
        } catch (ProtocolViolation e) {
            listener.metrics.protocolErrors.increment();
            LOG.debug("PostgreSQL client {}: protocol violation: {}", socket.getRemoteSocketAddress(), e.getMessage());
            Wire.fatalAndClose(socket, out, "08P01", e.getMessage());
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.debug("PostgreSQL client {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
            }
        } finally {
            if (!handedOver) {
                close();
            }
        }
    }

    /** From now on {@code loopSide} serves the client on an event loop. */
    void servedBy(AutoCloseable loopSide) {
        serving = loopSide;
        if (closed) {
            Wire.closeQuietly(loopSide);
        }
    }

    /** The event loop is done with the client: it already closed the connection (or, for TLS, its bridge will). */
    void leftLoop(int edenPid) {
        closed = true;
        if (edenPid != 0) {
            listener.cancelKeys.unregister(edenPid);
        }
        listener.forget(this);
    }

    /** Reads up to the StartupMessage; false when the connection was a CancelRequest or just went away. */
    private boolean startup() throws IOException, ProtocolViolation {
        while (true) {
            int len;
            try {
                len = Wire.readInt(in);
            } catch (EOFException e) {
                return false;
            }
            if (len < 8 || len > Wire.MAX_STARTUP_LENGTH) {
                throw new ProtocolViolation("invalid length of startup packet");
            }
            byte[] body = new byte[len - 4];
            Wire.readFully(in, body, 0, body.length);
            int code = Wire.getInt(body, 0);
            if (code == Wire.SSL_REQUEST || code == Wire.GSSENC_REQUEST) {
                if (len != 8) {
                    throw new ProtocolViolation("invalid length of startup packet");
                }
                if (code == Wire.SSL_REQUEST && listener.settings.tls() != null && !tls) {
                    if (in.available() > 0) {
                        // bytes sent before the handshake would bypass TLS (CVE-2021-23214)
                        throw new ProtocolViolation("received unencrypted data after SSL request");
                    }
                    out.write('S');
                    out.flush();
                    SSLSocket secured = (SSLSocket) listener.settings.tls().getSocketFactory()
                            .createSocket(socket, null, true);
                    secured.setUseClientMode(false);
                    secured.startHandshake();
                    attach(secured);
                    tls = true;
                } else {
                    out.write('N');
                    out.flush();
                }
                continue;
            }
            if (code == Wire.CANCEL_REQUEST) {
                if (len == 16) {
                    listener.cancelKeys.cancel(Wire.getInt(body, 4), Wire.getInt(body, 8));
                }
                return false;
            }
            if (code >>> 16 != 3) {
                listener.metrics.protocolErrors.increment();
                Wire.fatalAndClose(socket, out, "0A000", "unsupported frontend protocol " + (code >>> 16) + "."
                        + (code & 0xffff) + ": server supports 3.0 to 3.0");
                return false;
            }
            parseParameters(body);
            if (listener.settings.tlsRequired() && !tls) {
                Wire.fatalAndClose(socket, out, "28000", "Eden: this interlay accepts TLS connections only");
                return false;
            }
            if (!parameters.containsKey("user")) {
                Wire.fatalAndClose(socket, out, "28000", "no PostgreSQL user name specified in startup packet");
                return false;
            }
            startupPacket = new byte[len];
            Wire.putInt(startupPacket, 0, len);
            System.arraycopy(body, 0, startupPacket, 4, body.length);
            return true;
        }
    }

    private void parseParameters(byte[] body) throws ProtocolViolation {
        int i = 4;
        int end = body.length;
        while (true) {
            if (i >= end) {
                throw new ProtocolViolation("invalid startup packet layout: expected terminator as last byte");
            }
            if (body[i] == 0) {
                if (i != end - 1) {
                    throw new ProtocolViolation("invalid startup packet layout: expected terminator as last byte");
                }
                return;
            }
            int nameEnd = Wire.cstringEnd(body, i, end);
            if (nameEnd < 0) {
                throw new ProtocolViolation("invalid startup packet layout: expected terminator as last byte");
            }
            int valueEnd = Wire.cstringEnd(body, nameEnd + 1, end);
            if (valueEnd < 0) {
                throw new ProtocolViolation("invalid startup packet layout: expected terminator as last byte");
            }
            parameters.put(new String(body, i, nameEnd - i, StandardCharsets.UTF_8),
                    new String(body, nameEnd + 1, valueEnd - nameEnd - 1, StandardCharsets.UTF_8));
            i = valueEnd + 1;
        }
    }

    String user() {
        return parameters.get("user");
    }

    String database() {
        return parameters.getOrDefault("database", user());
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        Wire.closeQuietly(socket);
        Wire.closeQuietly(serving);
        listener.forget(this);
    }
}

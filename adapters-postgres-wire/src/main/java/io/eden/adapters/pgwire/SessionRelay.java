package io.eden.adapters.pgwire;

import io.eden.domain.model.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Session pooling: one server connection per client. Authentication passes between client
 * and server untouched (only SCRAM-SHA-256-PLUS is taken off the server's list, since channel
 * binding cannot cross a proxy, and a TLS client's "I could bind" flag is hidden from a TLS
 * server by a {@link ScramRelay}), then messages are relayed one by one, streamed in chunks.
 */
final class SessionRelay implements AutoCloseable {
    private final ClientConnection client;
    private final Endpoint endpoint;
    private final PgListener listener;
    private ServerLink link;
    private ScramRelay scramRelay;
    private int edenPid;
    private volatile boolean closing;

    SessionRelay(ClientConnection client, Endpoint endpoint) {
        this.client = client;
        this.endpoint = endpoint;
        this.listener = client.listener;
    }

    void run() throws IOException, ProtocolViolation {
        try {
            link = ServerLink.open(endpoint.uri(), listener.settings.connectTimeoutMillis());
        } catch (IOException e) {
            listener.metrics.upstreamErrors.increment();
            Wire.fatalAndClose(client.socket, client.out, "08006",
                    "Eden cannot reach the server of endpoint \"" + endpoint.id() + "\": " + e.getMessage());
            return;
        }
        try {
            link.out.write(client.startupPacket);
            link.out.flush();
            if (!authenticate()) {
                return;
            }
            Thread upstream = Thread.ofVirtual().name("eden-pg-session-up").start(this::clientToServer);
            serverToClient();
            upstream.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ProtocolViolation e) {
            listener.metrics.protocolErrors.increment();
            Wire.fatalAndClose(client.socket, client.out, "08P01", e.getMessage());
        } finally {
            if (edenPid != 0) {
                listener.cancelKeys.unregister(edenPid);
            }
            close();
        }
    }

    /** Relays the login; true once the server said ReadyForQuery. */
    private boolean authenticate() throws IOException, ProtocolViolation {
        Body body = new Body(1024);
        InputStream sin = link.in;
        OutputStream cout = client.out;
        while (true) {
            int type = sin.read();
            if (type < 0) {
                listener.metrics.upstreamErrors.increment();
                Wire.fatalAndClose(client.socket, cout, "08006", "Eden: the server closed the connection during login");
                return false;
            }
            int len = Wire.readInt(sin) - 4;
            if (len < 0 || len > Wire.INSPECT_LIMIT) {
                listener.metrics.upstreamErrors.increment();
                Wire.fatalAndClose(client.socket, cout, "08006", "Eden: the server sent a malformed message during login");
                return false;
            }
            body.read(sin, len);
            switch (type) {
                case 'R' -> {
                    int code = Wire.getInt(body.data, 0);
                    if (code == 10) {
                        Wire.message(cout, 'R', withoutPlus(body));
                    } else if (scramRelay != null && (code == 11 || code == 12)) {
                        String data = new String(body.data, 4, body.length - 4, StandardCharsets.UTF_8);
                        if (code == 11) {
                            scramRelay.serverFirst(data);
                        } else {
                            data = scramRelay.serverFinalForClient(data);
                            if (data == null) {
                                listener.metrics.authErrors.increment();
                                Wire.fatalAndClose(client.socket, cout, "28000",
                                        "Eden: the server's SCRAM signature does not match the role's verifier");
                                return false;
                            }
                        }
                        Wire.message(cout, 'R', saslData(code, data));
                    } else {
                        Wire.message(cout, 'R', body.copy());
                    }
                    if (code != 0 && code != 12) {
                        cout.flush();
                        if (!relayClientAuthMessage(code)) {
                            return false;
                        }
                    }
                }
                case 'K' -> {
                    link.pid = Wire.getInt(body.data, 0);
                    link.secret = Wire.getInt(body.data, 4);
                    ServerLink server = link;
                    int timeout = listener.settings.connectTimeoutMillis();
                    int[] keys = listener.cancelKeys.register(
                            () -> ServerLink.cancel(endpoint.uri(), server.pid, server.secret, timeout));
                    edenPid = keys[0];
                    Wire.backendKey(cout, keys[0], keys[1]);
                }
                case 'E' -> {
                    Wire.message(cout, 'E', body.copy());
                    cout.flush();
                    listener.metrics.authErrors.increment();
                    return false;
                }
                case 'Z' -> {
                    Wire.message(cout, 'Z', body.copy());
                    cout.flush();
                    return true;
                }
                default -> Wire.message(cout, type, body.copy());
            }
        }
    }

    /** AuthenticationSASL without SCRAM-SHA-256-PLUS. */
    private static byte[] withoutPlus(Body body) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        kept.write(body.data, 0, 4);
        int i = 4;
        while (i < body.length && body.data[i] != 0) {
            int z = Wire.cstringEnd(body.data, i, body.length);
            if (z < 0) {
                break;
            }
            String mechanism = new String(body.data, i, z - i, StandardCharsets.US_ASCII);
            if (!mechanism.equals(Scram.MECHANISM_PLUS)) {
                kept.write(body.data, i, z - i + 1);
            }
            i = z + 1;
        }
        kept.write(0);
        return kept.toByteArray();
    }

    private static byte[] saslData(int code, String data) {
        byte[] d = data.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[4 + d.length];
        Wire.putInt(body, 0, code);
        System.arraycopy(d, 0, body, 4, d.length);
        return body;
    }

    /** Relays the client's answer to an authentication request; false when the client was refused. */
    private boolean relayClientAuthMessage(int code) throws IOException, ProtocolViolation {
        InputStream cin = client.in;
        int type = cin.read();
        if (type < 0) {
            throw new EOFException("the client left during login");
        }
        if (type != 'p') {
            throw new ProtocolViolation("expected password response, got message type " + type);
        }
        int len = Wire.readInt(cin) - 4;
        if (len < 0 || len > Wire.MAX_AUTH_MESSAGE) {
            throw new ProtocolViolation("invalid message length");
        }
        byte[] body = new byte[len];
        Wire.readFully(cin, body, 0, len);
        if (code == 10 && link.tls) {
            String flagged = ScramRelay.flaggedClientFirst(body);
            if (flagged != null) {
                Scram.Verifier verifier;
                try {
                    verifier = verifier();
                } catch (IOException e) {
                    listener.metrics.upstreamErrors.increment();
                    Wire.fatalAndClose(client.socket, client.out, "08006", "Eden cannot read the password verifier of \""
                            + client.user() + "\", which it needs to relay SCRAM between a TLS client and a TLS server: "
                            + e.getMessage());
                    return false;
                }
                scramRelay = ScramRelay.start(verifier, flagged);
                if (scramRelay == null) {
                    throw new ProtocolViolation("malformed SCRAM message");
                }
                body = scramRelay.initialResponseForServer();
            }
        } else if (code == 11 && scramRelay != null) {
            String clientFinal = scramRelay.clientFinalForServer(new String(body, StandardCharsets.UTF_8));
            if (clientFinal == null) {
                throw new ProtocolViolation("malformed SCRAM message");
            }
            body = clientFinal.getBytes(StandardCharsets.UTF_8);
        }
        Wire.message(link.out, 'p', body);
        link.out.flush();
        return true;
    }

    /**
     * The role's SCRAM verifier, read with the endpoint's credentials; for a role without
     * one, a verifier nothing matches, so the server refuses the login with its own error.
     */
    private Scram.Verifier verifier() throws IOException {
        Scram.Verifier parsed = Scram.Verifier.parse(listener.pools.verifier(endpoint, client.user()));
        return parsed != null ? parsed : Scram.Verifier.mock();
    }

    private void clientToServer() {
        Input cin = client.in;
        OutputStream sout = link.out;
        byte[] header = new byte[5];
        byte[] scratch = new byte[ServerLink.BUFFER];
        int max = listener.settings.maxClientMessage();
        try {
            while (true) {
                try {
                    Wire.readFully(cin, header, 0, 5);
                } catch (EOFException e) {
                    return; // the client left: closing the server connection rolls its transaction back
                }
                long start = System.nanoTime();
                int type = header[0];
                int len = Wire.getInt(header, 1);
                if (!Wire.isFrontendType(type)) {
                    throw new ProtocolViolation("invalid frontend message type " + type);
                }
                if (len < 4 || len - 4 > max) {
                    throw new ProtocolViolation("invalid message length");
                }
                sout.write(header, 0, 5);
                Wire.copy(cin, sout, len - 4, scratch);
                listener.throughput.increment();
                if (type == 'X') {
                    sout.flush();
                    return;
                }
                if (cin.buffered() == 0) {
                    sout.flush();
                    listener.metrics.requestLatency.recordNanos(System.nanoTime() - start);
                }
            }
        } catch (ProtocolViolation e) {
            listener.metrics.protocolErrors.increment();
            closing = true;
            synchronized (client.out) {
                Wire.fatalAndClose(client.socket, client.out, "08P01", e.getMessage());
            }
        } catch (IOException e) {
            // one side is gone
        } finally {
            closing = true;
            close();
        }
    }

    private void serverToClient() {
        Input sin = link.in;
        OutputStream cout = client.out;
        byte[] header = new byte[5];
        byte[] scratch = new byte[ServerLink.BUFFER];
        try {
            while (true) {
                Wire.readFully(sin, header, 0, 5);
                int len = Wire.getInt(header, 1);
                if (len < 4) {
                    throw new IOException("malformed message from the server");
                }
                synchronized (cout) {
                    cout.write(header, 0, 5);
                    Wire.copy(sin, cout, len - 4, scratch);
                    if (sin.buffered() == 0) {
                        cout.flush();
                    }
                }
            }
        } catch (IOException e) {
            if (!closing && !client.isClosed()) {
                // the server died under the client: say so instead of leaving it waiting
                listener.metrics.upstreamErrors.increment();
                synchronized (cout) {
                    Wire.fatalAndClose(client.socket, cout, "08006",
                            "Eden: the server closed the connection unexpectedly");
                }
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        closing = true;
        if (link != null) {
            link.close();
        }
        Wire.closeQuietly(client.socket);
    }
}

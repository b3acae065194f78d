package io.eden.adapters.pgwire;

import io.eden.domain.model.Endpoint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Transaction pooling: Eden authenticates the client itself against the server's verifier,
 * then lends it a pooled server connection per transaction. Named prepared statements are
 * renamed to pool-wide names and prepared on whichever connection runs them.
 */
final class TransactionClient implements AutoCloseable {
    /** Startup parameters of the first client that pooled server connections do not take. */
    private static final Set<String> NOT_FORWARDED = Set.of("replication");

    final ClientConnection client;
    private final Endpoint endpoint;
    private final PgListener listener;
    private final Map<String, Pool.Statement> statements = new HashMap<>();
    private volatile PooledServer server;
    private Pool pool;
    private int edenPid;

    TransactionClient(ClientConnection client, Endpoint endpoint) {
        this.client = client;
        this.endpoint = endpoint;
        this.listener = client.listener;
    }

    void run() throws IOException, ProtocolViolation {
        try {
            ServerLink.Secret secret = authenticate();
            if (secret == null) {
                return;
            }
            pool = listener.pools.pool(endpoint, client.user(), client.database());
            pool.secret = secret;
            if (pool.startupParameters == null) {
                Map<String, String> params = new LinkedHashMap<>(client.parameters);
                params.keySet().removeAll(NOT_FORWARDED);
                params.put("database", client.database());
                pool.startupParameters = params;
            }
            if (pool.serverParameters == null) {
                PooledServer first;
                try {
                    first = pool.acquire();
                } catch (ServerLink.ServerError e) {
                    listener.metrics.upstreamErrors.increment();
                    Wire.fatalAndClose(client.socket, client.out, e.sqlState, e.getMessage());
                    return;
                } catch (IOException e) {
                    listener.metrics.upstreamErrors.increment();
                    Wire.fatalAndClose(client.socket, client.out, "08006",
                            "Eden cannot reach the server of endpoint \"" + endpoint.id() + "\": " + e.getMessage());
                    return;
                }
                pool.release(first);
            }
            OutputStream out = client.out;
            Wire.authRequest(out, 0, new byte[0]);
            for (Map.Entry<String, String> p : pool.serverParameters.entrySet()) {
                String value = p.getKey().equals("application_name")
                        ? client.parameters.getOrDefault("application_name", "") : p.getValue();
                Wire.parameterStatus(out, p.getKey(), value);
            }
            int timeout = listener.settings.connectTimeoutMillis();
            int[] keys = listener.cancelKeys.register(() -> {
                PooledServer s = server;
                if (s != null) {
                    ServerLink.cancel(endpoint.uri(), s.link.pid, s.link.secret, timeout);
                }
            });
            edenPid = keys[0];
            Wire.backendKey(out, keys[0], keys[1]);
            Wire.readyForQuery(out, 'I');
            out.flush();
            serve();
        } finally {
            if (edenPid != 0) {
                listener.cancelKeys.unregister(edenPid);
            }
            close();
        }
    }

    // ---- authentication -------------------------------------------------------------------

    private ServerLink.Secret authenticate() throws IOException, ProtocolViolation {
        String user = client.user();
        String verifier;
        try {
            verifier = listener.pools.verifier(endpoint, user);
        } catch (IOException e) {
            listener.metrics.upstreamErrors.increment();
            Wire.fatalAndClose(client.socket, client.out, "08006",
                    "Eden cannot look up the password verifier of \"" + user + "\": " + e.getMessage());
            return null;
        }
        ServerLink.Secret secret;
        if (verifier != null && verifier.startsWith("md5") && verifier.length() == 35) {
            secret = md5(verifier);
        } else {
            Scram.Verifier parsed = Scram.Verifier.parse(verifier);
            secret = scram(parsed == null ? Scram.Verifier.mock() : parsed, parsed != null);
        }
        if (secret == null && !client.isClosed()) {
            listener.metrics.authErrors.increment();
            Wire.fatalAndClose(client.socket, client.out, "28P01",
                    "password authentication failed for user \"" + user + "\"");
        }
        return secret;
    }

    private byte[] readAuthMessage() throws IOException, ProtocolViolation {
        InputStream in = client.in;
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the client left during login");
        }
        if (type != 'p') {
            throw new ProtocolViolation("expected password response, got message type " + type);
        }
        int len = Wire.readInt(in) - 4;
        if (len < 0 || len > Wire.MAX_AUTH_MESSAGE) {
            throw new ProtocolViolation("invalid message length");
        }
        byte[] body = new byte[len];
        Wire.readFully(in, body, 0, len);
        return body;
    }

    private ServerLink.Secret md5(String stored) throws IOException, ProtocolViolation {
        byte[] salt = Scram.random(4);
        Wire.authRequest(client.out, 5, salt);
        client.out.flush();
        byte[] body = readAuthMessage();
        int end = Wire.cstringEnd(body, 0, body.length);
        if (end < 0) {
            throw new ProtocolViolation("invalid password packet");
        }
        byte[] expected = Scram.md5Response(stored, salt).getBytes(StandardCharsets.US_ASCII);
        byte[] given = java.util.Arrays.copyOf(body, end);
        return MessageDigest.isEqual(expected, given) ? new ServerLink.Secret(null, null, null, stored) : null;
    }

    private ServerLink.Secret scram(Scram.Verifier verifier, boolean real) throws IOException, ProtocolViolation {
        OutputStream out = client.out;
        byte[] mechanisms = (Scram.MECHANISM + "\0\0").getBytes(StandardCharsets.US_ASCII);
        Wire.authRequest(out, 10, mechanisms);
        out.flush();
        byte[] initial = readAuthMessage();
        int mechEnd = Wire.cstringEnd(initial, 0, initial.length);
        if (mechEnd < 0 || mechEnd + 5 > initial.length) {
            throw new ProtocolViolation("malformed SASLInitialResponse");
        }
        String mechanism = new String(initial, 0, mechEnd, StandardCharsets.US_ASCII);
        if (!mechanism.equals(Scram.MECHANISM)) {
            Wire.fatalAndClose(client.socket, out, "28000", "client selected an invalid SASL authentication mechanism");
            return null;
        }
        int dataLen = Wire.getInt(initial, mechEnd + 1);
        if (dataLen < 0 || mechEnd + 5 + dataLen != initial.length) {
            throw new ProtocolViolation("malformed SASLInitialResponse");
        }
        String clientFirst = new String(initial, mechEnd + 5, dataLen, StandardCharsets.UTF_8);
        if (clientFirst.startsWith("p")) {
            Wire.fatalAndClose(client.socket, out, "28000", "channel binding is not supported through Eden");
            return null;
        }
        int firstComma = clientFirst.indexOf(',');
        int secondComma = firstComma < 0 ? -1 : clientFirst.indexOf(',', firstComma + 1);
        if (secondComma < 0 || !(clientFirst.startsWith("n,") || clientFirst.startsWith("y,"))) {
            throw new ProtocolViolation("malformed SCRAM message");
        }
        String gs2Header = clientFirst.substring(0, secondComma + 1);
        String clientFirstBare = clientFirst.substring(secondComma + 1);
        String clientNonce = Scram.attribute(clientFirstBare, 'r');
        if (clientNonce == null) {
            throw new ProtocolViolation("malformed SCRAM message");
        }
        String nonce = clientNonce + Scram.nonce();
        String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt())
                + ",i=" + verifier.iterations();
        Wire.authRequest(out, 11, serverFirst.getBytes(StandardCharsets.UTF_8));
        out.flush();
        String clientFinal = new String(readAuthMessage(), StandardCharsets.UTF_8);
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new ProtocolViolation("malformed SCRAM message");
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        String channel = Scram.attribute(withoutProof, 'c');
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
            if (channel == null || !java.util.Arrays.equals(Base64.getDecoder().decode(channel),
                    gs2Header.getBytes(StandardCharsets.UTF_8))) {
                throw new ProtocolViolation("SCRAM channel binding check failed");
            }
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolation("malformed SCRAM message");
        }
        if (!nonce.equals(Scram.attribute(withoutProof, 'r')) || proof.length != verifier.storedKey().length) {
            return null;
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientKey = Scram.xor(proof, Scram.hmac(verifier.storedKey(), authMessage));
        if (!real || !MessageDigest.isEqual(Scram.sha256(clientKey), verifier.storedKey())) {
            return null;
        }
        byte[] serverSignature = Scram.hmac(verifier.serverKey(), authMessage);
        Wire.authRequest(out, 12, ("v=" + Base64.getEncoder().encodeToString(serverSignature))
                .getBytes(StandardCharsets.UTF_8));
        return new ServerLink.Secret(null, clientKey, verifier.serverKey(), null);
    }

    // ---- serving ------------------------------------------------------------------------------

    private void serve() throws IOException, ProtocolViolation {
        InputStream in = client.in;
        byte[] header = new byte[5];
        byte[] scratch = new byte[ServerLink.BUFFER];
        Body body = new Body(8192);
        int max = listener.settings.maxClientMessage();
        long batchStart = 0;
        while (true) {
            try {
                Wire.readFully(in, header, 0, 5);
            } catch (EOFException e) {
                return;
            }
            if (batchStart == 0) {
                batchStart = System.nanoTime();
            }
            int type = header[0];
            int len = Wire.getInt(header, 1) - 4;
            if (!Wire.isFrontendType(type)) {
                throw new ProtocolViolation("invalid frontend message type " + type);
            }
            if (len < 0 || len > max) {
                throw new ProtocolViolation("invalid message length");
            }
            if (type == 'X') {
                return;
            }
            if (type == 'p') {
                throw new ProtocolViolation("unexpected password message after authentication");
            }
            boolean inspect = type == 'P' || type == 'B' || type == 'D' || type == 'C';
            if (inspect) {
                body.read(in, len);
            }
            if (answerLocally(type, body)) {
                continue;
            }
            localBatch = false;
            PooledServer s = attach();
            OutputStream sout = s.link.out;
            try {
                switch (type) {
                    case 'P' -> parse(s, body, sout);
                    case 'B' -> bind(s, body, sout);
                    case 'D' -> describe(s, body, sout);
                    case 'C' -> closeMessage(s, body, sout);
                    default -> {
                        if (type == 'Q' || type == 'S' || type == 'E' || type == 'F') {
                            s.lock.lock();
                            try {
                                s.push((byte) type, PooledServer.FORWARD, (byte) 0, null);
                            } finally {
                                s.lock.unlock();
                            }
                        }
                        sout.write(header, 0, 5);
                        Wire.copy(in, sout, len, scratch);
                    }
                }
                listener.throughput.increment();
                if (type == 'H' || in.available() == 0) {
                    sout.flush();
                    listener.metrics.requestLatency.recordNanos(System.nanoTime() - batchStart);
                    batchStart = 0;
                }
                if (type == 'H') {
                    synchronized (client.out) {
                        client.out.flush();
                    }
                }
                s.doneWithMessage(this);
            } catch (IOException e) {
                if (client.isClosed()) {
                    throw e;
                }
                // the server connection failed under us: its reader tells the client
                serverLost();
                return;
            }
        }
    }

    /** Since the last Sync, every message was answered by Eden without a server connection. */
    private boolean localBatch;

    /**
     * Without a server connection, a Parse of a statement some server already accepted (and the
     * Sync or Flush after it) is answered by Eden: clients that prepare while others hold every
     * pooled connection in a transaction (pgbench -M prepared does it synchronously) do not wait.
     */
    private boolean answerLocally(int type, Body body) throws IOException, ProtocolViolation {
        PooledServer s = server;
        if (s != null) {
            s.lock.lock();
            try {
                if (s.attached == this) {
                    return false;
                }
            } finally {
                s.lock.unlock();
            }
        }
        OutputStream out = client.out;
        if (type == 'P') {
            int nameEnd = Wire.cstringEnd(body.data, 0, body.length);
            if (nameEnd <= 0) {
                return false;
            }
            Pool.Statement statement = pool.intern(java.util.Arrays.copyOfRange(body.data, nameEnd + 1, body.length));
            if (!statement.validated) {
                return false;
            }
            statements.put(new String(body.data, 0, nameEnd, StandardCharsets.UTF_8), statement);
            synchronized (out) {
                out.write('1');
                Wire.writeInt(out, 4);
            }
            localBatch = true;
            return true;
        }
        if (localBatch && (type == 'S' || type == 'H')) {
            synchronized (out) {
                if (type == 'S') {
                    Wire.readyForQuery(out, 'I');
                    localBatch = false;
                }
                out.flush();
            }
            return true;
        }
        return false;
    }

    /** The server connection this client holds, or a new one from the pool, with its lock NOT held. */
    private PooledServer attach() throws IOException {
        PooledServer s = server;
        if (s != null) {
            s.lock.lock();
            try {
                if (s.attached == this) {
                    s.clientBusy = true;
                    return s;
                }
            } finally {
                s.lock.unlock();
            }
        }
        try {
            s = pool.acquire();
        } catch (ServerLink.ServerError e) {
            listener.metrics.upstreamErrors.increment();
            Wire.fatalAndClose(client.socket, client.out, e.sqlState, e.getMessage());
            throw new EOFException("no server connection");
        } catch (IOException e) {
            listener.metrics.upstreamErrors.increment();
            Wire.fatalAndClose(client.socket, client.out, "08006", "Eden cannot reach the server: " + e.getMessage());
            throw new EOFException("no server connection");
        }
        s.lock.lock();
        try {
            s.attached = this;
            s.clientBusy = true;
            server = s;
        } finally {
            s.lock.unlock();
        }
        return s;
    }

    /** Called by the server's reader (with its lock held) when the connection goes back to the pool. */
    void detached(PooledServer s) {
        if (server == s) {
            server = null;
        }
    }

    private void parse(PooledServer s, Body body, OutputStream sout) throws IOException, ProtocolViolation {
        int nameEnd = Wire.cstringEnd(body.data, 0, body.length);
        if (nameEnd < 0) {
            throw new ProtocolViolation("invalid Parse message");
        }
        if (nameEnd == 0) {
            push(s, 'P', PooledServer.FORWARD, 0, null);
            Wire.message(sout, 'P', body.copy());
            return;
        }
        String name = new String(body.data, 0, nameEnd, StandardCharsets.UTF_8);
        Pool.Statement statement = pool.intern(java.util.Arrays.copyOfRange(body.data, nameEnd + 1, body.length));
        statements.put(name, statement);
        ByteBuffer key = ByteBuffer.wrap(statement.name);
        if (s.prepared.contains(key)) {
            push(s, 'P', PooledServer.FAKE, '1', statement);
            return;
        }
        s.prepared.add(key);
        push(s, 'P', PooledServer.FORWARD, 0, statement);
        writeParse(sout, statement);
    }

    private static void writeParse(OutputStream sout, Pool.Statement statement) throws IOException {
        sout.write('P');
        Wire.writeInt(sout, 4 + statement.name.length + 1 + statement.tail.length);
        sout.write(statement.name);
        sout.write(0);
        sout.write(statement.tail);
    }

    /** Makes sure the server connection has the statement; null when the client never prepared that name. */
    private Pool.Statement ensurePrepared(PooledServer s, String name, OutputStream sout) throws IOException {
        Pool.Statement statement = statements.get(name);
        if (statement == null) {
            return null;
        }
        ByteBuffer key = ByteBuffer.wrap(statement.name);
        if (!s.prepared.contains(key)) {
            s.prepared.add(key);
            push(s, 'P', PooledServer.SKIP, 0, statement);
            writeParse(sout, statement);
        }
        return statement;
    }

    private void bind(PooledServer s, Body body, OutputStream sout) throws IOException, ProtocolViolation {
        int portalEnd = Wire.cstringEnd(body.data, 0, body.length);
        int nameEnd = portalEnd < 0 ? -1 : Wire.cstringEnd(body.data, portalEnd + 1, body.length);
        if (nameEnd < 0) {
            throw new ProtocolViolation("invalid Bind message");
        }
        Pool.Statement statement = nameEnd == portalEnd + 1 ? null : ensurePrepared(s,
                new String(body.data, portalEnd + 1, nameEnd - portalEnd - 1, StandardCharsets.UTF_8), sout);
        push(s, 'B', PooledServer.FORWARD, 0, null);
        if (statement == null) {
            Wire.message(sout, 'B', body.copy());
            return;
        }
        int restLen = body.length - nameEnd - 1;
        sout.write('B');
        Wire.writeInt(sout, 4 + portalEnd + 1 + statement.name.length + 1 + restLen);
        sout.write(body.data, 0, portalEnd + 1);
        sout.write(statement.name);
        sout.write(0);
        sout.write(body.data, nameEnd + 1, restLen);
    }

    private void describe(PooledServer s, Body body, OutputStream sout) throws IOException, ProtocolViolation {
        if (body.length < 2 || Wire.cstringEnd(body.data, 1, body.length) != body.length - 1) {
            throw new ProtocolViolation("invalid Describe message");
        }
        Pool.Statement statement = body.data[0] == 'S' && body.length > 2 ? ensurePrepared(s,
                new String(body.data, 1, body.length - 2, StandardCharsets.UTF_8), sout) : null;
        push(s, 'D', PooledServer.FORWARD, 0, null);
        if (statement == null) {
            Wire.message(sout, 'D', body.copy());
            return;
        }
        sout.write('D');
        Wire.writeInt(sout, 4 + 1 + statement.name.length + 1);
        sout.write('S');
        sout.write(statement.name);
        sout.write(0);
    }

    private void closeMessage(PooledServer s, Body body, OutputStream sout) throws IOException, ProtocolViolation {
        if (body.length < 2 || Wire.cstringEnd(body.data, 1, body.length) != body.length - 1) {
            throw new ProtocolViolation("invalid Close message");
        }
        if (body.data[0] == 'S' && body.length > 2) {
            // the statement stays prepared on the server for other clients; this client forgets it
            statements.remove(new String(body.data, 1, body.length - 2, StandardCharsets.UTF_8));
            push(s, 'C', PooledServer.FAKE, '3', null);
            return;
        }
        push(s, 'C', PooledServer.FORWARD, 0, null);
        Wire.message(sout, 'C', body.copy());
    }

    /** Records an entry; a FAKE reply with nothing before it is written to the client at once. */
    private void push(PooledServer s, int kind, byte action, int fake, Pool.Statement statement) throws IOException {
        boolean now;
        s.lock.lock();
        try {
            s.push((byte) kind, action, (byte) fake, statement);
            now = action == PooledServer.FAKE && s.takeFakeAtHead();
        } finally {
            s.lock.unlock();
        }
        if (now) {
            synchronized (client.out) {
                client.out.write(fake);
                Wire.writeInt(client.out, 4);
            }
        }
    }

    /** The client socket failed while the server's reader wrote to it. */
    void clientLost() {
        Wire.closeQuietly(client.socket);
    }

    /** The server connection died under this client: it gets an error, not a hang. */
    void serverLost() {
        if (!client.isClosed()) {
            listener.metrics.upstreamErrors.increment();
            synchronized (client.out) {
                Wire.fatalAndClose(client.socket, client.out, "08006",
                        "Eden: the server closed the connection unexpectedly");
            }
        }
    }

    @Override
    public void close() {
        PooledServer s = server;
        server = null;
        if (s != null) {
            s.abandon(this);
        }
    }
}

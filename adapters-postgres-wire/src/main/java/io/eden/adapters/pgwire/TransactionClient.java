package io.eden.adapters.pgwire;

import io.eden.domain.model.Endpoint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Transaction pooling's login, on the client's virtual thread: Eden authenticates the client
 * itself against the server's verifier, then hands the connection to an event loop
 * ({@link PooledClient}), which lends it a pooled server connection per transaction.
 */
final class TransactionClient {
    /** Startup parameters of the first client that pooled server connections do not take. */
    private static final Set<String> NOT_FORWARDED = Set.of("replication");

    final ClientConnection client;
    private final Endpoint endpoint;
    private final PgListener listener;

    TransactionClient(ClientConnection client, Endpoint endpoint) {
        this.client = client;
        this.endpoint = endpoint;
        this.listener = client.listener;
    }

    /** True when the client was handed to an event loop, which then owns and closes it. */
    boolean run() throws IOException, ProtocolViolation {
        ServerLink.Secret secret = authenticate();
        if (secret == null) {
            return false;
        }
        Pool pool = listener.pools.pool(endpoint, client.user(), client.database());
        pool.secret = secret;
        if (pool.startupParameters == null) {
            Map<String, String> params = new LinkedHashMap<>(client.parameters);
            params.keySet().removeAll(NOT_FORWARDED);
            params.put("database", client.database());
            pool.startupParameters = params;
        }
        try {
            pool.prime();
        } catch (ServerLink.ServerError e) {
            listener.metrics.upstreamErrors.increment();
            Wire.fatalAndClose(client.socket, client.out, e.sqlState, e.getMessage());
            return false;
        } catch (IOException e) {
            listener.metrics.upstreamErrors.increment();
            Wire.fatalAndClose(client.socket, client.out, "08006",
                    "Eden cannot reach the server of endpoint \"" + endpoint.id() + "\": " + e.getMessage());
            return false;
        }
        OutputStream out = client.out;
        Wire.authRequest(out, 0, new byte[0]);
        for (Map.Entry<String, String> p : pool.serverParameters.entrySet()) {
            String value = p.getKey().equals("application_name")
                    ? client.parameters.getOrDefault("application_name", "") : p.getValue();
            Wire.parameterStatus(out, p.getKey(), value);
        }
        PooledClient pooled = new PooledClient(client, pool);
        int timeout = listener.settings.connectTimeoutMillis();
        int[] keys = listener.cancelKeys.register(() -> {
            PooledServer s = pooled.server();
            if (s != null) {
                ServerLink.cancel(endpoint.uri(), s.link.pid, s.link.secret, timeout);
            }
        });
        pooled.edenPid = keys[0];
        Wire.backendKey(out, keys[0], keys[1]);
        Wire.readyForQuery(out, 'I');
        out.flush();
        try {
            pooled.handOver();
        } catch (IOException | RuntimeException e) {
            listener.cancelKeys.unregister(keys[0]);
            throw e;
        }
        client.servedBy(pooled);
        return true;
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
}

package io.eden.adapters.pgwire;

import io.eden.domain.model.EndpointUri;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** One connection from Eden to a PostgreSQL server, with Eden acting as the client when it logs in itself. */
final class ServerLink implements AutoCloseable {
    static final int BUFFER = 16 * 1024;
    /** The TCP connection; {@link #socket} is its adaptor, or the TLS socket layered on it. */
    final SocketChannel channel;
    final Socket socket;
    final boolean tls;
    final Input in;
    final OutputStream out;
    final String host;
    final int port;
    int pid;
    int secret;
    final Map<String, String> parameters = new LinkedHashMap<>();

    private ServerLink(SocketChannel channel, Socket socket, String host, int port) throws IOException {
        this.channel = channel;
        this.socket = socket;
        this.tls = socket instanceof SSLSocket;
        this.host = host;
        this.port = port;
        this.in = new Input(socket.getInputStream(), BUFFER);
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
    }

    /** The connection as an event loop sees it, once the login is over. */
    LoopChannel loopChannel(String name) throws IOException {
        return tls ? TlsBridge.start(socket, in, out, name) : LoopChannel.of(channel);
    }

    /** How Eden proves who it is to the server: a password, or what SCRAM/MD5 need instead of one. */
    record Secret(String password, byte[] clientKey, byte[] serverKey, String md5Hash) {
        static Secret password(String password) {
            return new Secret(password, null, null, null);
        }
    }

    /** Server refused: carries the server's SQLSTATE and message. */
    static final class ServerError extends IOException {
        final String sqlState;

        ServerError(String sqlState, String message) {
            super(message);
            this.sqlState = sqlState;
        }
    }

    /** Opens TCP (and TLS when the endpoint's {@code sslmode} asks for it) to the endpoint. */
    static ServerLink open(EndpointUri uri, int timeoutMillis) throws IOException {
        String host = uri.host();
        int port = uri.portOr(PostgresAdapterFactory.DEFAULT_PORT);
        String sslmode = uri.query().getOrDefault("sslmode", "prefer").toLowerCase(Locale.ROOT);
        SocketChannel channel = SocketChannel.open();
        Socket socket = channel.socket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            if (!sslmode.equals("disable")) {
                OutputStream raw = socket.getOutputStream();
                byte[] req = new byte[8];
                Wire.putInt(req, 0, 8);
                Wire.putInt(req, 4, Wire.SSL_REQUEST);
                raw.write(req);
                raw.flush();
                socket.setSoTimeout(timeoutMillis);
                int answer = socket.getInputStream().read();
                socket.setSoTimeout(0);
                if (answer == 'S') {
                    socket = startTls(socket, host, port, sslmode);
                } else if (answer != 'N') {
                    throw new IOException("the server at " + host + ":" + port + " does not speak PostgreSQL");
                } else if (!sslmode.equals("prefer") && !sslmode.equals("allow")) {
                    throw new IOException("the server at " + host + ":" + port + " refused TLS but sslmode is " + sslmode);
                }
            }
            return new ServerLink(channel, socket, host, port);
        } catch (IOException | RuntimeException e) {
            Wire.closeQuietly(socket);
            Wire.closeQuietly(channel);
            throw e;
        }
    }

    private static Socket startTls(Socket plain, String host, int port, String sslmode) throws IOException {
        try {
            SSLContext context;
            boolean verify = sslmode.startsWith("verify");
            if (verify) {
                context = SSLContext.getDefault();
            } else {
                // require/prefer/allow: encrypted, not authenticated, as libpq does for these modes
                context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAll()}, null);
            }
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
            tls.setUseClientMode(true);
            if (sslmode.equals("verify-full")) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
            }
            tls.startHandshake();
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS to " + host + ":" + port + " failed: " + e.getMessage(), e);
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    static byte[] startupPacket(Map<String, String> params) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[8]);
        params.forEach((k, v) -> {
            body.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            body.write(0);
            body.writeBytes(v.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        });
        body.write(0);
        byte[] packet = body.toByteArray();
        Wire.putInt(packet, 0, packet.length);
        Wire.putInt(packet, 4, Wire.PROTOCOL_3_0);
        return packet;
    }

    /** Logs in as {@code params.user} and reads up to the first ReadyForQuery. */
    void login(Map<String, String> params, Secret secret) throws IOException {
        String user = params.get("user");
        out.write(startupPacket(params));
        out.flush();
        Body body = new Body(1024);
        ScramClient scram = null;
        while (true) {
            int type = in.read();
            if (type < 0) {
                throw new IOException("the server closed the connection during login");
            }
            int len = Wire.readInt(in) - 4;
            if (len < 0 || len > Wire.INSPECT_LIMIT) {
                throw new IOException("the server sent a malformed message during login");
            }
            body.read(in, len);
            byte[] b = body.data;
            switch (type) {
                case 'R' -> {
                    int code = Wire.getInt(b, 0);
                    switch (code) {
                        case 0 -> {
                        }
                        case 3 -> {
                            if (secret.password() == null) {
                                throw new ServerError("28000", "the server asks for a cleartext password, which Eden does not have for \"" + user + "\"");
                            }
                            passwordMessage(secret.password().getBytes(StandardCharsets.UTF_8), true);
                        }
                        case 5 -> {
                            byte[] salt = java.util.Arrays.copyOfRange(b, 4, 8);
                            String hash = secret.md5Hash() != null ? secret.md5Hash()
                                    : secret.password() != null ? Scram.md5Stored(secret.password(), user) : null;
                            if (hash == null) {
                                throw new ServerError("28000", "the server asks for MD5, but the role \"" + user + "\" has a SCRAM verifier");
                            }
                            passwordMessage(Scram.md5Response(hash, salt).getBytes(StandardCharsets.US_ASCII), true);
                        }
                        case 10 -> {
                            if (secret.password() == null && secret.clientKey() == null) {
                                throw new ServerError("28000", "the server asks for SCRAM, but the role \"" + user + "\" has an MD5 verifier");
                            }
                            scram = new ScramClient(secret);
                            byte[] first = scram.clientFirst().getBytes(StandardCharsets.UTF_8);
                            byte[] mech = Scram.MECHANISM.getBytes(StandardCharsets.US_ASCII);
                            out.write('p');
                            Wire.writeInt(out, 4 + mech.length + 1 + 4 + first.length);
                            out.write(mech);
                            out.write(0);
                            Wire.writeInt(out, first.length);
                            out.write(first);
                            out.flush();
                        }
                        case 11 -> passwordMessage(scram.clientFinal(
                                new String(b, 4, len - 4, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8), false);
                        case 12 -> scram.verifyServerFinal(new String(b, 4, len - 4, StandardCharsets.UTF_8));
                        default -> throw new ServerError("28000", "the server asks for an authentication method Eden cannot answer (" + code + ")");
                    }
                }
                case 'S' -> {
                    int z = Wire.cstringEnd(b, 0, len);
                    parameters.put(new String(b, 0, z, StandardCharsets.UTF_8), Wire.cstring(b, z + 1, len));
                }
                case 'K' -> {
                    pid = Wire.getInt(b, 0);
                    this.secret = Wire.getInt(b, 4);
                }
                case 'E' -> {
                    String[] f = Wire.errorFields(b, len);
                    throw new ServerError(f[0], f[1]);
                }
                case 'Z' -> {
                    return;
                }
                default -> {
                    // NoticeResponse, NegotiateProtocolVersion: nothing to do
                }
            }
        }
    }

    /** A PasswordMessage (NUL-terminated) or, with {@code nul} false, a raw SASLResponse. */
    private void passwordMessage(byte[] data, boolean nul) throws IOException {
        out.write('p');
        Wire.writeInt(out, 4 + data.length + (nul ? 1 : 0));
        out.write(data);
        if (nul) {
            out.write(0);
        }
        out.flush();
    }

    /** Runs one parameterised query (extended protocol) and returns the rows' text columns. */
    java.util.List<String[]> query(String sql, String... params) throws IOException {
        byte[] q = sql.getBytes(StandardCharsets.UTF_8);
        out.write('P');
        Wire.writeInt(out, 4 + 1 + q.length + 1 + 2);
        out.write(0);
        out.write(q);
        out.write(0);
        out.write(0);
        out.write(0);
        ByteArrayOutputStream bind = new ByteArrayOutputStream();
        bind.write(0);
        bind.write(0);
        bind.write(0);
        bind.write(0);
        bind.write(params.length >>> 8);
        bind.write(params.length);
        for (String p : params) {
            byte[] v = p.getBytes(StandardCharsets.UTF_8);
            byte[] n = new byte[4];
            Wire.putInt(n, 0, v.length);
            bind.writeBytes(n);
            bind.writeBytes(v);
        }
        bind.write(0);
        bind.write(0);
        Wire.message(out, 'B', bind.toByteArray());
        Wire.message(out, 'E', new byte[] {0, 0, 0, 0, 0});
        Wire.message(out, 'S', new byte[0]);
        out.flush();
        java.util.List<String[]> rows = new java.util.ArrayList<>();
        Body body = new Body(1024);
        ServerError failure = null;
        while (true) {
            int type = in.read();
            if (type < 0) {
                throw new IOException("the server closed the connection");
            }
            int len = Wire.readInt(in) - 4;
            if (len < 0 || len > 16 * 1024 * 1024) {
                throw new IOException("the server sent a malformed message");
            }
            body.read(in, len);
            if (type == 'D') {
                byte[] b = body.data;
                int n = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
                String[] row = new String[n];
                int off = 2;
                for (int i = 0; i < n; i++) {
                    int l = Wire.getInt(b, off);
                    off += 4;
                    if (l >= 0) {
                        row[i] = new String(b, off, l, StandardCharsets.UTF_8);
                        off += l;
                    }
                }
                rows.add(row);
            } else if (type == 'E') {
                String[] f = Wire.errorFields(body.data, len);
                failure = new ServerError(f[0], f[1]);
            } else if (type == 'Z') {
                if (failure != null) {
                    throw failure;
                }
                return rows;
            }
        }
    }

    /** Sends CancelRequest for this link's backend over a fresh connection. */
    static void cancel(EndpointUri uri, int pid, int secret, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.host(), uri.portOr(PostgresAdapterFactory.DEFAULT_PORT)), timeoutMillis);
            byte[] req = new byte[16];
            Wire.putInt(req, 0, 16);
            Wire.putInt(req, 4, Wire.CANCEL_REQUEST);
            Wire.putInt(req, 8, pid);
            Wire.putInt(req, 12, secret);
            s.getOutputStream().write(req);
            s.getOutputStream().flush();
            s.setSoTimeout(timeoutMillis);
            s.getInputStream().read(); // the server closes when it has processed the request
        } catch (IOException ignored) {
            // cancellation is best effort, as in PostgreSQL itself
        }
    }

    @Override
    public void close() {
        Wire.closeQuietly(socket);
        Wire.closeQuietly(channel);
    }

    /** The client half of SCRAM-SHA-256, from a password or from a ClientKey recovered by Eden. */
    private static final class ScramClient {
        private final Secret secret;
        private final String clientNonce = Scram.nonce();
        private String clientFirstBare;
        private String authMessage;
        private byte[] serverKey;

        ScramClient(Secret secret) {
            this.secret = secret;
        }

        String clientFirst() {
            clientFirstBare = "n=,r=" + clientNonce;
            return "n,," + clientFirstBare;
        }

        String clientFinal(String serverFirst) throws IOException {
            String nonce = Scram.attribute(serverFirst, 'r');
            String salt = Scram.attribute(serverFirst, 's');
            String iter = Scram.attribute(serverFirst, 'i');
            if (nonce == null || !nonce.startsWith(clientNonce) || salt == null || iter == null) {
                throw new ServerError("08P01", "the server sent an invalid SCRAM message");
            }
            byte[] clientKey;
            if (secret.clientKey() != null) {
                clientKey = secret.clientKey();
                serverKey = secret.serverKey();
            } else {
                byte[] salted = Scram.saltedPassword(secret.password(), Base64.getDecoder().decode(salt),
                        Integer.parseInt(iter));
                clientKey = Scram.hmac(salted, "Client Key");
                serverKey = Scram.hmac(salted, "Server Key");
            }
            String withoutProof = "c=biws,r=" + nonce;
            authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] signature = Scram.hmac(Scram.sha256(clientKey), authMessage);
            return withoutProof + ",p=" + Base64.getEncoder().encodeToString(Scram.xor(clientKey, signature));
        }

        void verifyServerFinal(String serverFinal) throws IOException {
            String v = Scram.attribute(serverFinal, 'v');
            if (serverKey != null && (v == null || !java.security.MessageDigest.isEqual(
                    Base64.getDecoder().decode(v), Scram.hmac(serverKey, authMessage)))) {
                throw new ServerError("28000", "the server's SCRAM signature is wrong");
            }
        }
    }
}

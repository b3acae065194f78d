package io.eden.adapters.pgwire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The v3 protocol's framing: big-endian lengths, C strings, and the messages Eden writes itself. */
final class Wire {
    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;
    static final int PROTOCOL_3_0 = 196608;
    /** PostgreSQL's own MAX_STARTUP_PACKET_LENGTH. */
    static final int MAX_STARTUP_LENGTH = 10_000;
    /** What a client may send during authentication (PostgreSQL allows the same order of magnitude). */
    static final int MAX_AUTH_MESSAGE = 64 * 1024;
    /** Server messages Eden reads whole (auth phase, small responses); larger ones are streamed. */
    static final int INSPECT_LIMIT = 64 * 1024;

    private Wire() {
    }

    /** Frontend message types after startup: anything else is a protocol violation. */
    static boolean isFrontendType(int type) {
        return switch (type) {
            case 'Q', 'P', 'B', 'E', 'D', 'C', 'H', 'S', 'X', 'F', 'd', 'c', 'f', 'p' -> true;
            default -> false;
        };
    }

    static int readInt(InputStream in) throws IOException {
        int a = in.read();
        int b = in.read();
        int c = in.read();
        int d = in.read();
        if ((a | b | c | d) < 0) {
            throw new EOFException("connection closed");
        }
        return (a << 24) | (b << 16) | (c << 8) | d;
    }

    static void readFully(InputStream in, byte[] buf, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(buf, off, len);
            if (n < 0) {
                throw new EOFException("connection closed");
            }
            off += n;
            len -= n;
        }
    }

    /** Copies exactly {@code len} bytes in chunks of the scratch buffer: memory stays bounded whatever the length. */
    static void copy(InputStream in, OutputStream out, long len, byte[] scratch) throws IOException {
        while (len > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, len));
            if (n < 0) {
                throw new EOFException("connection closed");
            }
            out.write(scratch, 0, n);
            len -= n;
        }
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static void writeInt(OutputStream out, int v) throws IOException {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    /** The index of the NUL ending the C string at {@code off}, or -1 if there is none before {@code end}. */
    static int cstringEnd(byte[] b, int off, int end) {
        for (int i = off; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    static String cstring(byte[] b, int off, int end) {
        int z = cstringEnd(b, off, end);
        if (z < 0) {
            throw new IllegalArgumentException("unterminated string");
        }
        return new String(b, off, z - off, StandardCharsets.UTF_8);
    }

    static void message(OutputStream out, int type, byte[] body) throws IOException {
        out.write(type);
        writeInt(out, body.length + 4);
        out.write(body);
    }

    static void authRequest(OutputStream out, int code, byte[] data) throws IOException {
        out.write('R');
        writeInt(out, 8 + data.length);
        writeInt(out, code);
        out.write(data);
    }

    static void parameterStatus(OutputStream out, String name, String value) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.write('S');
        writeInt(out, 4 + n.length + 1 + v.length + 1);
        out.write(n);
        out.write(0);
        out.write(v);
        out.write(0);
    }

    static void backendKey(OutputStream out, int pid, int secret) throws IOException {
        out.write('K');
        writeInt(out, 12);
        writeInt(out, pid);
        writeInt(out, secret);
    }

    static void readyForQuery(OutputStream out, int status) throws IOException {
        out.write('Z');
        writeInt(out, 5);
        out.write(status);
    }

    static void query(OutputStream out, String sql) throws IOException {
        byte[] q = sql.getBytes(StandardCharsets.UTF_8);
        out.write('Q');
        writeInt(out, 4 + q.length + 1);
        out.write(q);
        out.write(0);
    }

    /** An ErrorResponse with the fields libpq and pgjdbc show: severity (both forms), SQLSTATE, message. */
    static void error(OutputStream out, String severity, String sqlState, String text) throws IOException {
        byte[] s = severity.getBytes(StandardCharsets.UTF_8);
        byte[] c = sqlState.getBytes(StandardCharsets.UTF_8);
        byte[] m = text.getBytes(StandardCharsets.UTF_8);
        out.write('E');
        writeInt(out, 4 + 2 * (1 + s.length + 1) + 1 + c.length + 1 + 1 + m.length + 1 + 1);
        out.write('S');
        out.write(s);
        out.write(0);
        out.write('V');
        out.write(s);
        out.write(0);
        out.write('C');
        out.write(c);
        out.write(0);
        out.write('M');
        out.write(m);
        out.write(0);
        out.write(0);
    }

    /** An ErrorResponse as bytes, for output that is not a stream. */
    static byte[] errorMessage(String severity, String sqlState, String text) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            error(b, severity, sqlState, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** Sends a FATAL error and closes: used for everything that ends one client connection. */
    static void fatalAndClose(Socket socket, OutputStream out, String sqlState, String text) {
        try {
            error(out, "FATAL", sqlState, text);
            out.flush();
        } catch (IOException ignored) {
            // the peer is gone: nothing to tell
        }
        closeQuietly(socket);
    }

    /** Reads the fields of an ErrorResponse/NoticeResponse body: returns {code, message}. */
    static String[] errorFields(byte[] body, int len) {
        String code = "";
        String msg = "";
        int i = 0;
        while (i < len && body[i] != 0) {
            byte field = body[i];
            int z = cstringEnd(body, i + 1, len);
            if (z < 0) {
                break;
            }
            String value = new String(body, i + 1, z - i - 1, StandardCharsets.UTF_8);
            if (field == 'C') {
                code = value;
            } else if (field == 'M') {
                msg = value;
            }
            i = z + 1;
        }
        return new String[] {code, msg};
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // best effort
        }
    }
}

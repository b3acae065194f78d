package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.proxy.EndpointSockets;
import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.resp.RespLimits;
import io.eden.adapters.redis.resp.RespParser;
import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.SimpleError;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain pipelined connection of Eden's own to one endpoint and database, logged in with the
 * endpoint's credentials: the copier's and the validator's. Commands are buffered by
 * {@link #send}, go out on {@link #flush}, and their replies are read in order with {@link #read}.
 */
final class RedisConnection implements AutoCloseable {
    /** A DUMP may be as large as Redis lets a value be (proto-max-bulk-len). */
    static final long LARGEST_REPLY = 512L << 20;
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final Endpoint endpoint;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final RespParser replies;
    private final byte[] chunk = new byte[64 * 1024];
    private int pending;
    private final byte[] buffer = new byte[64 * 1024];
    private int buffered;

    private RedisConnection(Endpoint endpoint, Socket socket, long largestReply) throws IOException {
        this.endpoint = endpoint;
        this.replies = RespParser.forReplies(new RespLimits(largestReply, 10_000_000, 32, 1 << 16));
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /**
     * @param largestReply a reply with a longer bulk string fails with {@link ReplyTooLarge} (and
     *                     leaves the connection unusable): the copier's way to find big keys
     *                     without asking every key's size
     */
    static RedisConnection open(Endpoint endpoint, int db, ProxySettings settings, long largestReply)
            throws IOException {
        Socket socket = EndpointSockets.open(endpoint, settings, READ_TIMEOUT);
        RedisConnection connection = new RedisConnection(endpoint, socket, largestReply);
        try {
            EndpointUri uri = endpoint.uri();
            if (uri.password().isPresent()) {
                List<String> auth = new ArrayList<>(List.of("AUTH"));
                uri.user().ifPresent(auth::add);
                auth.add(uri.password().get());
                connection.send(auth.toArray(String[]::new));
                connection.expectOk("authentication");
            }
            if (db != 0) {
                connection.send("SELECT", Integer.toString(db));
                connection.expectOk("SELECT " + db);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void expectOk(String what) throws IOException {
        flush();
        RespValue reply = read();
        if (reply instanceof SimpleError error) {
            // only the error code: the rest of an AUTH error is not ours to show
            String text = error.text();
            int space = text.indexOf(' ');
            throw new IOException("endpoint '" + endpoint.id() + "' refused " + what + ": "
                    + (space < 0 ? text : text.substring(0, space)));
        }
    }

    void send(String... words) throws IOException {
        List<byte[]> bytes = new ArrayList<>(words.length);
        for (String word : words) {
            bytes.add(word.getBytes(StandardCharsets.UTF_8));
        }
        send(bytes);
    }

    void send(List<byte[]> words) throws IOException {
        // into a plain array of our own: the copier sends millions of these, and a stream's
        // per-call locking and number formatting showed at the top of its profile
        header('*', words.size());
        for (int i = 0, n = words.size(); i < n; i++) {
            byte[] word = words.get(i);
            header('$', word.length);
            put(word);
            put((byte) '\r');
            put((byte) '\n');
        }
        pending++;
    }

    private void header(char marker, int length) throws IOException {
        if (buffered + 16 > buffer.length) {
            drainBuffer();
        }
        buffer[buffered++] = (byte) marker;
        if (length == 0) {
            buffer[buffered++] = '0';
        } else {
            int digits = 0;
            for (int v = length; v > 0; v /= 10) {
                digits++;
            }
            for (int i = buffered + digits - 1, v = length; v > 0; v /= 10, i--) {
                buffer[i] = (byte) ('0' + v % 10);
            }
            buffered += digits;
        }
        buffer[buffered++] = '\r';
        buffer[buffered++] = '\n';
    }

    private void put(byte b) throws IOException {
        if (buffered == buffer.length) {
            drainBuffer();
        }
        buffer[buffered++] = b;
    }

    private void put(byte[] bytes) throws IOException {
        if (bytes.length > buffer.length - buffered) {
            drainBuffer();
            if (bytes.length > buffer.length) {
                out.write(bytes); // a big payload goes as it is
                return;
            }
        }
        System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
        buffered += bytes.length;
    }

    private void drainBuffer() throws IOException {
        if (buffered > 0) {
            out.write(buffer, 0, buffered);
            buffered = 0;
        }
    }

    void flush() throws IOException {
        drainBuffer();
        out.flush();
    }

    /** The next reply, in the order the commands were sent. */
    RespValue read() throws IOException {
        try {
            RespValue reply;
            while ((reply = replies.next()) == null) {
                int n = in.read(chunk);
                if (n < 0) {
                    throw new EOFException("endpoint '" + endpoint.id() + "' closed the connection");
                }
                replies.feed(chunk, 0, n);
            }
            pending--;
            return reply;
        } catch (RespProtocolException e) {
            if (e.getMessage().contains("above the limit")) { // RespParser's words for a bulk over the limit
                throw new ReplyTooLarge("endpoint '" + endpoint.id() + "' sent a reply over the limit: "
                        + e.getMessage());
            }
            throw new IOException("endpoint '" + endpoint.id() + "' sent a malformed reply: " + e.getMessage(), e);
        }
    }

    /** Sends one command and returns its reply. */
    RespValue call(String... words) throws IOException {
        send(words);
        flush();
        return read();
    }

    RespValue call(List<byte[]> words) throws IOException {
        send(words);
        flush();
        return read();
    }

    /** Reads the replies of everything still unanswered, so the connection can be used afresh. */
    void drain() throws IOException {
        flush();
        while (pending > 0) {
            read();
        }
    }

    /** A reply longer than this connection takes; the connection cannot be used any more. */
    static final class ReplyTooLarge extends IOException {
        ReplyTooLarge(String message) {
            super(message);
        }
    }

    Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }
}

package io.eden.adapters.redis.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;

/** A plain socket that sends exact bytes, for what real clients never send: malformed frames, inline commands. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
    }

    /** {@code words} as a RESP array of bulk strings, the way client libraries send commands. */
    public static String command(String... words) {
        StringBuilder frame = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            frame.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word)
                    .append("\r\n");
        }
        return frame.toString();
    }

    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    public RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    public void closeOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads until the server closes the connection (failing after 5 s of silence). */
    public String readUntilClosed() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = in.read(chunk)) >= 0) {
            all.write(chunk, 0, read);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** Reads exactly {@code length} bytes. */
    public String read(int length) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Reads one CRLF-terminated line, without the CRLF. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        throw new IOException("closed before a full line; got: " + line.toString(StandardCharsets.UTF_8));
    }

    /** Whether the server closes the connection within 5 s (expecting no more data). */
    public boolean isClosedByServer() throws IOException {
        return isClosedByServer(Duration.ofSeconds(5));
    }

    /** Whether the server closes the connection within {@code wait} (expecting no more data). */
    public boolean isClosedByServer(Duration wait) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout((int) wait.toMillis());
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server counts as closed
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

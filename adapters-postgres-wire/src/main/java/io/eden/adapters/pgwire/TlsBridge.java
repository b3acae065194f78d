package io.eden.adapters.pgwire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * Puts a TLS connection on an event loop: two virtual threads move plaintext between the
 * JDK's {@link javax.net.ssl.SSLSocket} and a pair of pipes the loop selects on like any
 * socket. TLS connections pay two extra hops per message; the loop's code stays one path
 * and the TLS handling stays the JDK's.
 */
final class TlsBridge {
    private static final int CHUNK = 16 * 1024;

    private TlsBridge() {
    }

    /**
     * {@code in} may hold bytes already read past the login; they reach the loop first.
     * Closing the returned channel ends the pipes only: the writer sends what is queued (a
     * last error message, say) and then closes {@code socket}.
     */
    static LoopChannel start(Socket socket, InputStream in, OutputStream out, String name) throws IOException {
        Pipe toLoop = Pipe.open();
        Pipe fromLoop = Pipe.open();
        Thread.ofVirtual().name(name + "-tls-in").start(() -> pumpIn(in, toLoop.sink()));
        Thread.ofVirtual().name(name + "-tls-out").start(() -> pumpOut(socket, fromLoop.source(), out));
        return LoopChannel.of(toLoop.source(), fromLoop.sink(), null);
    }

    private static void pumpIn(InputStream in, Pipe.SinkChannel sink) {
        byte[] chunk = new byte[CHUNK];
        ByteBuffer view = ByteBuffer.wrap(chunk);
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                view.clear().limit(n);
                while (view.hasRemaining()) {
                    sink.write(view);
                }
            }
        } catch (IOException e) {
            // either side went away: closing tells the other
        } finally {
            // the socket stays open for pumpOut, which may still owe the peer a last message
            Wire.closeQuietly(sink);
        }
    }

    private static void pumpOut(Socket socket, Pipe.SourceChannel source, OutputStream out) {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        try {
            while (source.read(chunk) >= 0) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
                out.flush();
            }
        } catch (IOException e) {
            // either side went away: closing tells the other
        } finally {
            Wire.closeQuietly(source);
            Wire.closeQuietly(socket);
        }
    }
}

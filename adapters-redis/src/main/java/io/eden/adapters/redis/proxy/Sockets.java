package io.eden.adapters.redis.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/** Closing sockets so that the last reply reaches the peer. */
final class Sockets {
    private static final int LINGER_MILLIS = 500;
    private static final int MAX_DISCARDED_BYTES = 1024 * 1024;

    private Sockets() {
    }

    /**
     * Sends FIN after the last reply, then reads and drops what the peer still sends for a
     * moment before closing. Closing a socket with unread input makes the kernel send RST, and
     * a RST can destroy the reply in the peer's receive buffer before the peer read it.
     */
    static void closeAfterReply(Socket socket) {
        try {
            socket.shutdownOutput();
            socket.setSoTimeout(LINGER_MILLIS);
            InputStream in = socket.getInputStream();
            byte[] discard = new byte[8192];
            long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            int discarded = 0;
            while (discarded < MAX_DISCARDED_BYTES && System.nanoTime() < deadline) {
                int n = in.read(discard);
                if (n < 0) {
                    break;
                }
                discarded += n;
            }
        } catch (IOException ignored) {
            // the peer is gone or silent: nothing left to protect
        } finally {
            closeQuietly(socket);
        }
    }

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort: the connection is being dropped anyway
        }
    }
}

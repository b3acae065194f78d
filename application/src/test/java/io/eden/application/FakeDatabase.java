package io.eden.application;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A port that accepts TCP connections and closes them: enough for a health check to pass. */
final class FakeDatabase implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;

    FakeDatabase() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket ignored = server.accept()) {
                    // accepted
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    String uri(String scheme) {
        return scheme + "://127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        server.close();
        // A socket closed while a virtual thread is blocked in accept() is released only when that
        // thread leaves accept(); until then the kernel may still complete connects. Wait for it.
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.eden.adapters.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads a request body on the handler's (virtual) thread, at most {@link #LIMIT} bytes. A larger body
 * is refused with 413; the rest is read and dropped, up to a bound, so that the client gets to read
 * the answer instead of a reset connection, and the connection is then closed.
 */
final class RequestBodies {
    static final int LIMIT = 1 << 20;
    /** Beyond this much, draining costs more than a client that cannot read the 413 is worth. */
    private static final long DRAIN_LIMIT = 16L << 20;
    private static final String TOO_LARGE = "the request body exceeds " + LIMIT + " bytes";

    private RequestBodies() {
    }

    static byte[] read(HttpServerExchange exchange) {
        long declared = exchange.getRequestContentLength();
        try {
            InputStream in = exchange.getInputStream();
            if (declared > LIMIT) {
                // With "Expect: 100-continue" the client waits: reading would invite the body we refuse.
                if (!HttpContinue.requiresContinueResponse(exchange) && declared <= DRAIN_LIMIT) {
                    drain(in, DRAIN_LIMIT);
                }
                throw tooLarge(exchange);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                body.write(chunk, 0, n);
                if (body.size() > LIMIT) {
                    drain(in, DRAIN_LIMIT - body.size());
                    throw tooLarge(exchange);
                }
            }
            return body.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static ApiException tooLarge(HttpServerExchange exchange) {
        exchange.setPersistent(false);
        return new ApiException(413, "payload_too_large", TOO_LARGE);
    }

    private static void drain(InputStream in, long max) throws IOException {
        byte[] sink = new byte[8192];
        long left = max;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }
}

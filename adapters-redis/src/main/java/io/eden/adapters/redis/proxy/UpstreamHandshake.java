package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.command.CommandTable;
import io.eden.adapters.redis.resp.RespFrames;
import io.eden.adapters.redis.resp.RespLimits;
import io.eden.adapters.redis.resp.RespParser;
import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespWriter;
import io.eden.domain.model.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Eden says on a new upstream connection before any client command: AUTH as the identity
 * it serves, and, once per listener, {@code COMMAND} to learn the server's command table.
 */
final class UpstreamHandshake {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHandshake.class);
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 5_000;

    private final CommandTables tables;

    UpstreamHandshake(CommandTables tables) {
        this.tables = tables;
    }

    /**
     * A migration's target: its connections log in with the endpoint's own credentials, not the
     * client's. The client proved itself to the source (its AUTH always goes there while a
     * migration runs); the target may well have other passwords.
     */
    private volatile Endpoint vouchedFor;

    void vouchFor(Endpoint endpoint) {
        vouchedFor = endpoint;
    }

    void open(Socket socket, Endpoint endpoint, Identity client) throws IOException {
        Identity identity = endpoint.equals(vouchedFor) && endpoint.uri().password().isPresent()
                ? Identity.of(endpoint.uri()) : client;
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        if (identity.authenticates()) {
            out.write(RespWriter.encodeCommandBytes(identity.authCommand()));
            out.flush();
            byte[] reply = readFrame(in);
            if (reply[0] == '-' || reply[0] == '!') {
                throw new IOException(new String(reply, 1, reply.length - 3, StandardCharsets.UTF_8));
            }
        }
        if (tables.needsLoading(endpoint)) {
            out.write(RespWriter.encodeCommand("COMMAND"));
            out.flush();
            byte[] reply = readFrame(in);
            try {
                RespParser parser = RespParser.forReplies(new RespLimits(1 << 26, 1_000_000, 16, 1 << 16));
                parser.feed(reply);
                RespValue value = parser.next();
                tables.loaded(endpoint, CommandTable.fromCommandReply(value, "COMMAND of " + endpoint.id()));
            } catch (RespProtocolException | IllegalArgumentException e) {
                LOG.info("Redis endpoint '{}': COMMAND unusable ({}); using the built-in command table",
                        endpoint.id(), e.getMessage());
                tables.loaded(endpoint, null);
            }
        }
        socket.setSoTimeout(timeout);
    }

    private static byte[] readFrame(InputStream in) throws IOException {
        byte[] buf = new byte[16 * 1024];
        int end = 0;
        while (true) {
            int frameEnd = end == 0 ? RespFrames.INCOMPLETE : RespFrames.end(buf, 0, end);
            if (frameEnd >= 0) {
                return Arrays.copyOf(buf, frameEnd);
            }
            if (frameEnd == RespFrames.MALFORMED) {
                throw new IOException("the server answered with a malformed reply");
            }
            if (end == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                throw new IOException("the server closed the connection during the handshake");
            }
            end += n;
        }
    }
}

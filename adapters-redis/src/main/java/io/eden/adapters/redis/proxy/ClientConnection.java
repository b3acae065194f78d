package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespParser;
import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespWriter;
import io.eden.application.spi.EdenMetrics.Counter;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Endpoint;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of an interlay and its own upstream connection. Requests are parsed (so malformed
 * input and oversized frames stop here) and forwarded in order, one flush per read so a
 * pipeline stays a pipeline; replies are copied back byte for byte on a second thread.
 * Redis answers one connection's commands in order, so pipelined replies stay in order.
 */
final class ClientConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    private static final int CHUNK = 16 * 1024;
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    /** How long replies to the commands before a malformed one may take before the error is sent. */
    private static final Duration REPLY_DRAIN = Duration.ofSeconds(2);
    /** After the client closed its side: how long the server may take to answer and close. */
    private static final Duration FINAL_REPLIES = Duration.ofSeconds(10);
    /** A client of an unreachable upstream is told so on its first command; do not wait forever for one. */
    private static final int REFUSAL_IDLE_MILLIS = 30_000;

    private final Socket client;
    private final String interlayId;
    private final RouteView route;
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final Counter commands;
    private final Consumer<ClientConnection> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Socket upstream;
    private volatile UpstreamAddress upstreamAddress;
    /** Set when the request side will send a last error itself, so the reply copier must not close the client. */
    private volatile boolean endingWithError;

    ClientConnection(Socket client, String interlayId, RouteView route, ProxySettings settings,
                     ProxyMetrics metrics, Counter commands, Consumer<ClientConnection> onClosed) {
        this.client = client;
        this.interlayId = interlayId;
        this.route = route;
        this.settings = settings;
        this.metrics = metrics;
        this.commands = commands;
        this.onClosed = onClosed;
    }

    void run() {
        try {
            Optional<Endpoint> source = route.current().source();
            if (source.isEmpty()) {
                metrics.noEndpointErrors.increment();
                refuse("Eden: interlay '" + interlayId + "' has no endpoint yet; create one with POST /api/v1/endpoints",
                        false);
            } else {
                connectAndForward(source.get());
            }
        } catch (IOException e) {
            LOG.debug("Redis interlay '{}': client {} ended: {}", interlayId, client.getRemoteSocketAddress(), e.toString());
        } finally {
            close();
        }
    }

    /** Closes both sides now; safe to call from any thread, more than once. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            Sockets.closeQuietly(client);
            Sockets.closeQuietly(upstream);
            onClosed.accept(this);
        }
    }

    private void connectAndForward(Endpoint endpoint) throws IOException {
        UpstreamAddress address = UpstreamAddress.of(endpoint.uri());
        upstreamAddress = address;
        try {
            upstream = UpstreamConnector.connect(address, settings.upstreamConnectTimeout(), Duration.ZERO);
        } catch (IOException e) {
            metrics.upstreamErrors.increment();
            String reason = UpstreamConnector.reason(e);
            LOG.warn("Redis interlay '{}': upstream {} unreachable: {}", interlayId, endpoint.uri().redacted(), reason);
            client.setSoTimeout(REFUSAL_IDLE_MILLIS);
            refuse("Eden: upstream " + address + " unreachable: " + reason, true);
            return;
        }
        if (closed.get()) {
            Sockets.closeQuietly(upstream); // the listener closed while we connected: close() saw no upstream yet
            return;
        }
        Thread replies = Thread.ofVirtual().name("eden-redis-" + interlayId + "-replies").start(this::copyReplies);
        forwardRequests(replies);
    }

    private void forwardRequests(Thread replies) throws IOException {
        RespParser requests = RespParser.forRequests(settings.clientLimits());
        RequestTimings timings = new RequestTimings();
        InputStream fromClient = client.getInputStream();
        OutputStream toUpstream = new BufferedOutputStream(upstream.getOutputStream(), 64 * 1024);
        byte[] chunk = new byte[CHUNK];
        int read;
        while ((read = fromClient.read(chunk)) >= 0) {
            requests.feed(chunk, 0, read);
            RespProtocolException malformed = forwardComplete(requests, toUpstream, timings);
            // the commands before a malformed frame are valid: Redis would run them, so they go too
            toUpstream.flush();
            timings.batchWritten(System.nanoTime(), metrics.requestLatency);
            if (malformed != null) {
                endWithProtocolError(malformed, replies);
                return;
            }
        }
        if (closed.get()) {
            return; // the copier or the listener already ended the connection
        }
        // the client closed its side: the server answers what it got, then closes, and the copier ends the client
        upstream.shutdownOutput();
        join(replies, FINAL_REPLIES);
    }

    /** Writes every complete command buffered in the parser; returns the protocol error that stopped it, if any. */
    private RespProtocolException forwardComplete(RespParser requests, OutputStream toUpstream, RequestTimings timings)
            throws IOException {
        try {
            RespValue frame;
            while ((frame = requests.next()) != null) {
                long readAt = System.nanoTime();
                if (RedisCommand.from(frame).isPresent()) {
                    RespWriter.write(frame, toUpstream);
                    timings.commandRead(readAt);
                    commands.increment();
                }
            }
            return null;
        } catch (RespProtocolException e) {
            return e;
        }
    }

    private void copyReplies() {
        byte[] chunk = new byte[CHUNK];
        try {
            InputStream fromUpstream = upstream.getInputStream();
            OutputStream toClient = client.getOutputStream();
            int read;
            while ((read = readUpstream(fromUpstream, chunk)) >= 0) {
                toClient.write(chunk, 0, read);
            }
        } catch (IOException e) {
            LOG.debug("Redis interlay '{}': client {} stopped taking replies: {}", interlayId,
                    client.getRemoteSocketAddress(), e.toString());
        } finally {
            if (!endingWithError && !closed.get()) {
                // the server closed (after QUIT, a timeout, a restart): so does the client's connection
                Sockets.closeAfterReply(client);
                close();
            }
        }
    }

    /** Reads from the server; a failure here (not a closed client) is an upstream error worth counting. */
    private int readUpstream(InputStream fromUpstream, byte[] chunk) throws IOException {
        try {
            return fromUpstream.read(chunk);
        } catch (IOException e) {
            if (!closed.get() && !endingWithError) {
                metrics.upstreamErrors.increment();
                LOG.warn("Redis interlay '{}': connection to upstream {} lost: {}", interlayId, upstreamAddress,
                        UpstreamConnector.reason(e));
            }
            return -1;
        }
    }

    /**
     * Ends the connection as Redis does on a malformed request: the replies of the commands
     * before it first, then {@code -ERR Protocol error: ...}, then close.
     */
    private void endWithProtocolError(RespProtocolException error, Thread replies) throws IOException {
        metrics.protocolErrors.increment();
        LOG.debug("Redis interlay '{}': protocol error from {}: {}", interlayId, client.getRemoteSocketAddress(),
                error.getMessage());
        endingWithError = true;
        try {
            upstream.shutdownOutput(); // the server answers what it has, then closes, which ends the copier
        } catch (IOException ignored) {
            // already gone: the copier ends by itself
        }
        if (!join(replies, REPLY_DRAIN)) {
            Sockets.closeQuietly(upstream);
            if (!join(replies, REPLY_DRAIN)) {
                return; // the client does not read: writing the error could block, closing is all that is left
            }
        }
        OutputStream toClient = client.getOutputStream();
        toClient.write(RespWriter.encodeError("ERR Protocol error: " + error.getMessage()));
        toClient.flush();
        Sockets.closeAfterReply(client);
    }

    /**
     * Answers every command with {@code message} (QUIT with +OK) without any upstream, so a
     * client learns why nothing works instead of seeing a dropped connection.
     */
    private void refuse(String message, boolean afterFirstReply) throws IOException {
        RespParser requests = RespParser.forRequests(settings.clientLimits());
        byte[] error = RespWriter.encodeError("ERR " + message);
        InputStream in = client.getInputStream();
        OutputStream out = new BufferedOutputStream(client.getOutputStream());
        byte[] chunk = new byte[CHUNK];
        int read;
        while ((read = in.read(chunk)) >= 0) {
            requests.feed(chunk, 0, read);
            try {
                RespValue frame;
                while ((frame = requests.next()) != null) {
                    Optional<RedisCommand> command = RedisCommand.from(frame);
                    if (command.isEmpty()) {
                        continue;
                    }
                    boolean quit = command.get().is("QUIT");
                    out.write(quit ? OK : error);
                    if (quit || afterFirstReply) {
                        out.flush();
                        Sockets.closeAfterReply(client);
                        return;
                    }
                }
            } catch (RespProtocolException e) {
                metrics.protocolErrors.increment();
                out.write(RespWriter.encodeError("ERR Protocol error: " + e.getMessage()));
                out.flush();
                Sockets.closeAfterReply(client);
                return;
            }
            out.flush();
        }
    }

    private static boolean join(Thread thread, Duration timeout) {
        try {
            return thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

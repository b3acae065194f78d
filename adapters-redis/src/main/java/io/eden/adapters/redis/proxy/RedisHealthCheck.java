package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespLimits;
import io.eden.adapters.redis.resp.RespParser;
import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.SimpleError;
import io.eden.adapters.redis.resp.RespValue.SimpleString;
import io.eden.adapters.redis.resp.RespWriter;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.Health;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a Redis endpoint for {@code PING}, authenticating first when its URI has a password.
 * The password goes to the server only: it appears in no log line and no exception message.
 * Failures are logged at debug level (checks repeat, and the caller reports the state), except
 * a failed TLS verification: a warning, once per endpoint and problem.
 */
public final class RedisHealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHealthCheck.class);
    /** Replies to AUTH and PING are tiny; a server sending more is not one we trust. */
    private static final RespLimits REPLY_LIMITS = RespLimits.DEFAULTS.withMaxBulkLength(64 * 1024)
            .withMaxAggregateLength(1024).withMaxDepth(8);
    private static final SimpleString OK = SimpleString.of("OK");
    private static final SimpleString PONG = SimpleString.of("PONG");

    private final Duration timeout;
    private final UpstreamTls tls;
    /** The TLS problem last warned about, per endpoint: a wrong CA is worth one warning, not one per check. */
    private final Map<String, String> warned = new ConcurrentHashMap<>();

    /** What a check found, and in words what was wrong (never a credential); {@code problem} is empty when healthy. */
    public record Finding(Health health, String problem) {
    }

    public RedisHealthCheck(Duration timeout, UpstreamTls tls) {
        this.timeout = timeout;
        this.tls = tls;
    }

    public Health check(Endpoint endpoint) {
        return examine(endpoint).health();
    }

    public Finding examine(Endpoint endpoint) {
        EndpointUri uri = endpoint.uri();
        try (Socket socket = UpstreamConnector.connect(UpstreamAddress.of(uri), timeout, timeout, tls)) {
            warned.remove(endpoint.id());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            RespParser replies = RespParser.forReplies(REPLY_LIMITS);
            if (uri.password().isPresent()) {
                byte[] auth = uri.user().isPresent()
                        ? RespWriter.encodeCommand("AUTH", uri.user().get(), uri.password().get())
                        : RespWriter.encodeCommand("AUTH", uri.password().get());
                out.write(auth);
                out.flush();
                RespValue reply = read(replies, in);
                if (!OK.equals(reply)) {
                    return unhealthy(uri, "refused authentication: " + errorCode(reply));
                }
            }
            out.write(RespWriter.encodeCommand("PING"));
            out.flush();
            RespValue reply = read(replies, in);
            if (PONG.equals(reply)) {
                return new Finding(Health.HEALTHY, "");
            }
            return unhealthy(uri, "answered PING with " + errorCode(reply));
        } catch (SSLException e) {
            String problem = UpstreamConnector.reason(e);
            if (!problem.equals(warned.put(endpoint.id(), problem))) {
                // a trust or name problem is configuration, not weather: it needs someone to act
                LOG.warn("Redis endpoint {} is unhealthy: {}", uri.redacted(), problem);
            }
            return new Finding(Health.UNHEALTHY, problem);
        } catch (IOException | RespProtocolException e) {
            return unhealthy(uri, e instanceof IOException io ? UpstreamConnector.reason(io) : e.getMessage());
        }
    }

    private static Finding unhealthy(EndpointUri uri, String problem) {
        LOG.debug("Redis endpoint {} is unhealthy: {}", uri.redacted(), problem);
        return new Finding(Health.UNHEALTHY, problem);
    }

    private static RespValue read(RespParser replies, InputStream in) throws IOException, RespProtocolException {
        byte[] chunk = new byte[1024];
        RespValue reply;
        while ((reply = replies.next()) == null) {
            int read = in.read(chunk);
            if (read < 0) {
                throw new EOFException("the server closed the connection");
            }
            replies.feed(chunk, 0, read);
        }
        return reply;
    }

    /** Only the error's code word: the rest of a server's message is not ours to put in a log. */
    private static String errorCode(RespValue reply) {
        if (reply instanceof SimpleError error) {
            String text = error.text();
            int space = text.indexOf(' ');
            return space < 0 ? text : text.substring(0, space);
        }
        return "a '" + reply.marker() + "' reply";
    }
}

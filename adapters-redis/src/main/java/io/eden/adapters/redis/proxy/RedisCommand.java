package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespValue.NullValue;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A client request as Redis accepts it: a non-empty array whose elements are all bulk strings. */
public record RedisCommand(ArrayValue frame) {

    /**
     * The command in a request frame, or empty for a frame Redis ignores ({@code *0}, {@code *-1}).
     *
     * @throws RespProtocolException when the frame is RESP but not a command, e.g. an array of integers
     */
    public static Optional<RedisCommand> from(RespValue request) throws RespProtocolException {
        if (request instanceof NullValue) {
            return Optional.empty();
        }
        if (!(request instanceof ArrayValue array)) {
            throw new RespProtocolException("expected '*', got '" + request.marker() + "'");
        }
        if (array.elements().isEmpty()) {
            return Optional.empty();
        }
        for (RespValue element : array.elements()) {
            if (!(element instanceof BulkString)) {
                throw new RespProtocolException("expected '$', got '" + element.marker() + "'");
            }
        }
        return Optional.of(new RedisCommand(array));
    }

    /** Whether the command name equals {@code name}, ignoring ASCII case as Redis does. */
    public boolean is(String name) {
        byte[] first = ((BulkString) frame.elements().getFirst()).bytes();
        return new String(first, StandardCharsets.ISO_8859_1).equalsIgnoreCase(name);
    }
}

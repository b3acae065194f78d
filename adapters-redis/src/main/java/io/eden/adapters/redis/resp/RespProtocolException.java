package io.eden.adapters.redis.resp;

/**
 * The peer sent bytes that are not valid RESP or exceed a {@link RespLimits limit}. The message
 * is what follows {@code Protocol error: } in the reply Redis would give, and never contains
 * CR or LF, so it can be sent to the client as is.
 */
public final class RespProtocolException extends Exception {

    public RespProtocolException(String message) {
        super(message.replace('\r', ' ').replace('\n', ' '));
    }
}

package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespWriter;
import io.eden.domain.model.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a client on the lanes told Eden about itself (CLIENT SETNAME, CLIENT SETINFO): kept by Eden
 * and answered as the server would, since the lanes' connections are shared, then replayed on the
 * client's own connection once it gets one (CLIENT ID, INFO, LIST...), so that the server knows the
 * client by them from then on. The session's input processing is its only user.
 */
final class ClientNames {
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INVALID_NAME = RespWriter.encodeError(
            "ERR Client names cannot contain spaces, newlines or special characters.");

    private byte[] name;
    private final Map<String, byte[]> info = new TreeMap<>();

    /**
     * The reply to {@code sub} (a command-table name such as {@code client|setname}) with
     * {@code args}, or null when the server is to answer it: another subcommand, a wrong number of
     * arguments, an attribute the server would refuse.
     */
    byte[] answer(String sub, List<RespValue> args) {
        switch (sub) {
            case "client|setname" -> {
                if (args.size() != 3) {
                    return null;
                }
                byte[] value = bytes(args, 2);
                if (!valid(value)) {
                    return INVALID_NAME;
                }
                name = value.length == 0 ? null : value;
                return OK;
            }
            case "client|getname" -> {
                if (args.size() != 2) {
                    return null;
                }
                return name == null ? NULL_BULK : RespWriter.encode(new BulkString(name));
            }
            case "client|setinfo" -> {
                if (args.size() != 4) {
                    return null;
                }
                String attribute = ((BulkString) args.get(2)).text().toLowerCase(Locale.ROOT);
                if (!attribute.equals("lib-name") && !attribute.equals("lib-ver") || !valid(bytes(args, 3))) {
                    return null; // the server's own error
                }
                info.put(attribute, bytes(args, 3));
                return OK;
            }
            default -> {
                return null;
            }
        }
    }

    /** Tells a new connection of the client's what the client told Eden; {@code replies} takes the answers. */
    void replayOn(UpstreamLink link, Endpoint endpoint, Waiter replies) throws UpstreamLink.Unavailable {
        if (name != null) {
            link.sendWords(endpoint, List.of(word("CLIENT"), word("SETNAME"), name), replies);
        }
        for (var entry : info.entrySet()) {
            link.sendWords(endpoint, List.of(word("CLIENT"), word("SETINFO"), word(entry.getKey()), entry.getValue()),
                    replies);
        }
    }

    /** RESET: the client is nameless again. */
    void clear() {
        name = null;
        info.clear();
    }

    static byte[] word(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean valid(byte[] value) {
        for (byte b : value) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(List<RespValue> args, int index) {
        return ((BulkString) args.get(index)).bytes();
    }
}

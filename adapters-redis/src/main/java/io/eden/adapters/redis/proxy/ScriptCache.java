package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespRequest;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Lua scripts clients sent through Eden (EVAL, SCRIPT LOAD), by SHA1. A mirrored EVALSHA
 * goes to the other side as EVAL with the body, because that side may never have seen the
 * script (it was loaded before the migration, or by SCRIPT LOAD on the source only).
 */
final class ScriptCache {
    private static final int LIMIT = 10_000;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();

    /** Remembers the body of an EVAL / EVAL_RO / SCRIPT LOAD. */
    void learn(String command, RespRequest request) {
        int body = switch (command) {
            case "eval", "eval_ro" -> 1;
            case "script" -> request.argCount() == 3 && request.argIs(1, "LOAD") ? 2 : -1;
            default -> -1;
        };
        if (body < 0 || request.argCount() <= body || bodies.size() >= LIMIT) {
            return;
        }
        byte[] script = request.arg(body);
        bodies.putIfAbsent(sha1(script), script);
    }

    /**
     * What to mirror instead of {@code request}'s own bytes: EVAL with the body for an EVALSHA
     * whose script is known; null when the mirror carries the request's bytes unchanged.
     */
    byte[] mirrorForm(RespRequest request) {
        boolean evalsha = request.argIs(0, "evalsha");
        if (!(evalsha || request.argIs(0, "evalsha_ro")) || request.argCount() < 2) {
            return null;
        }
        byte[] script = bodies.get(request.argText(1).toLowerCase(java.util.Locale.ROOT));
        if (script == null) {
            return null;
        }
        List<RespValue> words = new ArrayList<>(request.args());
        words.set(0, BulkString.of(evalsha ? "EVAL" : "EVAL_RO"));
        words.set(1, new BulkString(script));
        return RespWriter.encode(new ArrayValue(words));
    }

    private static String sha1(byte[] script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}

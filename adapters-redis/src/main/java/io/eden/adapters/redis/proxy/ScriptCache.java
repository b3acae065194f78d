package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
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
    void learn(String command, List<RespValue> args) {
        int body = switch (command) {
            case "eval", "eval_ro" -> 1;
            case "script" -> args.size() == 3 && ((BulkString) args.get(1)).text().equalsIgnoreCase("LOAD") ? 2 : -1;
            default -> -1;
        };
        if (body < 0 || args.size() <= body || bodies.size() >= LIMIT) {
            return;
        }
        byte[] script = ((BulkString) args.get(body)).bytes();
        bodies.putIfAbsent(sha1(script), script);
    }

    /** The form of {@code command} to mirror: EVAL with the body for an EVALSHA whose script is known, else as it is. */
    ArrayValue mirrorForm(String command, ArrayValue original) {
        boolean sha = command.equals("evalsha") || command.equals("evalsha_ro");
        if (!sha || original.elements().size() < 2) {
            return original;
        }
        byte[] script = bodies.get(((BulkString) original.elements().get(1)).text().toLowerCase(java.util.Locale.ROOT));
        if (script == null) {
            return original;
        }
        List<RespValue> words = new ArrayList<>(original.elements());
        words.set(0, BulkString.of(command.equals("evalsha") ? "EVAL" : "EVAL_RO"));
        words.set(1, new BulkString(script));
        return new ArrayValue(words);
    }

    private static String sha1(byte[] script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}

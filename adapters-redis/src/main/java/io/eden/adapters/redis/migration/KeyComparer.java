package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespValue.IntegerValue;
import io.eden.adapters.redis.resp.RespValue.SimpleString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares keys on both sides by type, value and expiry. Values are compared by their DUMP
 * first (one round trip for a batch); when the dumps differ, which can also mean the same
 * content in another encoding or order, by their content in a canonical order. The caller
 * holds the keys' lane, so no write is in flight between the two reads.
 */
final class KeyComparer {
    private final boolean absoluteExpiry;
    private final long ttlTolerance;

    KeyComparer(boolean absoluteExpiry, long ttlToleranceMillis) {
        this.absoluteExpiry = absoluteExpiry;
        this.ttlTolerance = ttlToleranceMillis;
    }

    /** The keys that differ, each with why. */
    Map<byte[], String> compare(RedisConnection source, RedisConnection target, List<byte[]> keys) throws IOException {
        List<Facts> left = facts(source, keys);
        List<Facts> right = facts(target, keys);
        Map<byte[], String> differences = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String why = difference(source, target, keys.get(i), left.get(i), right.get(i));
            if (why != null) {
                differences.put(keys.get(i), why);
            }
        }
        return differences;
    }

    private record Facts(String type, RespValue dump, long expiry) {
    }

    private List<Facts> facts(RedisConnection connection, List<byte[]> keys) throws IOException {
        for (byte[] key : keys) {
            connection.send(List.of(word("TYPE"), key));
            connection.send(List.of(word("DUMP"), key));
            connection.send(List.of(word(absoluteExpiry ? "PEXPIRETIME" : "PTTL"), key));
        }
        connection.flush();
        long now = System.currentTimeMillis();
        List<Facts> facts = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            RespValue type = connection.read();
            RespValue dump = connection.read();
            RespValue expiry = connection.read();
            long at = expiry instanceof IntegerValue n ? n.value() : -1;
            if (!absoluteExpiry && at >= 0) {
                at += now;
            }
            facts.add(new Facts(type instanceof SimpleString s ? s.text() : "none", dump, at));
        }
        return facts;
    }

    private String difference(RedisConnection source, RedisConnection target, byte[] key, Facts left, Facts right)
            throws IOException {
        if (left.type.equals("none") && right.type.equals("none")) {
            return null;
        }
        if (right.type.equals("none")) {
            return "missing on the target";
        }
        if (left.type.equals("none")) {
            return "missing on the source";
        }
        if (!left.type.equals(right.type)) {
            return "type " + left.type + " on the source, " + right.type + " on the target";
        }
        if (!left.dump.equals(right.dump) && !content(source, key, left.type).equals(content(target, key, right.type))) {
            return "different " + left.type + " values";
        }
        boolean leftExpires = left.expiry >= 0;
        boolean rightExpires = right.expiry >= 0;
        if (leftExpires != rightExpires) {
            return leftExpires ? "expires on the source only" : "expires on the target only";
        }
        if (leftExpires && Math.abs(left.expiry - right.expiry) > ttlTolerance) {
            return "expiry differs by " + Math.abs(left.expiry - right.expiry) + " ms";
        }
        return null;
    }

    /** The value as a canonical list of strings: sets and hashes sorted, lists and sorted sets in their order. */
    private static List<String> content(RedisConnection connection, byte[] key, String type) throws IOException {
        RespValue reply = switch (type) {
            case "string" -> connection.call(List.of(word("GET"), key));
            case "list" -> connection.call(List.of(word("LRANGE"), key, word("0"), word("-1")));
            case "set" -> connection.call(List.of(word("SMEMBERS"), key));
            case "hash" -> connection.call(List.of(word("HGETALL"), key));
            case "zset" -> connection.call(List.of(word("ZRANGE"), key, word("0"), word("-1"), word("WITHSCORES")));
            case "stream" -> connection.call(List.of(word("XRANGE"), key, word("-"), word("+")));
            default -> connection.call(List.of(word("DUMP"), key)); // a module's type: its dump is all we have
        };
        List<String> flat = new ArrayList<>();
        flatten(reply, flat);
        switch (type) {
            case "set" -> flat.sort(Comparator.naturalOrder());
            case "hash" -> {
                List<String> pairs = new ArrayList<>();
                for (int i = 0; i + 1 < flat.size(); i += 2) {
                    pairs.add(flat.get(i) + "\u0000" + flat.get(i + 1));
                }
                pairs.sort(Comparator.naturalOrder());
                return pairs;
            }
            default -> {
            }
        }
        return flat;
    }

    private static void flatten(RespValue value, List<String> into) {
        switch (value) {
            case ArrayValue array -> array.elements().forEach(e -> flatten(e, into));
            case BulkString bulk -> into.add(new String(bulk.bytes(), StandardCharsets.ISO_8859_1));
            default -> into.add(value.toString());
        }
    }

    private static byte[] word(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.eden.adapters.redis.migration;

import static io.eden.adapters.redis.migration.KeyCopier.concat;
import static io.eden.adapters.redis.migration.KeyCopier.word;

import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespValue.IntegerValue;
import io.eden.adapters.redis.resp.RespValue.SimpleError;
import io.eden.adapters.redis.resp.RespValue.SimpleString;
import io.eden.domain.model.DataMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies a key too big to DUMP whole: its elements in pieces (GETRANGE, LRANGE, HSCAN, SSCAN,
 * ZSCAN, XRANGE) into a temporary key on the target, which then replaces the key (RENAME) with
 * the source's expiry. Memory stays at one piece; the caller holds the key's lane throughout, so
 * only that lane's clients wait, and no write of the key can fall in between.
 */
final class BigKeyCopier {
    private static final int PIECE = 1000;
    private static final int STRING_PIECE = 1 << 20;
    private static final byte[] TEMPORARY_PREFIX = "eden:big-tmp:".getBytes(StandardCharsets.UTF_8);

    private final DataMode.Replace replace;

    BigKeyCopier(DataMode.Replace replace) {
        this.replace = replace;
    }

    /** Copies {@code key}; returns the bytes read, or throws when the target refuses a piece. */
    long copy(RedisConnection from, RedisConnection to, byte[] key) throws IOException {
        String type = from.call(List.of(word("TYPE"), key)) instanceof SimpleString s ? s.text() : "none";
        if (type.equals("none")) {
            expectOk(to.call(List.of(word("DEL"), key)), key);
            return 0;
        }
        if (replace == DataMode.Replace.NONE && to.call(List.of(word("EXISTS"), key)) instanceof IntegerValue n
                && n.value() > 0) {
            return 0; // the target's own value stays, as asked
        }
        byte[] temporary = concat(TEMPORARY_PREFIX, key);
        expectOk(to.call(List.of(word("DEL"), temporary)), key);
        long bytes = switch (type) {
            case "string" -> copyString(from, to, key, temporary);
            case "list" -> copyRange(from, to, key, temporary);
            case "hash" -> copyScanned(from, to, key, temporary, "HSCAN", "HSET", false);
            case "set" -> copyScanned(from, to, key, temporary, "SSCAN", "SADD", false);
            case "zset" -> copyScanned(from, to, key, temporary, "ZSCAN", "ZADD", true);
            case "stream" -> copyStream(from, to, key, temporary);
            default -> throw new IOException("key " + KeyCopier.printable(key) + " of type " + type
                    + " is over copy-big-key-bytes and cannot be copied in pieces; raise the option");
        };
        RespValue expiry = from.call(List.of(word("PTTL"), key));
        if (replace == DataMode.Replace.MERGE) {
            expectOk(to.call(List.of(word("EVAL"), KeyCopier.MERGE_SCRIPT, word("2"), key, temporary)), key);
        } else {
            expectOk(to.call(List.of(word("RENAME"), temporary, key)), key);
        }
        if (expiry instanceof IntegerValue left && left.value() > 0) {
            expectOk(to.call(List.of(word("PEXPIRE"), key, word(Long.toString(left.value())))), key);
        }
        return bytes;
    }

    private static long copyString(RedisConnection from, RedisConnection to, byte[] key, byte[] temporary)
            throws IOException {
        long length = from.call(List.of(word("STRLEN"), key)) instanceof IntegerValue n ? n.value() : 0;
        for (long at = 0; at < length; at += STRING_PIECE) {
            RespValue piece = from.call(List.of(word("GETRANGE"), key, word(Long.toString(at)),
                    word(Long.toString(Math.min(length, at + STRING_PIECE) - 1))));
            if (!(piece instanceof BulkString bulk)) {
                throw new IOException("GETRANGE of " + KeyCopier.printable(key) + " answered " + piece);
            }
            expectOk(to.call(List.of(word("APPEND"), temporary, bulk.bytes())), key);
        }
        return length;
    }

    private static long copyRange(RedisConnection from, RedisConnection to, byte[] key, byte[] temporary)
            throws IOException {
        long bytes = 0;
        for (long at = 0; ; at += PIECE) {
            List<byte[]> elements = strings(from.call(List.of(word("LRANGE"), key, word(Long.toString(at)),
                    word(Long.toString(at + PIECE - 1)))));
            if (elements.isEmpty()) {
                return bytes;
            }
            bytes += write(to, "RPUSH", temporary, elements, key);
        }
    }

    private static long copyScanned(RedisConnection from, RedisConnection to, byte[] key, byte[] temporary,
                                    String scan, String add, boolean scoreFirst) throws IOException {
        long bytes = 0;
        String cursor = "0";
        do {
            RespValue page = from.call(List.of(word(scan), key, word(cursor), word("COUNT"),
                    word(Integer.toString(PIECE))));
            if (!(page instanceof ArrayValue parts) || parts.elements().size() != 2) {
                throw new IOException(scan + " of " + KeyCopier.printable(key) + " answered " + page);
            }
            cursor = ((BulkString) parts.elements().get(0)).text();
            List<byte[]> found = strings(parts.elements().get(1));
            if (scoreFirst) { // ZSCAN gives member, score; ZADD wants score, member
                for (int i = 0; i + 1 < found.size(); i += 2) {
                    byte[] member = found.get(i);
                    found.set(i, found.get(i + 1));
                    found.set(i + 1, member);
                }
            }
            if (!found.isEmpty()) {
                bytes += write(to, add, temporary, found, key);
            }
        } while (!cursor.equals("0"));
        return bytes;
    }

    private static long copyStream(RedisConnection from, RedisConnection to, byte[] key, byte[] temporary)
            throws IOException {
        long bytes = 0;
        String start = "-";
        while (true) {
            RespValue page = from.call(List.of(word("XRANGE"), key, word(start), word("+"), word("COUNT"),
                    word(Integer.toString(PIECE))));
            if (!(page instanceof ArrayValue entries) || entries.elements().isEmpty()) {
                return bytes;
            }
            for (RespValue entry : entries.elements()) {
                List<RespValue> parts = ((ArrayValue) entry).elements();
                byte[] id = ((BulkString) parts.get(0)).bytes();
                List<byte[]> words = new ArrayList<>(List.of(word("XADD"), temporary, id));
                words.addAll(strings(parts.get(1)));
                to.send(words);
                bytes += id.length;
                start = "(" + new String(id, StandardCharsets.US_ASCII);
            }
            to.flush();
            for (int i = 0; i < entries.elements().size(); i++) {
                expectOk(to.read(), key);
            }
        }
    }

    private static long write(RedisConnection to, String command, byte[] temporary, List<byte[]> values, byte[] key)
            throws IOException {
        List<byte[]> words = new ArrayList<>(values.size() + 2);
        words.add(word(command));
        words.add(temporary);
        words.addAll(values);
        expectOk(to.call(words), key);
        long bytes = 0;
        for (byte[] v : values) {
            bytes += v.length;
        }
        return bytes;
    }

    private static List<byte[]> strings(RespValue value) throws IOException {
        if (!(value instanceof ArrayValue array)) {
            throw new IOException("expected a list of strings, got " + value);
        }
        List<byte[]> strings = new ArrayList<>(array.elements().size());
        for (RespValue v : array.elements()) {
            strings.add(((BulkString) v).bytes());
        }
        return strings;
    }

    private static void expectOk(RespValue reply, byte[] key) throws IOException {
        if (reply instanceof SimpleError error) {
            throw new IOException("copying big key " + KeyCopier.printable(key) + ": the target answered "
                    + error.text());
        }
    }
}

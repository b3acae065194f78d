package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespValue.IntegerValue;
import io.eden.adapters.redis.resp.RespValue.SimpleError;
import io.eden.domain.model.DataMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Copies keys from one server to another with DUMP and RESTORE, pipelined: the key's value and
 * its absolute expiry time (PEXPIRETIME, or PTTL on servers before 7.0), then RESTORE ... ABSTTL
 * as the {@code replace} mode says, or DEL when the key is gone. The caller holds the keys'
 * lane, so no write can fall between the DUMP and the RESTORE.
 */
final class KeyCopier {
    private static final byte[] DUMP = word("DUMP");
    private static final byte[] PEXPIRETIME = word("PEXPIRETIME");
    private static final byte[] PTTL = word("PTTL");
    private static final byte[] RESTORE = word("RESTORE");
    private static final byte[] REPLACE = word("REPLACE");
    private static final byte[] ABSTTL = word("ABSTTL");
    private static final byte[] DEL = word("DEL");
    private static final byte[] EVAL = word("EVAL");
    private static final byte[] TWO = word("2");
    private static final byte[] MERGE_PREFIX = word("eden:merge-tmp:");
    /**
     * Merges the restored source value (KEYS[2], a temporary key) into the target's (KEYS[1]):
     * hash fields, set members and sorted-set members are added, the source's winning where
     * both have one; any other type, or a type clash, is the source's value whole. The result
     * takes the source's expiry.
     */
    static final byte[] MERGE_SCRIPT = word("""
            local dst, tmp = KEYS[1], KEYS[2]
            local t = redis.call('TYPE', tmp)['ok']
            if t == 'none' then return 0 end
            local dt = redis.call('TYPE', dst)['ok']
            if dt ~= t or (t ~= 'hash' and t ~= 'set' and t ~= 'zset') then
              redis.call('RENAME', tmp, dst)
              return 1
            end
            local expire = redis.call('PTTL', tmp)
            if t == 'hash' then
              local kv = redis.call('HGETALL', tmp)
              for i = 1, #kv, 2 do redis.call('HSET', dst, kv[i], kv[i + 1]) end
            elseif t == 'set' then
              for _, m in ipairs(redis.call('SMEMBERS', tmp)) do redis.call('SADD', dst, m) end
            else
              local ms = redis.call('ZRANGE', tmp, 0, -1, 'WITHSCORES')
              for i = 1, #ms, 2 do redis.call('ZADD', dst, ms[i + 1], ms[i]) end
            end
            redis.call('DEL', tmp)
            if expire > 0 then redis.call('PEXPIRE', dst, expire) else redis.call('PERSIST', dst) end
            return 2
            """);

    private final DataMode.Replace replace;
    private final boolean absoluteExpiry;

    /** What one call did. */
    record Outcome(int copied, int deleted, int skipped, long bytes, List<String> errors) {
    }

    /**
     * @param absoluteExpiry whether the source knows PEXPIRETIME (Redis 7); else PTTL, made absolute here
     */
    KeyCopier(DataMode.Replace replace, boolean absoluteExpiry) {
        this.replace = replace;
        this.absoluteExpiry = absoluteExpiry;
    }

    /** Whether {@code connection}'s server answers PEXPIRETIME. */
    static boolean knowsExpireTime(RedisConnection connection) throws IOException {
        return !(connection.call("PEXPIRETIME", "eden:probe") instanceof SimpleError);
    }

    /** Copies {@code keys} and waits until the target has them. */
    Outcome copy(RedisConnection from, RedisConnection to, List<byte[]> keys) throws IOException {
        requestDumps(from, keys);
        from.flush();
        Pending pending = restore(from, to, keys);
        to.flush();
        return finish(to, pending);
    }

    /** Restores sent to the target whose replies are still to be read. */
    static final class Pending {
        private final boolean[] counts;
        private int sent;
        private int deleted;
        private long bytes;
        private final List<String> errors = new ArrayList<>();

        private Pending(int keys) {
            counts = new boolean[keys * 2];
        }
    }

    /** Step 1: asks the source for each key's dump and expiry; the caller flushes. */
    void requestDumps(RedisConnection from, List<byte[]> keys) throws IOException {
        for (byte[] key : keys) {
            from.send(List.of(DUMP, key));
            from.send(List.of(absoluteExpiry ? PEXPIRETIME : PTTL, key));
        }
    }

    /** Step 2: reads the dumps and sends what restores them (or deletes what is gone); the caller flushes. */
    Pending restore(RedisConnection from, RedisConnection to, List<byte[]> keys) throws IOException {
        Pending pending = new Pending(keys.size());
        long now = System.currentTimeMillis();
        for (byte[] key : keys) {
            RespValue dump = from.read();
            RespValue expiry = from.read();
            if (dump instanceof SimpleError error) {
                pending.errors.add(printable(key) + ": DUMP failed: " + error.text());
                continue;
            }
            long expires = expiry instanceof IntegerValue i ? i.value() : -2;
            if (!(dump instanceof BulkString payload) || expires == -2) {
                to.send(List.of(DEL, key)); // gone on the source: gone on the target too
                pending.deleted++;
                pending.sent++;
                continue;
            }
            long at = expires < 0 ? 0 : absoluteExpiry ? expires : now + expires;
            byte[] ttl = word(Long.toString(at));
            pending.bytes += payload.bytes().length;
            switch (replace) {
                case REPLACE -> to.send(List.of(RESTORE, key, ttl, payload.bytes(), REPLACE, ABSTTL));
                case NONE -> to.send(List.of(RESTORE, key, ttl, payload.bytes(), ABSTTL));
                case MERGE -> {
                    byte[] temporary = concat(MERGE_PREFIX, key);
                    to.send(List.of(RESTORE, temporary, ttl, payload.bytes(), REPLACE, ABSTTL));
                    pending.sent++;
                    to.send(List.of(EVAL, MERGE_SCRIPT, TWO, key, temporary));
                }
            }
            pending.counts[pending.sent++] = true;
        }
        return pending;
    }

    /** Step 3: reads the target's replies. */
    Outcome finish(RedisConnection to, Pending pending) throws IOException {
        int copied = 0;
        int skipped = 0;
        for (int i = 0; i < pending.sent; i++) {
            RespValue reply = to.read();
            if (reply instanceof SimpleError error) {
                if (replace == DataMode.Replace.NONE && error.text().startsWith("BUSYKEY")) {
                    skipped++; // the target's own value stays, as asked
                } else if (pending.errors.size() < 10) {
                    pending.errors.add("RESTORE failed: " + error.text());
                }
            } else if (pending.counts[i]) {
                copied++;
            }
        }
        return new Outcome(copied, pending.deleted, skipped, pending.bytes, pending.errors);
    }

    static String printable(byte[] key) {
        String text = new String(key, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    static byte[] word(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package io.eden.bootstrap.migration;

import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;

/**
 * The data a source holds before a migration: keys of every type (string, hash, list, set, zset,
 * stream), deterministic by index so a reader can tell what a key must hold, every seventh with a
 * long expiry and a few with one that runs out while the copy goes on. Written pipelined, directly
 * to the server.
 */
final class Keyspaces {
    private static final int TYPES = 6;
    private static final int PIPELINE = 5_000;

    private Keyspaces() {
    }

    /** Writes {@code count} keys into database {@code db}; returns how many. */
    static int preload(Jedis direct, int db, int count) {
        direct.select(db);
        Pipeline pipeline = direct.pipelined();
        for (int i = 0; i < count; i++) {
            String key = key(db, i);
            switch (i % TYPES) {
                case 0 -> pipeline.set(key, stringValue(db, i));
                case 1 -> pipeline.hset(key, Map.of("name", "item-" + i, "n", Integer.toString(i), "db",
                        Integer.toString(db)));
                case 2 -> pipeline.rpush(key, "a" + i, "b" + i, "c" + i, "a" + i);
                case 3 -> pipeline.sadd(key, "s" + i, "t" + i, "u" + (i % 17));
                case 4 -> pipeline.zadd(key, Map.of("x" + i, i * 0.5, "y" + i, (double) -i, "z", 1.0));
                default -> pipeline.xadd(key, new StreamEntryID(1_700_000_000_000L + i, i % 3),
                        Map.of("event", "e" + i, "db", Integer.toString(db)));
            }
            if (expiresSoon(i)) {
                pipeline.pexpire(key, 3_000 + (i % 5_000));
            } else if (i % 7 == 0) {
                pipeline.pexpire(key, 3_600_000L + i);
            }
            if (i % PIPELINE == PIPELINE - 1) {
                pipeline.sync();
            }
        }
        pipeline.sync();
        direct.select(0);
        return count;
    }

    static String key(int db, int i) {
        return "pre:" + db + ":" + i;
    }

    /** Strings of several sizes, a few of them a few kilobytes. */
    static String stringValue(int db, int i) {
        String value = "v" + db + "-" + i + "-";
        return i % 60 == 0 ? value + "x".repeat(4_096) : value + Integer.toString(i * 31, 36);
    }

    static boolean expiresSoon(int i) {
        return i % 97 == 0;
    }

    /** A string key that never expires and no writer touches: a reader knows exactly what it holds. */
    static boolean isStableString(int i) {
        return i % TYPES == 0 && i % 7 != 0 && !expiresSoon(i);
    }
}

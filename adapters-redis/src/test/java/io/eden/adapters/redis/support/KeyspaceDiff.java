package io.eden.adapters.redis.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * An independent key-by-key comparison of two servers (not Eden's validator): every key of
 * either side, by type, value and expiry (within a second), in the given databases.
 */
public final class KeyspaceDiff {
    private KeyspaceDiff() {
    }

    public static List<String> differences(Jedis source, Jedis target, int... databases) {
        List<String> found = new ArrayList<>();
        for (int db : databases) {
            source.select(db);
            target.select(db);
            Set<String> keys = new TreeSet<>(keys(source));
            keys.addAll(keys(target));
            for (String key : keys) {
                String why = difference(source, target, key);
                if (why != null) {
                    found.add("db" + db + ":" + key + " " + why);
                }
            }
        }
        source.select(0);
        target.select(0);
        return found;
    }

    private static Set<String> keys(Jedis jedis) {
        Set<String> keys = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(1000));
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    private static String difference(Jedis source, Jedis target, String key) {
        String type = source.type(key);
        if (!type.equals(target.type(key))) {
            return "type " + type + " vs " + target.type(key);
        }
        Object left = value(source, key, type);
        Object right = value(target, key, type);
        if (!String.valueOf(left).equals(String.valueOf(right))) {
            return "value " + left + " vs " + right;
        }
        long ttlLeft = source.pttl(key);
        long ttlRight = target.pttl(key);
        if ((ttlLeft < 0) != (ttlRight < 0) || Math.abs(ttlLeft - ttlRight) > 1000) {
            return "ttl " + ttlLeft + " vs " + ttlRight;
        }
        return null;
    }

    private static Object value(Jedis jedis, String key, String type) {
        return switch (type) {
            case "string" -> jedis.get(key);
            case "list" -> jedis.lrange(key, 0, -1);
            case "set" -> new TreeSet<>(jedis.smembers(key));
            case "hash" -> new java.util.TreeMap<>(jedis.hgetAll(key));
            case "zset" -> jedis.zrangeWithScores(key, 0, -1);
            case "stream" -> jedis.xrange(key, "-", "+").toString();
            default -> type;
        };
    }
}

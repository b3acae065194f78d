package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.proxy.LaneGate;
import io.eden.adapters.redis.resp.RespValue.IntegerValue;
import io.eden.domain.routing.Side;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Compares both sides in both directions: every key of the source against the target, then
 * every key of the target that the source lacks. Each lane's share is compared while holding
 * the lane, so a write in flight is never seen half applied. A key found different is checked
 * again in a few rounds (a key that was expiring, a write that just landed) before it counts.
 */
final class Validator {
    private static final int ROUNDS = 3;
    private static final long ROUND_PAUSE_MILLIS = 200;
    private static final int SCAN_COUNT = 1000;

    private final LaneGate gate;
    private final Connections connections;
    private final long ttlTolerance;

    /** A key found different, by database. */
    record Difference(int db, byte[] key, String why) {
        String describe() {
            return "db" + db + ":" + KeyCopier.printable(key) + " (" + why + ")";
        }
    }

    /** What a validation found. */
    record Result(Instant at, long compared, List<Difference> differences) {
    }

    Validator(LaneGate gate, Connections connections, long ttlToleranceMillis) {
        this.gate = gate;
        this.connections = connections;
        this.ttlTolerance = ttlToleranceMillis;
    }

    Result validate() throws IOException {
        try {
            RedisConnection probe = connections.get(Side.SOURCE, 0);
            KeyComparer comparer = new KeyComparer(KeyCopier.knowsExpireTime(probe)
                    && KeyCopier.knowsExpireTime(connections.get(Side.TARGET, 0)), ttlTolerance);
            SortedSet<Integer> databases = new TreeSet<>(Keyspace.of(probe).keySet());
            databases.addAll(Keyspace.of(connections.get(Side.TARGET, 0)).keySet());
            long compared = 0;
            List<Difference> suspects = new ArrayList<>();
            for (int db : databases) {
                RedisConnection source = connections.get(Side.SOURCE, db);
                RedisConnection target = connections.get(Side.TARGET, db);
                compared += walk(source, keys -> LaneBatches.forEachLane(gate, keys,
                        share -> comparer.compare(source, target, share).forEach((key, why) ->
                                suspects.add(new Difference(db, key, why)))));
                compared += walk(target, keys -> LaneBatches.forEachLane(gate, keys,
                        share -> onlyOnTarget(source, target, share).forEach(key ->
                                suspects.add(new Difference(db, key, "missing on the source")))));
            }
            return new Result(Instant.now(), compared, recheck(comparer, suspects));
        } finally {
            connections.close();
        }
    }

    private interface Batch {
        void accept(List<byte[]> keys) throws IOException;
    }

    private static long walk(RedisConnection connection, Batch batch) throws IOException {
        String cursor = "0";
        long seen = 0;
        ScanPage page;
        do {
            page = ScanPage.read(connection, cursor, SCAN_COUNT);
            seen += page.keys().size();
            batch.accept(page.keys());
            cursor = page.next();
        } while (!page.last());
        return seen;
    }

    /** Of keys the target has, those the source lacks (both checked now, under the lane). */
    private static List<byte[]> onlyOnTarget(RedisConnection source, RedisConnection target, List<byte[]> keys)
            throws IOException {
        boolean[] onSource = exists(source, keys);
        boolean[] onTarget = exists(target, keys);
        List<byte[]> only = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (onTarget[i] && !onSource[i]) {
                only.add(keys.get(i));
            }
        }
        return only;
    }

    private static boolean[] exists(RedisConnection connection, List<byte[]> keys) throws IOException {
        for (byte[] key : keys) {
            connection.send(List.of("EXISTS".getBytes(), key));
        }
        connection.flush();
        boolean[] found = new boolean[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            found[i] = connection.read() instanceof IntegerValue n && n.value() > 0;
        }
        return found;
    }

    private List<Difference> recheck(KeyComparer comparer, List<Difference> suspects) throws IOException {
        List<Difference> remaining = suspects;
        for (int round = 0; round < ROUNDS && !remaining.isEmpty(); round++) {
            pause();
            Map<Integer, List<byte[]>> byDb = new LinkedHashMap<>();
            for (Difference d : remaining) {
                byDb.computeIfAbsent(d.db(), x -> new ArrayList<>()).add(d.key());
            }
            List<Difference> still = new ArrayList<>();
            for (Map.Entry<Integer, List<byte[]>> entry : byDb.entrySet()) {
                int db = entry.getKey();
                RedisConnection source = connections.get(Side.SOURCE, db);
                RedisConnection target = connections.get(Side.TARGET, db);
                LaneBatches.forEachLane(gate, entry.getValue(), share -> comparer.compare(source, target, share)
                        .forEach((key, why) -> still.add(new Difference(db, key, why))));
            }
            remaining = still;
        }
        return remaining;
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(ROUND_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

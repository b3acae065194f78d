package io.eden.bootstrap.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.SetParams;

/** The checker the migration tests trust, against two real redis-servers: it must see every kind of difference. */
class KeyspaceCheckerTest {
    private static RealRedis left;
    private static RealRedis right;

    @BeforeAll
    static void startRedis() {
        left = RealRedis.start();
        right = RealRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        for (RealRedis redis : new RealRedis[] {left, right}) {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @BeforeEach
    void emptyBoth() {
        for (RealRedis redis : new RealRedis[] {left, right}) {
            try (Jedis jedis = redis.direct()) {
                jedis.flushAll();
            }
        }
    }

    private static KeyspaceChecker checker() {
        return KeyspaceChecker.between("left", left, "right", right);
    }

    @Test
    void identicalServersHaveNoDifference() {
        fillBoth();
        KeyspaceChecker.Result result = checker().compare();
        assertTrue(result.identical(), result.summary());
        assertEquals(2 * SAMPLE_KEYS, result.keysCompared(), "both databases were read: " + result);
        assertEquals(0, result.rechecked());
    }

    @Test
    void everyKindOfDifferenceIsReported() {
        fillBoth();
        try (Jedis l = left.direct(); Jedis r = right.direct()) {
            r.set("str:7", "changed");                              // a changed string
            r.del("hash:3");                                        // a key missing on one side
            l.expire("list:2", 1000);                               // an expiry on one side only
            l.expire("set:4", 30);                                  // expiries far apart
            r.expire("set:4", 3000);
            r.zincrby("zset:1", 1, "m1");                           // a changed score
            l.xadd("stream:0", StreamEntryID.NEW_ENTRY, Map.of("extra", "1")); // an extra stream entry
            r.hset("hash:5", "f0", "other");                        // a changed hash field
            r.rpush("list:6", "tail");                              // a longer list
            r.select(3);
            r.set("only-in-db3", "x");                              // a key in db 3 on one side
        }
        KeyspaceChecker.Result result = checker().compare();
        String text = result.summary();
        assertEquals(9, result.differenceCount(), text);
        for (String expected : List.of("db0 'str:7': string value differs", "db0 'hash:3': only on left",
                "db0 'list:2': expiry differs", "db0 'set:4': expiry differs", "db0 'zset:1': zset value differs",
                "db0 'stream:0': stream value differs", "db0 'hash:5': hash value differs",
                "db0 'list:6': list value differs", "db3 'only-in-db3': only on right")) {
            assertTrue(text.contains(expected), "missing <" + expected + "> in:\n" + text);
        }
    }

    @Test
    void aTypeDifferenceAndTheDatabaseOfEachKeyAreNamed() {
        try (Jedis l = left.direct(); Jedis r = right.direct()) {
            l.select(2);
            r.select(2);
            l.set("k", "1");
            r.sadd("k", "1");
        }
        KeyspaceChecker.Result result = checker().compare();
        assertEquals(List.of("db2 'k': type string on left, set on right"), result.firstDifferences());
    }

    @Test
    void aKeyThatExpiresDuringTheComparisonIsNotReported() {
        fillBoth();
        try (Jedis l = left.direct()) {
            l.set("fleeting", "soon gone", SetParams.setParams().px(400));
        }
        KeyspaceChecker.Result result = checker().recheckAfter(Duration.ofMillis(700)).compare();
        assertTrue(result.identical(), result.summary());
        assertEquals(1, result.rechecked(), "the key was seen on one side and read again: " + result);
    }

    @Test
    void theListIsCappedButEveryDifferenceIsCounted() {
        try (Jedis l = left.direct()) {
            for (int i = 0; i < 50; i++) {
                l.set("left-only:" + i, "v");
            }
        }
        KeyspaceChecker.Result result = checker().recheckAfter(Duration.ofMillis(10)).firstDifferences(10).compare();
        assertEquals(50, result.differenceCount());
        assertEquals(10, result.firstDifferences().size());
        assertFalse(result.identical());
        assertTrue(result.summary().contains("and 40 more"), result.summary());
    }

    @Test
    void expiriesWithinTheToleranceAgree() {
        try (Jedis l = left.direct(); Jedis r = right.direct()) {
            l.set("ttl", "v", SetParams.setParams().px(100_000));
            r.set("ttl", "v", SetParams.setParams().px(99_500));
            l.set("far", "v", SetParams.setParams().px(100_000));
            r.set("far", "v", SetParams.setParams().px(90_000));
        }
        KeyspaceChecker.Result result = checker().ttlTolerance(Duration.ofSeconds(1)).compare();
        assertEquals(List.of("db0 'far': expiry differs: pttl"), result.firstDifferences().stream()
                .map(d -> d.substring(0, d.indexOf("pttl") + 4)).toList(), result.summary());
    }

    private static final int SAMPLE_KEYS = 6 * 10;

    /** The same keys of every type, some with an expiry, in db 0 and db 3 of both servers. */
    private static void fillBoth() {
        for (RealRedis redis : new RealRedis[] {left, right}) {
            try (Jedis jedis = redis.direct()) {
                for (int db : new int[] {0, 3}) {
                    jedis.select(db);
                    for (int i = 0; i < 10; i++) {
                        jedis.set("str:" + i, "value-" + i);
                        jedis.hset("hash:" + i, Map.of("f0", "a" + i, "f1", "b" + i));
                        jedis.rpush("list:" + i, "x" + i, "y" + i, "z" + i);
                        jedis.sadd("set:" + i, "s" + i, "t" + i);
                        jedis.zadd("zset:" + i, Map.of("m0", 1.0 + i, "m1", 2.5 + i));
                        jedis.xadd("stream:" + i, new StreamEntryID(1000 + i, 0), Map.of("field", "v" + i));
                        if (i % 3 == 0) {
                            jedis.pexpire("str:" + i, 600_000);
                        }
                    }
                }
            }
        }
    }
}

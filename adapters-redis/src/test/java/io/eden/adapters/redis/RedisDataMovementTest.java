package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.migration.MovementSettings;
import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.KeyspaceDiff;
import io.eden.adapters.redis.support.Movements;
import io.eden.adapters.redis.support.MovingRoute;
import io.eden.adapters.redis.support.RealRedis;
import io.eden.adapters.redis.support.RecordingMetrics;
import io.eden.application.spi.DataMovement;
import io.eden.application.spi.EndpointUnavailableException;
import io.eden.application.spi.ValidationReport;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.Transaction;

/**
 * The Redis data movement against two real servers: the copy of every type, TTL and database
 * while clients keep writing through Eden, validation that finds real differences and not
 * in-flight ones, the replace modes, resume from checkpoints, and a target that dies.
 */
class RedisDataMovementTest {
    private static final MovementSettings FAST = MovementSettings.DEFAULTS;

    @Test
    void copies_every_key_of_every_database_while_clients_write_and_loses_no_write() throws Exception {
        try (RealRedis source = RealRedis.start(); RealRedis target = RealRedis.start()) {
            Endpoint from = source.endpoint("old", "");
            Endpoint to = target.endpoint("new", "");
            fill(source, 0, 20_000);
            fill(source, 3, 2_000);
            Movements movements = new Movements();
            copyWhileClientsWrite(from, to, movements, false, false, movement -> {
                assertTrue(movement.progress().keysCopied() >= 22_000, "copied " + movement.progress());
                assertEquals(1, movements.completions.get());
                ValidationReport report = movement.validate();
                assertTrue(report.clean(), "validation: " + report);
                assertTrue(report.keysCompared() >= 22_000, "compared " + report.keysCompared());
            });
            assertSameAndNoWriteLost(source, target, 0, 3);
        }
    }

    /**
     * Clients that started writing before the migration began: pipelining ones (their commands go
     * to the lanes in batches), or the mixed writers (transactions, scripts, SELECT: pinned
     * commands that touch keys). The route changes under them, the copy runs, and not one
     * acknowledged write is missing on either side.
     */
    @ParameterizedTest(name = "pipelined: {0}")
    @ValueSource(booleans = {true, false})
    void clients_writing_across_the_start_of_a_migration_lose_no_write(boolean pipelined) throws Exception {
        try (RealRedis source = RealRedis.start(); RealRedis target = RealRedis.start()) {
            fill(source, 0, 5_000);
            copyWhileClientsWrite(source.endpoint("old", ""), target.endpoint("new", ""), new Movements(), true,
                    pipelined, movement -> {
                    });
            // pipelines spread increments over 3,000 counters; the mixed writers keep a few
            assertTrue(Writers.acknowledged.size() > (pipelined ? 1000 : 5), "counters: " + Writers.acknowledged.size());
            assertSameAndNoWriteLost(source, target, 0, 3);
        }
    }

    /** Both servers hold the same keys and values, and every increment a client saw acknowledged. */
    private static void assertSameAndNoWriteLost(RealRedis source, RealRedis target, int... databases) {
        try (Jedis s = source.direct(); Jedis t = target.direct()) {
            List<String> differences = KeyspaceDiff.differences(s, t, databases);
            assertTrue(differences.isEmpty(), differences.size() + " keys differ, e.g. "
                    + differences.subList(0, Math.min(10, differences.size())));
            for (var counter : Writers.acknowledged.entrySet()) {
                assertEquals(Long.toString(counter.getValue().get()), s.get(counter.getKey()), counter.getKey());
                assertEquals(Long.toString(counter.getValue().get()), t.get(counter.getKey()), counter.getKey());
            }
        }
    }

    @Test
    void validation_lists_real_differences_and_they_get_repaired() throws Exception {
        try (RealRedis source = RealRedis.start(); RealRedis target = RealRedis.start()) {
            Endpoint from = source.endpoint("old", "");
            Endpoint to = target.endpoint("new", "");
            fill(source, 0, 2_000);
            Movements movements = new Movements();
            try (EdenUnderTest eden = migrating(from, to)) {
                DataMovement movement = eden.adapter.startDataMovement(movements.request(from, to,
                        DataMode.Replace.REPLACE, new FailureHandling.AllowPartial()));
                try {
                    await(() -> movement.progress().copyComplete(), Duration.ofSeconds(30));
                    try (Jedis t = target.direct()) { // behind Eden's back
                        t.set("string:6", "changed");
                        t.del("hash:8");
                        t.set("only-on-target", "x");
                        t.pexpire("list:7", 600_000);
                    }
                    ValidationReport report = movement.validate();
                    assertEquals(4, report.differences(), report.toString());
                    String listed = String.join("\n", report.firstDifferences());
                    assertTrue(listed.contains("db0:string:6 (different string values)"), listed);
                    assertTrue(listed.contains("db0:hash:8 (missing on the target)"), listed);
                    assertTrue(listed.contains("db0:only-on-target (missing on the source)"), listed);
                    assertTrue(listed.contains("db0:list:7 (expires on the target only)"), listed);
                    await(() -> movement.progress().divergentKeys() == 0, Duration.ofSeconds(10));
                    assertTrue(movement.validate().clean(), "repaired from the source");
                    target.close();
                    EndpointUnavailableException down = assertThrows(EndpointUnavailableException.class,
                            movement::validate, "a validation with the target down is the database's failure");
                    assertTrue(down.getMessage().startsWith("validation of "), down.getMessage());
                } finally {
                    movement.close();
                }
            }
        }
    }

    @Test
    void replace_none_keeps_the_targets_keys_and_merge_merges_collections() throws Exception {
        for (DataMode.Replace mode : List.of(DataMode.Replace.NONE, DataMode.Replace.MERGE)) {
            try (RealRedis source = RealRedis.start(); RealRedis target = RealRedis.start()) {
                Endpoint from = source.endpoint("old", "");
                Endpoint to = target.endpoint("new", "");
                try (Jedis s = source.direct(); Jedis t = target.direct()) {
                    s.hset("h", Map.of("a", "source", "b", "source"));
                    s.sadd("set", "1", "2");
                    s.set("str", "source");
                    s.zadd("z", 1, "m1");
                    t.hset("h", Map.of("b", "target", "c", "target"));
                    t.sadd("set", "3");
                    t.set("str", "target");
                    t.zadd("z", 5, "m1");
                    t.zadd("z", 2, "m2");
                }
                Movements movements = new Movements();
                try (EdenUnderTest eden = migrating(from, to)) {
                    DataMovement movement = eden.adapter.startDataMovement(movements.request(from, to, mode,
                            new FailureHandling.AllowPartial()));
                    try {
                        await(() -> movement.progress().copyComplete(), Duration.ofSeconds(30));
                    } finally {
                        movement.close();
                    }
                }
                try (Jedis t = target.direct()) {
                    if (mode == DataMode.Replace.NONE) {
                        assertEquals(Map.of("b", "target", "c", "target"), t.hgetAll("h"));
                        assertEquals("target", t.get("str"));
                    } else {
                        assertEquals(Map.of("a", "source", "b", "source", "c", "target"), t.hgetAll("h"));
                        assertEquals(java.util.Set.of("1", "2", "3"), t.smembers("set"));
                        assertEquals("source", t.get("str"), "strings: the source wins");
                        assertEquals(1.0, t.zscore("z", "m1"), "the source's score wins");
                        assertEquals(2.0, t.zscore("z", "m2"));
                        assertTrue(t.keys("eden:merge-tmp:*").isEmpty(), "no temporary key is left");
                    }
                }
            }
        }
    }

    @Test
    void keys_over_the_big_key_size_are_copied_in_pieces_with_their_expiry() throws Exception {
        try (RealRedis source = RealRedis.start(); RealRedis target = RealRedis.start()) {
            Endpoint from = source.endpoint("old", "");
            Endpoint to = target.endpoint("new", "");
            fill(source, 0, 3_000);
            try (Jedis s = source.direct()) {
                s.set("big:string", "x".repeat(300_000));
                Pipeline p = s.pipelined();
                for (int i = 0; i < 20_000; i++) {
                    p.hset("big:hash", "field-" + i, "value-" + i);
                    p.rpush("big:list", "element-" + i);
                    p.sadd("big:set", "member-" + i);
                    p.zadd("big:zset", i, "member-" + i);
                    if (i < 3000) {
                        p.xadd("big:stream", StreamEntryID.NEW_ENTRY, Map.of("n", Integer.toString(i)));
                    }
                }
                p.sync();
                s.expire("big:hash", 3600);
                target.direct().set("big:list", "stale"); // replaced whole
            }
            Movements movements = new Movements();
            // no client here: an adapter with the movement's settings, not listening, is all it takes
            try (var adapter = new RedisProtocolAdapter(new RecordingMetrics(), ProxySettings.DEFAULTS,
                    new MovementSettings(1000, 0, 2000, 3, 64 * 1024, MovementSettings.DEFAULTS.clientShare()))) {
                DataMovement movement = adapter.startDataMovement(movements.request(from, to,
                        DataMode.Replace.REPLACE, new FailureHandling.RollbackAll()));
                try {
                    await(() -> movement.progress().copyComplete(), Duration.ofSeconds(60));
                    assertEquals(List.of(), movements.failures);
                    assertEquals(3_006, movement.progress().keysCopied());
                } finally {
                    movement.close();
                }
            }
            try (Jedis s = source.direct(); Jedis t = target.direct()) {
                assertEquals(List.of(), KeyspaceDiff.differences(s, t, 0));
                assertTrue(t.ttl("big:hash") > 3500, "the expiry came along");
                assertTrue(t.keys("eden:big-tmp:*").isEmpty(), "no temporary key is left");
            }
        }
    }

    @Test
    void a_stopped_copy_resumes_from_its_checkpoint_not_from_zero() throws Exception {
        try (RealRedis source = RealRedis.start(); RealRedis target = RealRedis.start()) {
            Endpoint from = source.endpoint("old", "");
            Endpoint to = target.endpoint("new", "");
            fill(source, 0, 30_000);
            Movements movements = new Movements();
            ProxySettings proxy = ProxySettings.DEFAULTS;
            MovementSettings slow = new MovementSettings(500, 10_000, 2000, 3);
            long before;
            try (var adapter = new RedisProtocolAdapter(new RecordingMetrics(), proxy, slow)) {
                DataMovement first = adapter.startDataMovement(movements.request(from, to, DataMode.Replace.REPLACE,
                        new FailureHandling.RollbackAll()));
                await(() -> first.progress().keysCopied() > 8_000, Duration.ofSeconds(30));
                first.close();
                before = Long.parseLong(movements.checkpoints.get("copy.keys_copied"));
                assertTrue(before >= 8_000 && before < 30_000, "checkpoint at " + before);
                DataMovement second = adapter.startDataMovement(movements.request(from, to, DataMode.Replace.REPLACE,
                        new FailureHandling.RollbackAll()));
                try {
                    assertTrue(second.progress().keysCopied() >= before, "resumed at " + second.progress().keysCopied());
                    await(() -> second.progress().copyComplete(), Duration.ofSeconds(30));
                    assertTrue(second.progress().keysScanned() < 30_000 + 5_000,
                            "no second walk from zero: " + second.progress().keysScanned());
                } finally {
                    second.close();
                }
            }
            try (Jedis s = source.direct(); Jedis t = target.direct()) {
                assertEquals(List.of(), KeyspaceDiff.differences(s, t, 0));
            }
        }
    }

    @Test
    void a_dead_target_under_rollback_all_reports_the_failure_and_clients_see_no_error() throws Exception {
        try (RealRedis source = RealRedis.start()) {
            RealRedis target = RealRedis.start();
            Endpoint from = source.endpoint("old", "");
            Endpoint to = target.endpoint("new", "");
            Movements movements = new Movements();
            try (EdenUnderTest eden = migrating(from, to);
                 Jedis client = eden.jedis()) {
                DataMovement movement = eden.adapter.startDataMovement(movements.request(from, to,
                        DataMode.Replace.REPLACE, new FailureHandling.RollbackAll()));
                try {
                    await(() -> movement.progress().copyComplete(), Duration.ofSeconds(30));
                    assertEquals("OK", client.set("before", "1"));
                    target.close();
                    for (int i = 0; i < 50; i++) {
                        assertEquals(i + 1, client.incr("after"), "the source answers as before");
                    }
                    await(() -> !movements.failures.isEmpty(), Duration.ofSeconds(10));
                    assertTrue(movements.failures.get(0).contains("mirrored to the target failed"),
                            movements.failures.toString());
                    assertTrue(movement.progress().mirrorErrors() > 0);
                } finally {
                    movement.close();
                }
            }
        }
    }

    @Test
    void retry_then_all_gives_up_after_its_repairs_and_allow_partial_goes_on() throws Exception {
        for (FailureHandling handling : List.of(new FailureHandling.RetryThenAll(2), new FailureHandling.AllowPartial())) {
            try (RealRedis source = RealRedis.start()) {
                RealRedis target = RealRedis.start();
                Endpoint from = source.endpoint("old", "");
                Endpoint to = target.endpoint("new", "");
                Movements movements = new Movements();
                try (EdenUnderTest eden = migrating(from, to);
                     Jedis client = eden.jedis()) {
                    DataMovement movement = eden.adapter.startDataMovement(movements.request(from, to,
                            DataMode.Replace.REPLACE, handling));
                    try {
                        await(() -> movement.progress().copyComplete(), Duration.ofSeconds(30));
                        target.close();
                        for (int i = 0; i < 20; i++) {
                            assertEquals("OK", client.set("k" + i, "v"), "the source answers");
                        }
                        await(() -> movement.progress().mirrorErrors() >= 20, Duration.ofSeconds(10));
                        if (handling instanceof FailureHandling.RetryThenAll) {
                            await(() -> !movements.failures.isEmpty(), Duration.ofSeconds(30));
                            assertTrue(movements.failures.get(0).contains("after 2 attempts"), movements.failures.toString());
                        } else {
                            // reported (the host's allow_partial lets it pass), and the keys count as divergent
                            await(() -> movement.progress().divergentKeys() >= 20, Duration.ofSeconds(10));
                            assertEquals("OK", client.set("after", "v"), "and clients go on");
                        }
                    } finally {
                        movement.close();
                    }
                }
            }
        }
    }

    @Test
    void best_effort_answers_with_the_mirror_when_only_the_authoritative_side_refuses() throws Exception {
        try (RealRedis source = RealRedis.start("maxmemory-policy noeviction"); RealRedis target = RealRedis.start()) {
            Endpoint from = source.endpoint("old", "");
            Endpoint to = target.endpoint("new", "");
            try (Jedis s = source.direct()) {
                s.set("ballast", "x".repeat(2_000_000));
                s.configSet("maxmemory", "1mb"); // the source is now over its maxmemory: it refuses writes
            }
            var bestEffort = new io.eden.domain.model.Strategy.Canary(0.0,
                    new io.eden.domain.model.WriteMode.DualWrite(io.eden.domain.model.WritePolicy.BEST_EFFORT));
            try (EdenUnderTest eden = EdenUnderTest.routed(ProxySettings.DEFAULTS, interlay ->
                    new MovingRoute(interlay, from, to, Phase.REPLICATING, bestEffort));
                 Jedis client = eden.jedis()) {
                assertEquals("OK", client.set("accepted-by-the-target-only", "v"));
            }
            try (Jedis t = target.direct()) {
                assertEquals("v", t.get("accepted-by-the-target-only"));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Eden proxying an interlay whose migration from {@code from} to {@code to} is replicating with dual writes. */
    private static EdenUnderTest migrating(Endpoint from, Endpoint to) {
        return EdenUnderTest.routed(ProxySettings.DEFAULTS, interlay ->
                new MovingRoute(interlay, from, to, Phase.REPLICATING, Movements.DUAL_WRITE));
    }

    /**
     * Clients write through Eden (the mixed writers, or pipelining ones) while the source is copied
     * to the target with dual writes; {@code checks} looks at the finished movement before it is
     * closed. No client may see an error.
     *
     * @param beforeMigration the clients start writing before the migration begins (the route changes under them)
     */
    private static void copyWhileClientsWrite(Endpoint from, Endpoint to, Movements movements, boolean beforeMigration,
                                              boolean pipelined, Consumer<DataMovement> checks) throws Exception {
        MovingRoute[] route = new MovingRoute[1];
        try (EdenUnderTest eden = EdenUnderTest.routed(ProxySettings.DEFAULTS, interlay -> route[0] = beforeMigration
                ? MovingRoute.notMigrating(interlay, from, to)
                : new MovingRoute(interlay, from, to, Phase.REPLICATING, Movements.DUAL_WRITE));
             Writers writers = new Writers(eden, 8, pipelined)) {
            writers.awaitSome(200);
            if (beforeMigration) {
                route[0].move(Phase.REPLICATING, Movements.DUAL_WRITE, false); // the migration begins under them
            }
            DataMovement movement = eden.adapter.startDataMovement(movements.request(from, to,
                    DataMode.Replace.REPLACE, new FailureHandling.RollbackAll()));
            try {
                await(() -> movement.progress().copyComplete(), Duration.ofSeconds(60));
                route[0].move(Phase.REPLICATING, Movements.DUAL_WRITE, true);
                writers.awaitSome(writers.done() + 200);
                writers.stop();
                assertEquals(List.of(), writers.errors, "no client saw an error");
                assertEquals(List.of(), movements.failures);
                checks.accept(movement);
            } finally {
                movement.close();
            }
        }
    }

    /** Keys of every type in {@code db}, a tenth with a TTL. */
    static void fill(RealRedis redis, int db, int count) {
        try (Jedis jedis = redis.direct()) {
            jedis.select(db);
            Pipeline p = jedis.pipelined();
            for (int i = 0; i < count; i++) {
                switch (i % 6) {
                    case 0 -> p.set("string:" + i, "value-" + i);
                    case 1 -> p.rpush("list:" + i, "a" + i, "b", "c");
                    case 2 -> p.hset("hash:" + i, Map.of("f1", "v" + i, "f2", "w"));
                    case 3 -> p.sadd("set:" + i, "x" + i, "y");
                    case 4 -> p.zadd("zset:" + i, i, "member" + i);
                    default -> p.xadd("stream:" + i, StreamEntryID.NEW_ENTRY, Map.of("k", "v" + i));
                }
                if (i % 10 == 0) {
                    p.expire(keyOf(i), 3600);
                }
            }
            p.sync();
        }
    }

    private static String keyOf(int i) {
        return switch (i % 6) {
            case 0 -> "string:" + i;
            case 1 -> "list:" + i;
            case 2 -> "hash:" + i;
            case 3 -> "set:" + i;
            case 4 -> "zset:" + i;
            default -> "stream:" + i;
        };
    }

    static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Clients writing through Eden the whole time: counters (INCR, in transactions and scripts,
     * also in db 3), pushes, hash and sorted-set updates, TTLs, deletes of keys of the copy.
     */
    static final class Writers implements AutoCloseable {
        static final Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong rounds = new AtomicLong();
        private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        private final List<Future<?>> running = new ArrayList<>();

        Writers(EdenUnderTest eden, int count) {
            this(eden, count, false);
        }

        /** @param pipelined each round is one pipeline of 16 counter increments over all lanes and a push */
        Writers(EdenUnderTest eden, int count, boolean pipelined) {
            acknowledged.clear();
            for (int w = 0; w < count; w++) {
                int me = w;
                running.add(pool.submit(() -> {
                    if (pipelined) {
                        writePipelines(eden, me);
                    } else {
                        write(eden, me);
                    }
                }));
            }
        }

        private void writePipelines(EdenUnderTest eden, int me) {
            try (Jedis client = eden.jedis()) {
                for (long i = 0; !stop.get(); i++) {
                    try {
                        Pipeline p = client.pipelined();
                        List<String> counters = new ArrayList<>();
                        for (int j = 0; j < 16; j++) {
                            String counter = "piped:" + ((i * 16 + j + me * 7) % 3000);
                            counters.add(counter);
                            p.incr(counter);
                        }
                        p.rpush("piped-log:" + me, Long.toString(i));
                        p.sync();
                        counters.forEach(counter -> ack(counter, 1));
                        rounds.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.add(e.toString());
                        return;
                    }
                }
            }
        }

        private void write(EdenUnderTest eden, int me) {
            try (Jedis client = eden.jedis()) {
                for (long i = 0; !stop.get(); i++) {
                    try {
                        String counter = "counter:" + (i % 5);
                        client.incr(counter);
                        ack(counter, 1);
                        client.rpush("log:" + me, Long.toString(i));
                        client.hincrBy("hash:" + (i % 2000 / 6 * 6 + 2), "hits", 1);
                        client.zincrby("zset:" + (i % 2000 / 6 * 6 + 4), 1, "member");
                        client.psetex("ttl:" + me + ":" + (i % 50), 60_000, Long.toString(i));
                        client.del("string:" + ((i * 6 + me * 6) % 2000));
                        Transaction tx = client.multi();
                        tx.incr("tx:a");
                        tx.incr("tx:b");
                        tx.exec();
                        ack("tx:a", 1);
                        ack("tx:b", 1);
                        client.eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", 1, "script:counter", "2");
                        ack("script:counter", 2);
                        if (i % 10 == 0) {
                            client.select(3);
                            client.incr("db3:counter");
                            client.select(0);
                        }
                        rounds.incrementAndGet();
                    } catch (RuntimeException e) {
                        errors.add(e.toString());
                        return;
                    }
                }
            }
        }

        private static void ack(String counter, long by) {
            acknowledged.computeIfAbsent(counter, c -> new AtomicLong()).addAndGet(by);
        }

        long done() {
            return rounds.get();
        }

        void awaitSome(long total) throws InterruptedException {
            await(() -> rounds.get() >= total || !errors.isEmpty(), Duration.ofSeconds(60));
        }

        void stop() throws Exception {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() throws Exception {
            stop();
            pool.close();
        }
    }
}

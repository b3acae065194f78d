package io.eden.bootstrap.migration;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.Tuple;

/**
 * Application traffic through Eden while a migration runs: several threads, each with its own
 * connections (one on db 0, one after {@code SELECT 2}), doing what applications do: INCR on
 * counters every writer shares, SET with increasing versions (and reading them back), RPUSH,
 * HINCRBY/HSET, ZINCRBY/ZADD, SET with EX and PX, SET and DEL of keys a writer owns, MULTI/EXEC
 * over two counters and a string, EVAL of Lua INCRBY over one and two keys, and GETs of keys the
 * source held before the migration.
 *
 * <p>Every acknowledged write goes into a ledger: how much each counter was incremented, what each
 * list, hash, zset and key must hold. {@link #verify} reads a server directly and lists every place
 * where it disagrees with the ledger: a lost write, a duplicated one, a reordered list. Any
 * exception a client sees (an error reply, a dropped connection, a timeout) and any reply that
 * disagrees with the ledger (a stale read, an RPUSH length off by one) is a failure.
 */
final class TrafficWriters {
    static final int COUNTERS = 8;
    static final int DB2_COUNTERS = 4;
    static final long COUNTER_START = 1_000;
    private static final int VERSIONS = 4;
    private static final int LISTS = 2;
    private static final int FIELDS = 5;
    private static final int TTL_KEYS = 4;
    private static final int OWNED = 6;
    private static final int SHOWN_FAILURES = 40;
    private static final String INCRBY = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
    private static final String INCRBY_TWO =
            "redis.call('INCRBY', KEYS[1], ARGV[1]) return redis.call('INCRBY', KEYS[2], ARGV[1])";

    private final List<Writer> writers = new ArrayList<>();
    private final int stableStrings;
    private final LongAdder[] acked = adders(COUNTERS);
    private final LongAdder[] acked2 = adders(DB2_COUNTERS);
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong failureCount = new AtomicLong();
    private final AtomicLong operations = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final long pauseNanos;
    private volatile boolean running;
    private final long startedAt = System.nanoTime();

    /**
     * @param preloadedDb0 how many keys {@link Keyspaces} put in db 0 (0: no reads of them)
     * @param pause        a writer's pause between two operations, so that Eden and the copier get CPU too
     */
    TrafficWriters(int count, int preloadedDb0, java.time.Duration pause) {
        for (int i = 0; i < count; i++) {
            writers.add(new Writer(i));
        }
        this.stableStrings = preloadedDb0;
        this.pauseNanos = pause.toNanos();
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    /** The writers' keys as they are before any traffic, written straight to the source. */
    void seed(Jedis direct) {
        direct.select(0);
        for (int c = 0; c < COUNTERS; c++) {
            direct.set(counter(c), Long.toString(COUNTER_START));
        }
        writers.forEach(w -> w.seed(direct));
        direct.select(2);
        for (int c = 0; c < DB2_COUNTERS; c++) {
            direct.set(counter2(c), Long.toString(COUNTER_START));
        }
        writers.forEach(w -> w.seed2(direct));
        direct.select(0);
    }

    /** How many keys {@link #seed} writes (db 0 and db 2 together). */
    int seededKeys() {
        return COUNTERS + DB2_COUNTERS + writers.size() * (VERSIONS + LISTS + 2 + TTL_KEYS + OWNED + 1 + 2);
    }

    synchronized void start(InetSocketAddress eden) {
        if (running) {
            throw new IllegalStateException("already running");
        }
        running = true;
        threads.clear();
        for (Writer writer : writers) {
            Thread thread = new Thread(() -> writer.run(eden), "writer-" + writer.id);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops every writer after its current operation; returns once all have stopped. */
    synchronized void stop() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (thread.isAlive()) {
                failure(thread.getName() + " did not stop within 60 s (a command hangs?)");
            }
        }
    }

    long operations() {
        return operations.get();
    }

    /** Milliseconds since these writers were made: the clock of failure messages and of {@link #mark}. */
    long elapsedMillis() {
        return (System.nanoTime() - startedAt) / 1_000_000;
    }

    /** Logs a step of the test on the writers' clock, so that a failure can be placed among the steps. */
    void mark(String step) {
        System.out.printf("%6d ms [test] %s (%d operations so far)%n", elapsedMillis(), step, operations.get());
    }

    /** One line for the test log: how much traffic there was. */
    String summary() {
        return writers.size() + " writers: " + operations.get() + " operations, " + acknowledgedIncrements()
                + " acknowledged increments, " + failureCount.get() + " failures";
    }

    /** Everything the clients saw go wrong; empty when every command got the reply it should. */
    List<String> failures() {
        List<String> shown = new ArrayList<>(failures);
        long more = failureCount.get() - shown.size();
        if (more > 0) {
            shown.add("... and " + more + " more");
        }
        return shown;
    }

    private void failure(String message) {
        if (failureCount.incrementAndGet() <= SHOWN_FAILURES) {
            failures.add(String.format("%6d ms %s", elapsedMillis(), message));
        }
    }

    static String counter(int c) {
        return "ctr:" + c;
    }

    static String counter2(int c) {
        return "ctr2:" + c;
    }

    long expectedCounter(int c) {
        return COUNTER_START + acked[c].sum();
    }

    /** Every acknowledged INCR, INCRBY (also in scripts and transactions) over all counters and writers. */
    long acknowledgedIncrements() {
        long sum = 0;
        for (LongAdder a : acked) {
            sum += a.sum();
        }
        for (LongAdder a : acked2) {
            sum += a.sum();
        }
        return sum;
    }

    /**
     * Reads a server directly and compares it with the ledger; call it only while the writers are
     * stopped. Returns the disagreements, readable; empty when the server holds exactly what the
     * clients were told was written.
     */
    List<String> verify(Jedis direct, String side) {
        List<String> problems = new ArrayList<>();
        direct.select(0);
        for (int c = 0; c < COUNTERS; c++) {
            expectEqual(problems, side, 0, counter(c), Long.toString(expectedCounter(c)), direct.get(counter(c)),
                    "start " + COUNTER_START + " + " + acked[c].sum() + " acknowledged increments");
        }
        writers.forEach(w -> w.verify(direct, side, problems));
        direct.select(2);
        for (int c = 0; c < DB2_COUNTERS; c++) {
            expectEqual(problems, side, 2, counter2(c), Long.toString(COUNTER_START + acked2[c].sum()),
                    direct.get(counter2(c)), "start " + COUNTER_START + " + " + acked2[c].sum()
                            + " acknowledged increments");
        }
        writers.forEach(w -> w.verify2(direct, side, problems));
        direct.select(0);
        return problems;
    }

    private static void expectEqual(List<String> problems, String side, int db, String key, Object expected,
                                    Object actual, String why) {
        if (!Objects.equals(expected, actual)) {
            problems.add(side + " db" + db + " '" + key + "': expected " + shorten(expected) + " (" + why + "), found "
                    + shorten(actual));
        }
    }

    private static String shorten(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** One application thread and what it was told it wrote. Only its own thread touches it while running. */
    private final class Writer {
        final int id;
        final Random random;
        final long[] versions = new long[VERSIONS];
        final List<List<String>> lists = new ArrayList<>();
        final Map<String, Long> hashCounts = new TreeMap<>();
        String hashLast = "0";
        final Map<String, Double> zset = new TreeMap<>();
        final String[] ttlValues = new String[TTL_KEYS];
        final String[] owned = new String[OWNED];
        String tx = "none";
        /** The value of every acknowledged MULTI/EXEC, in order, and when its EXEC reply came. */
        final List<String> txLog = new ArrayList<>();
        final Map<String, Long> txAckedAt = new java.util.HashMap<>();
        long version2;
        final List<String> list2 = new ArrayList<>();
        long sequence;
        Jedis db0;
        Jedis db2;

        Writer(int id) {
            this.id = id;
            this.random = new Random(7919L * (id + 1));
            for (int k = 0; k < LISTS; k++) {
                List<String> list = new ArrayList<>();
                for (int j = 0; j < 10; j++) {
                    list.add("p" + j);
                }
                lists.add(list);
            }
            for (int f = 0; f < FIELDS; f++) {
                hashCounts.put("f" + f, 0L);
                zset.put("m" + f, 0.0);
            }
            zset.put("latest", 0.0);
            java.util.Arrays.fill(ttlValues, "seed");
            java.util.Arrays.fill(owned, "seed");
            for (int j = 0; j < 5; j++) {
                list2.add("p" + j);
            }
        }

        String key(String what) {
            return "w" + id + ":" + what;
        }

        void seed(Jedis direct) {
            for (int k = 0; k < VERSIONS; k++) {
                direct.set(key("ver:" + k), "v0");
            }
            for (int k = 0; k < LISTS; k++) {
                direct.rpush(key("list:" + k), lists.get(k).toArray(String[]::new));
            }
            Map<String, String> hash = new TreeMap<>();
            hashCounts.forEach((f, n) -> hash.put(f, Long.toString(n)));
            hash.put("last", hashLast);
            direct.hset(key("hash"), hash);
            direct.zadd(key("zset"), zset);
            for (int k = 0; k < TTL_KEYS; k++) {
                direct.set(key("ttl:" + k), "seed", SetParams.setParams().ex(600));
            }
            for (int k = 0; k < OWNED; k++) {
                direct.set(key("own:" + k), "seed");
            }
            direct.set(key("tx"), tx);
        }

        void seed2(Jedis direct) {
            direct.set(key("ver2"), "v0");
            direct.rpush(key("list2"), list2.toArray(String[]::new));
        }

        void run(InetSocketAddress eden) {
            try {
                connect(eden);
                while (running) {
                    step(eden);
                    operations.incrementAndGet();
                    if (pauseNanos > 0) {
                        LockSupport.parkNanos(pauseNanos);
                    }
                }
            } catch (RuntimeException e) {
                failure("writer " + id + " stopped: " + e);
            } finally {
                closeQuietly();
            }
        }

        private void connect(InetSocketAddress eden) {
            DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(5_000)
                    .socketTimeoutMillis(20_000).clientName("writer-" + id).autoNegotiateProtocol(false).build();
            db0 = new Jedis(eden.getHostString(), eden.getPort(), config);
            db2 = new Jedis(eden.getHostString(), eden.getPort(), config);
            db2.select(2);
        }

        private void closeQuietly() {
            for (Jedis jedis : new Jedis[] {db0, db2}) {
                try {
                    if (jedis != null) {
                        jedis.close();
                    }
                } catch (RuntimeException e) {
                    // the connection is gone anyway
                }
            }
            db0 = null;
            db2 = null;
        }

        private void step(InetSocketAddress eden) {
            int dice = random.nextInt(100);
            String op = "?";
            try {
                if (db0 == null) {
                    op = "reconnect";
                    connect(eden);
                }
                if (dice < 28) {
                    op = "INCR";
                    incr();
                } else if (dice < 38) {
                    op = "SET/GET version";
                    setVersion();
                } else if (dice < 45) {
                    op = "RPUSH";
                    rpush();
                } else if (dice < 51) {
                    op = "HINCRBY/HSET";
                    hash();
                } else if (dice < 57) {
                    op = "ZINCRBY/ZADD";
                    zset();
                } else if (dice < 62) {
                    op = "SET EX/PX";
                    setWithTtl();
                } else if (dice < 69) {
                    op = "SET/DEL owned";
                    setOrDelete();
                } else if (dice < 75) {
                    op = "MULTI/EXEC";
                    transaction();
                } else if (dice < 81) {
                    op = "EVAL";
                    script();
                } else if (dice < 92) {
                    op = "db 2";
                    database2();
                } else if (dice < 94) {
                    op = "SET PX short";
                    db0.set(key("short:" + (sequence++ % 8)), "brief", SetParams.setParams().px(150));
                } else {
                    op = "GET preloaded";
                    readPreloaded();
                }
            } catch (JedisConnectionException e) {
                failure("writer " + id + " " + op + ": connection failed: " + e);
                closeQuietly();
                LockSupport.parkNanos(100_000_000);
            } catch (RuntimeException e) {
                failure("writer " + id + " " + op + ": " + e);
            }
        }

        private void incr() {
            int c = random.nextInt(COUNTERS);
            db0.incr(counter(c));
            acked[c].increment();
        }

        private void setVersion() {
            int k = random.nextInt(VERSIONS);
            long next = versions[k] + 1;
            String value = "v" + next;
            String reply = db0.set(key("ver:" + k), value);
            versions[k] = next;
            expectReply("SET " + key("ver:" + k), "OK", reply);
            expectReply("GET " + key("ver:" + k) + " right after SET", value, db0.get(key("ver:" + k)));
        }

        private void rpush() {
            int k = random.nextInt(LISTS);
            String element = "e" + (++sequence);
            long length = db0.rpush(key("list:" + k), element);
            List<String> list = lists.get(k);
            list.add(element);
            expectReply("RPUSH " + key("list:" + k) + " length", (long) list.size(), length);
        }

        private void hash() {
            String field = "f" + random.nextInt(FIELDS);
            long value = db0.hincrBy(key("hash"), field, 1);
            long expected = hashCounts.merge(field, 1L, Long::sum);
            expectReply("HINCRBY " + key("hash") + " " + field, expected, value);
            String last = Long.toString(++sequence);
            db0.hset(key("hash"), "last", last);
            hashLast = last;
        }

        private void zset() {
            String member = "m" + random.nextInt(FIELDS);
            double score = db0.zincrby(key("zset"), 1, member);
            double expected = zset.merge(member, 1.0, Double::sum);
            expectReply("ZINCRBY " + key("zset") + " " + member, expected, score);
            double latest = ++sequence;
            db0.zadd(key("zset"), latest, "latest");
            zset.put("latest", latest);
        }

        private void setWithTtl() {
            int k = random.nextInt(TTL_KEYS);
            String value = "t" + (++sequence);
            SetParams params = random.nextBoolean() ? SetParams.setParams().ex(600) : SetParams.setParams().px(600_000);
            expectReply("SET " + key("ttl:" + k) + " with expiry", "OK", db0.set(key("ttl:" + k), value, params));
            ttlValues[k] = value;
        }

        private void setOrDelete() {
            int k = random.nextInt(OWNED);
            if (random.nextBoolean()) {
                String value = "o" + (++sequence);
                db0.set(key("own:" + k), value);
                owned[k] = value;
            } else {
                long removed = db0.del(key("own:" + k));
                long expected = owned[k] == null ? 0 : 1;
                owned[k] = null;
                expectReply("DEL " + key("own:" + k), expected, removed);
            }
        }

        private void transaction() {
            int a = random.nextInt(COUNTERS);
            int b = (a + 1 + random.nextInt(COUNTERS - 1)) % COUNTERS;
            String value = "x" + (++sequence);
            Transaction transaction = db0.multi();
            transaction.incr(counter(a));
            transaction.incr(counter(b));
            transaction.set(key("tx"), value);
            transaction.rpush(key("txlog"), value);
            List<Object> replies = transaction.exec();
            if (replies == null) {
                failure("writer " + id + " EXEC was aborted (null reply)");
                return;
            }
            for (Object reply : replies) {
                if (reply instanceof Exception e) {
                    failure("writer " + id + " a command in MULTI/EXEC failed: " + e);
                    return;
                }
            }
            acked[a].increment();
            acked[b].increment();
            tx = value;
            txLog.add(value);
            txAckedAt.put(value, elapsedMillis());
            if (replies.size() != 4 || !Long.valueOf(txLog.size()).equals(replies.get(3))) {
                failure("writer " + id + " MULTI/EXEC replies " + replies + ": the RPUSH to " + key("txlog")
                        + " should have made it " + txLog.size() + " long");
            }
        }

        private void script() {
            if (random.nextBoolean()) {
                int c = random.nextInt(COUNTERS);
                db0.eval(INCRBY, 1, counter(c), "5");
                acked[c].add(5);
            } else {
                int a = random.nextInt(COUNTERS);
                int b = (a + 1 + random.nextInt(COUNTERS - 1)) % COUNTERS;
                db0.eval(INCRBY_TWO, 2, counter(a), counter(b), "3");
                acked[a].add(3);
                acked[b].add(3);
            }
        }

        private void database2() {
            int choice = random.nextInt(3);
            if (choice == 0) {
                int c = random.nextInt(DB2_COUNTERS);
                db2.incr(counter2(c));
                acked2[c].increment();
            } else if (choice == 1) {
                String element = "d" + (++sequence);
                long length = db2.rpush(key("list2"), element);
                list2.add(element);
                expectReply("RPUSH " + key("list2") + " (db 2) length", (long) list2.size(), length);
            } else {
                String value = "v" + (version2 + 1);
                db2.set(key("ver2"), value);
                version2++;
                expectReply("GET " + key("ver2") + " (db 2) right after SET", value, db2.get(key("ver2")));
            }
        }

        private void readPreloaded() {
            if (stableStrings == 0) {
                return;
            }
            int i = random.nextInt(stableStrings);
            while (!Keyspaces.isStableString(i)) {
                i = (i + 1) % stableStrings;
            }
            expectReply("GET " + Keyspaces.key(0, i) + " (preloaded)", Keyspaces.stringValue(0, i),
                    db0.get(Keyspaces.key(0, i)));
        }

        private void expectReply(String what, Object expected, Object actual) {
            if (!Objects.equals(expected, actual)) {
                failure("writer " + id + " " + what + ": expected " + shorten(expected) + ", got " + shorten(actual));
            }
        }

        void verify(Jedis direct, String side, List<String> problems) {
            for (int k = 0; k < VERSIONS; k++) {
                expectEqual(problems, side, 0, key("ver:" + k), "v" + versions[k], direct.get(key("ver:" + k)),
                        "last acknowledged SET");
            }
            for (int k = 0; k < LISTS; k++) {
                List<String> actual = direct.lrange(key("list:" + k), 0, -1);
                if (!lists.get(k).equals(actual)) {
                    problems.add(side + " db0 '" + key("list:" + k) + "': " + listDifference(lists.get(k), actual));
                }
            }
            Map<String, String> hash = new TreeMap<>();
            hashCounts.forEach((f, n) -> hash.put(f, Long.toString(n)));
            hash.put("last", hashLast);
            expectEqual(problems, side, 0, key("hash"), hash, new TreeMap<>(direct.hgetAll(key("hash"))),
                    "acknowledged HINCRBY and HSET");
            Map<String, Double> scores = new TreeMap<>();
            for (Tuple tuple : direct.zrangeWithScores(key("zset"), 0, -1)) {
                scores.put(tuple.getElement(), tuple.getScore());
            }
            expectEqual(problems, side, 0, key("zset"), zset, scores, "acknowledged ZINCRBY and ZADD");
            for (int k = 0; k < TTL_KEYS; k++) {
                expectEqual(problems, side, 0, key("ttl:" + k), ttlValues[k], direct.get(key("ttl:" + k)),
                        "last acknowledged SET with expiry");
                long pttl = direct.pttl(key("ttl:" + k));
                if (pttl <= 0) {
                    problems.add(side + " db0 '" + key("ttl:" + k) + "': lost its expiry (PTTL " + pttl + ")");
                }
            }
            for (int k = 0; k < OWNED; k++) {
                expectEqual(problems, side, 0, key("own:" + k), owned[k], direct.get(key("own:" + k)),
                        owned[k] == null ? "acknowledged DEL" : "last acknowledged SET");
            }
            expectEqual(problems, side, 0, key("tx"), tx, direct.get(key("tx")), "last acknowledged MULTI/EXEC");
            List<String> log = direct.lrange(key("txlog"), 0, -1);
            if (!txLog.equals(log)) {
                String difference = listDifference(txLog, log);
                int at = 0;
                while (at < txLog.size() && at < log.size() && txLog.get(at).equals(log.get(at))) {
                    at++;
                }
                String when = at < txLog.size() ? " (its EXEC was acknowledged at " + txAckedAt.get(txLog.get(at))
                        + " ms)" : "";
                problems.add(side + " db0 '" + key("txlog") + "' (one element per acknowledged MULTI/EXEC): "
                        + difference + when);
            }
        }

        void verify2(Jedis direct, String side, List<String> problems) {
            expectEqual(problems, side, 2, key("ver2"), "v" + version2, direct.get(key("ver2")),
                    "last acknowledged SET after SELECT 2");
            List<String> actual = direct.lrange(key("list2"), 0, -1);
            if (!list2.equals(actual)) {
                problems.add(side + " db2 '" + key("list2") + "': " + listDifference(list2, actual));
            }
        }
    }

    /** Where two lists part: lost, duplicated or reordered elements show at the first index that differs. */
    static String listDifference(List<String> expected, List<String> actual) {
        int i = 0;
        while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i))) {
            i++;
        }
        return "expected " + expected.size() + " pushed elements, found " + actual.size() + "; first difference at "
                + i + ": expected " + (i < expected.size() ? expected.get(i) : "(end)") + ", found "
                + (i < actual.size() ? actual.get(i) : "(end)");
    }
}

package io.eden.bootstrap.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eden.bootstrap.support.ApiClient.Reply;
import io.eden.bootstrap.support.KeyspaceChecker;
import io.eden.bootstrap.support.RealRedis;
import io.eden.domain.routing.HashSlot;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.Jedis;

/** The checks the migration tests share: clean clients, identical servers, the ledger on a server, routing. */
final class MigrationAssertions {
    private MigrationAssertions() {
    }

    /** No client saw an error reply, a dropped connection, a timeout or a reply that contradicts what it wrote. */
    static void assertNoClientFailures(TrafficWriters writers, String when) {
        System.out.println("Traffic " + when + ": " + writers.summary());
        List<String> failures = writers.failures();
        assertTrue(failures.isEmpty(), "clients saw failures " + when + ":\n  " + String.join("\n  ", failures));
    }

    /** Both servers hold the same keys, types, values and expiries in every database. */
    static void assertIdentical(RealRedis source, RealRedis target) {
        KeyspaceChecker.Result result = KeyspaceChecker.between("source", source, "target", target).compare();
        assertTrue(result.identical(), "source and target differ: " + result.summary());
        assertTrue(result.keysCompared() > 0, "nothing was compared");
    }

    /** The server holds exactly what the clients were acknowledged: every counter, list, hash, zset and key. */
    static void assertHoldsEveryAcknowledgedWrite(TrafficWriters writers, RealRedis server, String side) {
        try (Jedis direct = server.direct()) {
            List<String> problems = writers.verify(direct, side);
            assertTrue(problems.isEmpty(), side + " does not hold what the clients were told ("
                    + writers.acknowledgedIncrements() + " acknowledged increments, " + writers.operations()
                    + " operations):\n  " + String.join("\n  ", problems.subList(0, Math.min(40, problems.size())))
                    + (problems.size() > 40 ? "\n  ... and " + (problems.size() - 40) + " more" : ""));
        }
    }

    /** Lets the writers run for a while and checks that they did run meanwhile. */
    static void keepTraffic(TrafficWriters writers, Duration duration, String while_) {
        long before = writers.operations();
        MigrationApi.sleep(duration);
        long done = writers.operations() - before;
        assertTrue(done >= 20, "the writers made only " + done + " operations " + while_ + " in " + duration);
    }

    /** A client of Eden, as an application connects. */
    static Jedis client(InetSocketAddress eden) {
        return new Jedis(eden.getHostString(), eden.getPort(),
                redis.clients.jedis.DefaultJedisClientConfig.builder().autoNegotiateProtocol(false).build());
    }

    /** The first key {@code prefix<n>} whose hash slot is in [from, to). */
    static String keyInSlots(String prefix, int from, int to) {
        for (int n = 0; ; n++) {
            int slot = HashSlot.of(prefix + n);
            if (slot >= from && slot < to) {
                return prefix + n;
            }
        }
    }

    /**
     * Reads go where the canary says, per key: a key whose slot is below {@code read x 16384} is
     * read from the target, any other from the source. Shown with probe keys written directly to
     * each side with different values, removed again afterwards. A failure shows the migration as
     * the API sees it then.
     */
    static void assertReadsFollowTheCanary(MigrationApi api, InetSocketAddress eden, RealRedis source,
                                           RealRedis target, double read, String tag) {
        int boundary = HashSlot.boundary(read);
        String low = keyInSlots("probe:" + tag + ":low:", 0, boundary);
        String high = keyInSlots("probe:" + tag + ":high:", boundary, HashSlot.COUNT);
        try (Jedis s = source.direct(); Jedis t = target.direct(); Jedis app = client(eden)) {
            for (String key : List.of(low, high)) {
                s.set(key, "from-source");
                t.set(key, "from-target");
            }
            try {
                String fromLow = app.get(low);
                String fromHigh = app.get(high);
                if (!"from-target".equals(fromLow) || !"from-source".equals(fromHigh)) {
                    fail("with read_percentage " + read + " a key in slot " + HashSlot.of(low) + " (< " + boundary
                            + ") must be read from the target and one in slot " + HashSlot.of(high)
                            + " from the source; they were read " + fromLow + " and " + fromHigh
                            + ". The migration: " + api.migration().body());
                }
            } finally {
                for (String key : List.of(low, high)) {
                    s.del(key);
                    t.del(key);
                }
            }
        }
    }

    /** A write through Eden lands on {@code on} and not on {@code notOn}. */
    static void assertWriteLandsOnlyOn(InetSocketAddress eden, RealRedis on, RealRedis notOn, String key,
                                       String onName) {
        try (Jedis app = client(eden); Jedis yes = on.direct(); Jedis no = notOn.direct()) {
            assertEquals("OK", app.set(key, "written"));
            assertEquals("written", yes.get(key), key + " was written through Eden and must be on the " + onName);
            assertEquals(null, no.get(key), key + " was written through Eden and must be only on the " + onName);
        }
    }

    /** The routing summary of the interlay, from a migration document. */
    static int routed(Reply migration, String field) {
        return (int) MigrationApi.number(migration, field);
    }
}

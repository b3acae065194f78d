package io.eden.bootstrap.migration;

import static io.eden.bootstrap.migration.MigrationApi.number;
import static io.eden.bootstrap.migration.MigrationAssertions.assertHoldsEveryAcknowledgedWrite;
import static io.eden.bootstrap.migration.MigrationAssertions.assertIdentical;
import static io.eden.bootstrap.migration.MigrationAssertions.assertNoClientFailures;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eden.bootstrap.support.ApiClient.Reply;
import io.eden.bootstrap.support.RealRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of the copy. Eden runs as a child JVM on a data directory; the
 * source holds 80,000 keys; the copy is held to 10,000 keys a second so it can be caught half
 * way. Once between 20 % and 80 % of the keys are copied (writers running through Eden until just
 * before), the process gets SIGKILL, and a new one starts on the same data directory.
 *
 * <p>It proves: the restarted Eden resumes the migration by itself (it is still replicating, no
 * API call needed); it resumes from its checkpoint: {@code keys_copied} never reports less than
 * what was seen before the kill minus what one checkpoint interval may trail (from scratch it
 * would start near zero), and the copy does not start over (the final
 * count stays near the number of keys, not near that plus what was copied before the kill); it
 * finishes, and then source and target are identical key by key, holding every write the clients
 * were acknowledged before and after the crash.
 */
class RedisCopyResumeTest {
    private static final int DB0_KEYS = 76_000;
    private static final int DB2_KEYS = 4_000;
    private static final int TOTAL = DB0_KEYS + DB2_KEYS;
    private static final int BATCH = 1_000;
    private static final int RATE = 10_000;
    /**
     * How far the last checkpoint may trail the count seen before the kill: the cursor is saved
     * after a batch once 250 ms have passed, so up to that long of copying at the rate limit plus
     * the batch in flight; twice the interval, for a loaded machine.
     */
    private static final long CHECKPOINT_TRAIL = RATE / 2 + 2L * BATCH;
    private static final List<String> OPTIONS = List.of("redis.copy-rate-limit=" + RATE, "redis.copy-batch-keys=" + BATCH);
    private static final Set<String> MOVING = Set.of("replicating", "validating");

    @RegisterExtension
    static final TwoRedisServers servers = new TwoRedisServers();

    @TempDir
    Path temp;

    @Test
    void aCopyKilledHalfWayResumesFromItsCheckpointAndFinishes() {
        TrafficWriters writers = servers.preload(2, DB0_KEYS, DB2_KEYS, Duration.ofMillis(1));
        Path data = temp.resolve("data");
        Path log = temp.resolve("eden.log");
        int redisPort = RealRedis.freePort();
        int apiPort = RealRedis.freePort();

        long seenBeforeKill;
        try (EdenProcess first = EdenProcess.start(data, redisPort, apiPort, log, OPTIONS)) {
            MigrationApi api = first.api();
            api.createEndpoints(servers.source.port(), servers.target.port());
            api.createMigration("rollback_all");
            writers.start(first.redis());
            try {
                api.migrate();
                api.awaitStatus("keys_copied between 20% and 80% of " + TOTAL, Duration.ofSeconds(60), status -> {
                    MigrationApi.failIfGivenUp(status, "the copy to reach 20 %");
                    long copied = number(status, "keys_copied");
                    if (copied > TOTAL * 0.8 || status.scalar("copy_complete").orElse("").equals("true")) {
                        fail("the copy went past 80 % before it could be caught (is redis.copy-rate-limit=10000 "
                                + "honoured?): " + status.body());
                    }
                    return copied >= TOTAL * 0.2;
                });
            } finally {
                // nothing in flight at the kill: every acknowledged write is on both sides (dual write)
                writers.stop();
            }
            Reply beforeKill = api.status();
            seenBeforeKill = number(beforeKill, "keys_copied");
            assertTrue(MOVING.contains(beforeKill.text("phase").orElse("")), beforeKill.body());
            first.kill();
            assertNoClientFailures(writers, "before the kill");
        }

        try (EdenProcess second = EdenProcess.start(data, redisPort, apiPort, log, OPTIONS)) {
            MigrationApi api = second.api();
            Reply resumed = api.status();
            assertTrue(MOVING.contains(resumed.text("phase").orElse("")),
                    "after the restart the migration moves data again by itself: " + resumed.body());
            long floor = seenBeforeKill - CHECKPOINT_TRAIL;
            AtomicLong lowest = new AtomicLong(number(resumed, "keys_copied"));
            StringBuilder series = new StringBuilder();
            long operationsBefore = writers.operations();
            writers.start(second.redis());
            Reply done;
            try {
                MigrationApi.sleep(Duration.ofMillis(300));
                done = api.awaitStatus("copy complete after the restart", Duration.ofSeconds(120), status -> {
                    MigrationApi.failIfGivenUp(status, "the resumed copy to complete");
                    long copied = number(status, "keys_copied");
                    if (copied < lowest.get()) {
                        lowest.set(copied);
                    }
                    if (series.length() < 2_000) {
                        series.append(copied).append(' ');
                    }
                    return status.scalar("copy_complete").orElse("").equals("true");
                });
            } finally {
                writers.stop();
            }
            Reply finished = done;
            long finalCopied = number(finished, "keys_copied");
            long ceiling = (long) (TOTAL * 1.05) + writers.seededKeys() + 2L * BATCH;
            System.out.printf("RedisCopyResumeTest: keys_copied %d before the kill, %d first after the restart, "
                    + "lowest %d (floor %d), %d at the end (ceiling %d)%n", seenBeforeKill,
                    number(resumed, "keys_copied"), lowest.get(), floor, finalCopied, ceiling);
            long operationsAfter = writers.operations() - operationsBefore;
            assertAll("the resumed copy",
                    () -> assertNoClientFailures(writers, "after the restart"),
                    () -> assertTrue(operationsAfter >= 20, "the writers ran during the resumed copy: "
                            + operationsAfter + " operations"),
                    () -> assertTrue(lowest.get() >= floor, "keys_copied was " + seenBeforeKill + " before the kill, "
                            + "so the checkpoint is at least ~" + floor + "; after the restart it reported "
                            + lowest.get() + " (from scratch?). Series: " + series + "\n" + second.logTail()),
                    () -> assertTrue(finalCopied <= ceiling, "the copy started over instead of resuming: keys_copied "
                            + finalCopied + " for " + TOTAL + " keys (" + seenBeforeKill
                            + " were copied before the kill): " + finished.body()),
                    () -> assertTrue(finalCopied >= TOTAL * 0.95, "keys_copied " + finalCopied + " of " + TOTAL
                            + ": " + finished.body()),
                    () -> assertIdentical(servers.source, servers.target),
                    () -> assertHoldsEveryAcknowledgedWrite(writers, servers.source, "source"),
                    () -> assertHoldsEveryAcknowledgedWrite(writers, servers.target, "target"));
        }
    }
}

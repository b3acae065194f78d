package io.eden.bootstrap.migration;

import static io.eden.bootstrap.migration.MigrationApi.cutover;
import static io.eden.bootstrap.migration.MigrationApi.dualWrite;
import static io.eden.bootstrap.migration.MigrationApi.number;
import static io.eden.bootstrap.migration.MigrationAssertions.assertHoldsEveryAcknowledgedWrite;
import static io.eden.bootstrap.migration.MigrationAssertions.assertIdentical;
import static io.eden.bootstrap.migration.MigrationAssertions.assertNoClientFailures;
import static io.eden.bootstrap.migration.MigrationAssertions.assertReadsFollowTheCanary;
import static io.eden.bootstrap.migration.MigrationAssertions.assertWriteLandsOnlyOn;
import static io.eden.bootstrap.migration.MigrationAssertions.keepTraffic;
import static io.eden.bootstrap.migration.MigrationAssertions.routed;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.bootstrap.support.ApiClient.Reply;
import io.eden.domain.routing.HashSlot;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Redis migration, end to end, under live traffic: two real redis-servers, the source
 * preloaded with keys of every type in db 0 and db 2 (some expiring), Eden in-process with
 * {@code --listen}, the seed's endpoints and migration created through the API. Writers run
 * through Eden the whole time (see {@link TrafficWriters}) while the test drives
 * migrate → copy complete → validate → canary reads 5 %, 25 %, 75 % → write cutover →
 * rollback → (same migration) migrate again → cutover → complete.
 *
 * <p>It proves: no client ever sees an error or a wrong reply; reads follow the canary per key,
 * only once the copy is complete; after the traffic stops both servers are identical key by key
 * (type, value, expiry, every database), and each holds exactly the acknowledged writes: every
 * counter equals its start plus the acknowledged INCR/INCRBY (from plain commands, MULTI/EXEC and
 * Lua), every list holds exactly the pushed elements in order; after rollback writes reach only
 * the source and the second copy brings the target up to date; after completion Eden routes to
 * the target, which holds everything.
 */
class RedisMigrationJourneyTest {
    /** Keys preloaded in each of db 0 and db 2. */
    private static final int PRELOADED = 3_000;
    /** Slow enough that the copy takes a few seconds, under the writers' traffic. */
    private static final Map<String, String> OPTIONS = Map.of("redis.copy-rate-limit", "2500",
            "redis.copy-batch-keys", "200");
    private static final Duration COPY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HOLD = Duration.ofMillis(800);

    @RegisterExtension
    static final TwoRedisServers servers = new TwoRedisServers();

    @TempDir
    Path temp;

    @Test
    void aMigrationRolledBackAndRunAgainUnderLiveTrafficLosesNothingAndEndsOnTheTarget() {
        TrafficWriters writers = servers.preload(4, PRELOADED, PRELOADED, Duration.ofNanos(300_000));
        try (InProcessEden eden = InProcessEden.start(temp, OPTIONS)) {
            MigrationApi api = eden.api();
            InetSocketAddress app = eden.redis();
            api.createEndpoints(servers.source.port(), servers.target.port());
            api.createMigration("rollback_all");

            writers.start(app);
            try {
                keepTraffic(writers, Duration.ofMillis(500), "before the migration");
                firstMigrationUpToACutover(api, app, writers);
                rollbackSendsEverythingBackToTheSource(api, app, writers);
                secondMigrationUpToAFullCutover(api, writers);
            } catch (AssertionError | RuntimeException e) {
                writers.stop();
                e.addSuppressed(new AssertionError("client failures meanwhile: " + writers.failures()));
                throw e;
            }
            writers.stop();
            writers.mark("writers stopped");
            assertAll("after the migration, its rollback and its second run, with the writers stopped",
                    () -> assertNoClientFailures(writers, "during the migration, its rollback and its second run"),
                    () -> api.awaitStatus("replication_lag_ms 0 once the writers stopped", Duration.ofSeconds(10),
                            status -> status.scalar("replication_lag_ms").map(Double::parseDouble)
                                    .orElse(-1.0) == 0),
                    () -> assertIdentical(servers.source, servers.target),
                    () -> assertHoldsEveryAcknowledgedWrite(writers, servers.source, "source"),
                    () -> assertHoldsEveryAcknowledgedWrite(writers, servers.target, "target"));

            completionUnderTrafficEndsOnTheTarget(api, app, writers);
        }
    }

    private void firstMigrationUpToACutover(MigrationApi api, InetSocketAddress app, TrafficWriters writers) {
        writers.mark("POST /migrate");
        Reply started = api.migrate();
        readsStayOnTheSourceUntilTheCopyIsComplete(started);
        long before = writers.operations();
        Reply copied = api.awaitCopyComplete(COPY_TIMEOUT);
        assertTrue(writers.operations() - before > 100, "the writers ran during the copy");
        copiedEverything(copied);
        writers.mark("copy complete; POST /validate");

        Reply validated = api.validate();
        assertEquals(Optional.of("0"), validated.scalar("differences"),
                "/validate compares both sides ordered against the writes in flight: " + validated.body());
        assertTrue(number(validated, "keys_compared") >= PRELOADED, validated.body());
        assertEquals(Optional.of("validating"), validated.text("phase"), validated.body());
        api.awaitStatus("ready_for_cutover after a clean validation", Duration.ofSeconds(10),
                status -> status.scalar("ready_for_cutover").orElse("").equals("true"));

        for (double read : new double[] {0.05, 0.25, 0.75}) {
            writers.mark("PATCH read_percentage " + read);
            Reply patched = api.patch(dualWrite(read));
            assertEquals(HashSlot.boundary(read), routed(patched, "read_slots_on_target"), patched.body());
            assertEquals(0, routed(patched, "write_slots_on_target"), patched.body());
            assertReadsFollowTheCanary(api, app, servers.source, servers.target, read, "first" + read);
            keepTraffic(writers, HOLD, "with read_percentage " + read);
        }

        writers.mark("PATCH cutover write_percentage 1.0, read_percentage 0.75");
        Reply cut = api.patch(cutover(0.75, 1.0));
        assertEquals(Optional.of("cut_over"), cut.text("phase"), cut.body());
        assertEquals(HashSlot.COUNT, routed(cut, "write_slots_on_target"), cut.body());
        assertEquals(HashSlot.COUNT, routed(cut, "slots_mirrored_to_source"), "cutover mirrors back: " + cut.body());
        assertEquals(HashSlot.boundary(0.75), routed(cut, "read_slots_on_target"), cut.body());
        assertReadsFollowTheCanary(api, app, servers.source, servers.target, 0.75, "cutover");
        keepTraffic(writers, HOLD, "after the write cutover");
    }

    private void rollbackSendsEverythingBackToTheSource(MigrationApi api, InetSocketAddress app,
                                                        TrafficWriters writers) {
        writers.mark("POST /rollback");
        Reply rolledBack = api.rollback();
        assertEquals(Optional.of("rolled_back"), rolledBack.text("phase"), rolledBack.body());
        assertEquals(Optional.of(MigrationApi.SOURCE), api.interlayEndpoint());
        Reply migration = api.migration();
        assertEquals(0, routed(migration, "write_slots_on_target"), migration.body());
        assertEquals(0, routed(migration, "read_slots_on_target"), migration.body());
        assertWriteLandsOnlyOn(app, servers.source, servers.target, "journey:while-rolled-back", "source");
        // writes (and DELs) keep landing on the source alone now: the second run must bring the target up to date
        keepTraffic(writers, Duration.ofMillis(1_500), "while rolled back");
    }

    private void secondMigrationUpToAFullCutover(MigrationApi api, TrafficWriters writers) {
        // the strategy still says cutover: back to the seed's dual write before moving data again
        writers.mark("PATCH dual_write 0.05 while rolled back");
        api.patch(dualWrite(0.05));
        writers.mark("POST /migrate again");
        Reply restarted = api.migrate();
        readsStayOnTheSourceUntilTheCopyIsComplete(restarted);
        copiedEverything(api.awaitCopyComplete(COPY_TIMEOUT));
        writers.mark("second copy complete; PATCH read_percentage 0.5");
        Reply half = api.patch(dualWrite(0.5));
        assertEquals(HashSlot.boundary(0.5), routed(half, "read_slots_on_target"), half.body());
        keepTraffic(writers, HOLD, "with half the reads on the target");
        writers.mark("PATCH cutover write_percentage 1.0, read_percentage 1.0");
        Reply cut = api.patch(cutover(1.0, 1.0));
        assertEquals(Optional.of("cut_over"), cut.text("phase"), cut.body());
        assertEquals(HashSlot.COUNT, routed(cut, "read_slots_on_target"), cut.body());
        assertEquals(HashSlot.COUNT, routed(cut, "write_slots_on_target"), cut.body());
        keepTraffic(writers, HOLD, "after the second cutover");
    }

    private void completionUnderTrafficEndsOnTheTarget(MigrationApi api, InetSocketAddress app,
                                                       TrafficWriters writers) {
        writers.start(app);
        try {
            keepTraffic(writers, Duration.ofMillis(300), "before completing");
            writers.mark("POST /complete");
            Reply completed = api.complete();
            assertEquals(Optional.of("completed"), completed.text("phase"), completed.body());
            keepTraffic(writers, Duration.ofMillis(700), "after completing");
        } finally {
            writers.stop();
        }
        assertAll("after completion",
                () -> assertNoClientFailures(writers, "while the migration completed"),
                () -> assertEquals(Optional.of(MigrationApi.TARGET), api.interlayEndpoint(),
                        "completed: the interlay is the target's"),
                () -> assertHoldsEveryAcknowledgedWrite(writers, servers.target, "target (after completion)"),
                () -> assertWriteLandsOnlyOn(app, servers.target, servers.source, "journey:after-complete", "target"));
    }

    /** Until the copy is complete the target misses keys: the percentage says 5 %, but no read goes there. */
    private static void readsStayOnTheSourceUntilTheCopyIsComplete(Reply migration) {
        if (!migration.scalar("copy_complete").orElse("false").equals("true")) {
            assertEquals(0, routed(migration, "read_slots_on_target"), migration.body());
        }
    }

    private static void copiedEverything(Reply status) {
        long copied = number(status, "keys_copied");
        long scanned = number(status, "keys_scanned");
        // a few preloaded keys expire during the copy; writers add a few hundred
        assertTrue(copied >= PRELOADED * 2 * 0.95, "keys_copied " + copied + ": " + status.body());
        assertTrue(scanned >= copied, "keys_scanned " + scanned + " < keys_copied " + copied + ": " + status.body());
        assertTrue(number(status, "keys_total_estimate") > 0, status.body());
        assertTrue(number(status, "bytes_copied") > 0, status.body());
        assertEquals(Optional.of("0"), status.scalar("mirror_errors"), status.body());
    }
}

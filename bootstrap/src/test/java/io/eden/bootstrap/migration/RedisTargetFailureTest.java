package io.eden.bootstrap.migration;

import static io.eden.bootstrap.migration.MigrationApi.dualWrite;
import static io.eden.bootstrap.migration.MigrationAssertions.assertHoldsEveryAcknowledgedWrite;
import static io.eden.bootstrap.migration.MigrationAssertions.assertNoClientFailures;
import static io.eden.bootstrap.migration.MigrationAssertions.assertWriteLandsOnlyOn;
import static io.eden.bootstrap.migration.MigrationAssertions.keepTraffic;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.bootstrap.support.ApiClient.Reply;
import io.eden.bootstrap.support.RealRedis;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The target redis-server dies (SIGKILL) in the middle of a migration whose failure handling is
 * {@code rollback_all}, with writers running through Eden and a quarter of the reads already on
 * the target.
 *
 * <p>It proves: no client sees an error reply or a dropped connection (the source is
 * authoritative, so a failed mirror is Eden's problem, not the application's); the migration
 * rolls back by itself and says why (the reason names the target or the mirror); the interlay
 * routes to the source again; the source holds every acknowledged write, nothing lost across the
 * failure; and from then on writes go only to the source: a fresh redis-server started where the
 * target was receives nothing.
 */
class RedisTargetFailureTest {
    private static final int PRELOADED = 1_000;

    @RegisterExtension
    static final TwoRedisServers servers = new TwoRedisServers();

    @TempDir
    Path temp;

    @Test
    void whenTheTargetDiesTheMigrationRollsBackAndNoClientNotices() {
        TrafficWriters writers = servers.preload(3, PRELOADED, PRELOADED, Duration.ofNanos(300_000));
        try (InProcessEden eden = InProcessEden.start(temp, Map.of())) {
            MigrationApi api = eden.api();
            InetSocketAddress app = eden.redis();
            api.createEndpoints(servers.source.port(), servers.target.port());
            api.createMigration("rollback_all");
            writers.start(app);
            try {
                api.migrate();
                api.awaitCopyComplete(Duration.ofSeconds(30));
                api.patch(dualWrite(0.25));
                keepTraffic(writers, Duration.ofMillis(700), "with the target healthy");

                int targetPort = servers.target.port();
                servers.target.kill();
                Reply rolledBack = api.awaitPhase("rolled_back", Duration.ofSeconds(20));
                String reason = rolledBack.text("phase_reason").orElse("").toLowerCase(Locale.ROOT);
                assertTrue(reason.contains("target") || reason.contains("mirror"),
                        "the status says why the migration rolled back: " + rolledBack.body());
                // endpoint health is remembered for 2 s: wait for the check that sees the dead target
                api.awaitStatus("target health other than healthy", Duration.ofSeconds(10),
                        status -> !status.text("target").equals(Optional.of("healthy")));
                Reply migration = api.migration();
                assertEquals(Optional.of("rolled_back"), migration.text("phase"), migration.body());
                assertTrue(migration.body().toLowerCase(Locale.ROOT).contains(reason),
                        "the migration's history keeps the reason: " + migration.body());
                assertEquals(Optional.of(MigrationApi.SOURCE), api.interlayEndpoint());
                keepTraffic(writers, Duration.ofMillis(700), "after the rollback");

                // an empty redis-server where the target was: nothing may reach it any more
                servers.target = RealRedis.startOn(targetPort, null);
                keepTraffic(writers, Duration.ofMillis(1_000), "with a new server on the target's address");
                assertWriteLandsOnlyOn(app, servers.source, servers.target, "failure:after-rollback", "source");
            } catch (AssertionError | RuntimeException e) {
                writers.stop();
                e.addSuppressed(new AssertionError("client failures meanwhile: " + writers.failures()));
                throw e;
            }
            writers.stop();
            assertAll("after the target died",
                    () -> assertNoClientFailures(writers, "while the target died and the migration rolled back"),
                    () -> assertHoldsEveryAcknowledgedWrite(writers, servers.source, "source"),
                    () -> {
                        try (Jedis fresh = servers.target.direct()) {
                            assertEquals(0, fresh.dbSize(), "db0 of the new target: " + fresh.keys("*"));
                            fresh.select(2);
                            assertEquals(0, fresh.dbSize(), "db2 of the new target: " + fresh.keys("*"));
                        }
                    });
        }
    }
}

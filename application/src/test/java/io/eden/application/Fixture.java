package io.eden.application;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.RouteView;
import io.eden.application.store.InMemoryStore;
import io.eden.application.service.ProtocolRegistry;
import io.eden.application.usecase.CreateEndpoint;
import io.eden.application.usecase.CreateInterlay;
import io.eden.application.usecase.CreateMigration;
import io.eden.application.view.EndpointView;
import io.eden.application.view.InterlayView;
import io.eden.application.view.MigrationView;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.Strategy;
import io.eden.domain.model.WriteMode;
import io.eden.domain.model.WritePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An EdenCore over the in-memory store with the test redis (and postgres) plugins and fake databases. */
final class Fixture implements AutoCloseable {
    final InMemoryStore store;
    final MutableClock clock = new MutableClock();
    final TestProtocol redis;
    final TestProtocol postgres = TestProtocol.postgres();
    final EdenCore core;
    final UseCases uc;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    Fixture(boolean redisMovesData) {
        this(redisMovesData, new InMemoryStore());
    }

    /** A second Eden process over the same store: what a restart finds. */
    Fixture(boolean redisMovesData, InMemoryStore store) {
        this.store = store;
        redis = TestProtocol.redis(redisMovesData);
        AdapterContext context = new AdapterContext() {
            @Override
            public EdenMetrics metrics() {
                return EdenMetrics.NONE;
            }

            @Override
            public Path dataDir() {
                return Path.of("target", "test-data");
            }

            @Override
            public Map<String, String> options() {
                return Map.of();
            }
        };
        core = new EdenCore(store.endpoints(), store.interlays(), store.migrations(), store.checkpoints(),
                new ProtocolRegistry(List.of(redis, postgres), context), clock);
        uc = core.useCases();
    }

    static Strategy dual(double readPercentage) {
        return new Strategy.Canary(readPercentage, new WriteMode.DualWrite(WritePolicy.OLD_AUTHORITATIVE));
    }

    static Strategy cutover(double readPercentage, double writePercentage) {
        return new Strategy.Canary(readPercentage, new WriteMode.Cutover(writePercentage));
    }

    FakeDatabase database() {
        try {
            FakeDatabase db = new FakeDatabase();
            closeables.add(db);
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    EndpointView endpoint(String id) {
        return uc.createEndpoint().execute(new CreateEndpoint.Command(id, database().uri("redis")));
    }

    InterlayView interlay(String id, String endpoint) {
        return uc.createInterlay().execute(new CreateInterlay.Command(id, endpoint, "127.0.0.1:0", false, Map.of()));
    }

    MigrationView migration(String id, FailureHandling failureHandling) {
        return uc.createMigration().execute(new CreateMigration.Command(id, "test " + id, dual(0.0),
                DataMode.DEFAULT, failureHandling));
    }

    /** Endpoints src and dst, interlay cache on src, migration m1 (rollback_all) with cache attached to dst. */
    MigrationView readyMigration() {
        return readyMigration(new FailureHandling.RollbackAll());
    }

    MigrationView readyMigration(FailureHandling failureHandling) {
        endpoint("src");
        endpoint("dst");
        interlay("cache", "src");
        migration("m1", failureHandling);
        return uc.attachInterlay().execute("m1", "cache", "dst");
    }

    TestAdapter redisAdapter() {
        return Objects.requireNonNull(redis.adapter(), "the redis adapter was not created yet");
    }

    RouteView route(String interlayId) {
        return Objects.requireNonNull(redisAdapter().routes.get(interlayId), "no listener for " + interlayId);
    }

    @Override
    public void close() throws Exception {
        core.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }
}

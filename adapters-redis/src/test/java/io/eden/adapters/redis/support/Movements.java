package io.eden.adapters.redis.support;

import io.eden.application.spi.DataMovementRequest;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Strategy;
import io.eden.domain.model.WriteMode;
import io.eden.domain.model.WritePolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Data movement requests as the application makes them, with checkpoints kept in memory and events recorded. */
public final class Movements {
    public static final Strategy DUAL_WRITE = new Strategy.Canary(0.0, new WriteMode.DualWrite(WritePolicy.OLD_AUTHORITATIVE));

    public final Map<String, String> checkpoints = new ConcurrentHashMap<>();
    public final List<String> failures = new CopyOnWriteArrayList<>();
    public final AtomicInteger completions = new AtomicInteger();

    public DataMovementRequest request(Endpoint source, Endpoint target, DataMode.Replace replace,
                                       FailureHandling failureHandling) {
        return request(source, target, new DataMode(DataMode.Type.SCAN, replace), failureHandling);
    }

    public DataMovementRequest request(Endpoint source, Endpoint target, DataMode data,
                                       FailureHandling failureHandling) {
        Migration migration = Migration.create("m1", "", DUAL_WRITE, data, failureHandling, Instant.now());
        InterlayAssignment assignment = new InterlayAssignment(EdenUnderTest.INTERLAY, source.id(), target.id());
        migration = migration.attach(assignment, Instant.now()).migration();
        return new DataMovementRequest(migration, assignment, source, target, new DataMovementRequest.Checkpoints() {
            @Override
            public Optional<String> load(String key) {
                return Optional.ofNullable(checkpoints.get(key));
            }

            @Override
            public void save(String key, String value) {
                checkpoints.put(key, value);
            }
        }, new DataMovementRequest.MovementEvents() {
            @Override
            public void failed(String reason) {
                failures.add(reason);
            }

            @Override
            public void copyCompleted() {
                completions.incrementAndGet();
            }
        });
    }
}

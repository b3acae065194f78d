package io.eden.bootstrap.migration;

import io.eden.bootstrap.support.RealRedis;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

/** A source and a target redis-server for one test class, and the source's preloaded keys. */
final class TwoRedisServers implements BeforeAllCallback, AfterAllCallback {
    RealRedis source;
    RealRedis target;

    @Override
    public void beforeAll(ExtensionContext context) {
        source = RealRedis.start();
        target = RealRedis.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (RealRedis redis : new RealRedis[] {source, target}) {
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Fills db 0 and db 2 of the source and seeds the writers' keys there; returns the writers, not yet started. */
    TrafficWriters preload(int writers, int db0Keys, int db2Keys, Duration pause) {
        TrafficWriters traffic = new TrafficWriters(writers, db0Keys, pause);
        try (Jedis direct = source.direct()) {
            Keyspaces.preload(direct, 0, db0Keys);
            Keyspaces.preload(direct, 2, db2Keys);
            traffic.seed(direct);
        }
        return traffic;
    }
}

package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.FixedRoute;
import io.eden.adapters.redis.support.RealRedis;
import io.eden.application.spi.RouteSnapshot;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Phase;
import io.eden.domain.model.Strategy;
import io.eden.domain.model.WriteMode;
import io.eden.domain.model.WritePolicy;
import io.eden.domain.routing.RoutingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * With a migration route (dual write, or cutover), each write goes to the authoritative side's
 * lane and its mirror to the same lane of the other side, queued at send time: concurrent
 * order-sensitive writes (APPEND) from many clients leave both sides byte-for-byte identical.
 */
class RedisDualWriteLanesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dual_write old_authoritative", "dual_write new_authoritative", "cutover 50%"})
    void both_sides_see_every_write_in_the_same_order(String mode) throws Exception {
        WriteMode writeMode = switch (mode) {
            case "dual_write old_authoritative" -> new WriteMode.DualWrite(WritePolicy.OLD_AUTHORITATIVE);
            case "dual_write new_authoritative" -> new WriteMode.DualWrite(WritePolicy.NEW_AUTHORITATIVE);
            default -> new WriteMode.Cutover(0.5);
        };
        try (RealRedis source = RealRedis.start(); RealRedis target = RealRedis.start()) {
            Endpoint from = source.endpoint("old", "");
            Endpoint to = target.endpoint("new", "");
            RoutingState state = new RoutingState(Phase.REPLICATING, new Strategy.Canary(0.0, writeMode), false);
            try (EdenUnderTest eden = EdenUnderTest.routed(ProxySettings.DEFAULTS, interlay -> new FixedRoute(
                    new RouteSnapshot(interlay.boundTo(from.id()), Optional.of(from), Optional.of(to),
                            Optional.of("m1"), Optional.of(state), 1)))) {
                int clients = 20;
                List<Future<?>> done = new ArrayList<>();
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int c = 0; c < clients; c++) {
                        int me = c;
                        done.add(pool.submit(() -> {
                            try (Jedis client = eden.jedis()) {
                                for (int round = 0; round < 10; round++) {
                                    Pipeline pipeline = client.pipelined();
                                    for (int k = 0; k < 32; k++) {
                                        pipeline.append("shared:" + k, Integer.toString(me % 10));
                                        pipeline.incr("counter:" + k);
                                    }
                                    pipeline.sync();
                                    // a write over several lanes: the barrier orders it on both sides alike
                                    client.mset("shared:1", "reset-by-" + me, "shared:2", "reset-by-" + me);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : done) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                }
                try (Jedis s = source.direct(); Jedis t = target.direct()) {
                    for (int k = 0; k < 32; k++) {
                        String onSource = s.get("shared:" + k);
                        assertEquals(onSource, t.get("shared:" + k), "shared:" + k + " differs between the sides");
                        assertEquals("200", s.get("counter:" + k));
                        assertEquals("200", t.get("counter:" + k));
                    }
                    assertTrue(RedisLanesTest.connectedClients(t) <= 16 + 1, "one connection per lane on the target");
                }
                assertEquals(0, eden.errors("mirror_error"));
                assertEquals(0, eden.errors("mirror_divergence"));
            }
        }
    }
}

package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.KeyspaceDiff;
import io.eden.adapters.redis.support.Movements;
import io.eden.adapters.redis.support.MovingRoute;
import io.eden.adapters.redis.support.RealRedis;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Phase;
import io.eden.domain.model.Strategy;
import io.eden.domain.model.WriteMode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;

/**
 * While a migration mirrors writes, what lives on a client's own connection is mirrored too:
 * transactions, scripts, other databases, and blocking pops (run as polls, so both sides pop
 * the same element). A cutover moves such a client to the target without an error.
 */
class RedisMirroredStateTest {

    @Test
    void transactions_scripts_databases_and_blocking_pops_reach_both_sides_alike() throws Exception {
        try (RealRedis source = RealRedis.start(); RealRedis target = RealRedis.start()) {
            Endpoint from = source.endpoint("old", "");
            Endpoint to = target.endpoint("new", "");
            MovingRoute[] route = new MovingRoute[1];
            try (EdenUnderTest eden = EdenUnderTest.routed(ProxySettings.DEFAULTS, interlay ->
                    route[0] = new MovingRoute(interlay, from, to, Phase.REPLICATING, Movements.DUAL_WRITE));
                 Jedis a = eden.jedis(); Jedis b = eden.jedis()) {
                Transaction tx = a.multi();
                tx.incr("tx:1");
                tx.rpush("tx:list", "x", "y");
                tx.exec();
                assertEquals(5L, a.eval("return redis.call('INCRBY', KEYS[1], 5)", 1, "script:1"));
                String sha = a.scriptLoad("return redis.call('INCRBY', KEYS[1], 7)");
                assertEquals(7L, b.evalsha(sha, 1, "script:2"), "the target runs it too, loaded or not");
                a.select(2);
                a.set("in-db-2", "v");
                a.incr("in-db-2:counter");
                a.select(0);

                // a pop that waits until another client pushes
                CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> a.blpop(5, "queue"));
                Thread.sleep(100);
                b.rpush("queue", "first", "second");
                assertEquals(List.of("queue", "first"), popped.get(5, TimeUnit.SECONDS));
                assertNull(a.blpop(0.2, "empty-queue"), "a timeout is a null, as from Redis");
                b.zadd("scores", 3, "c");
                var best = a.bzpopmin(1, "scores");
                assertEquals("scores", best.getKey());
                assertEquals("c", best.getValue().getElement());
                assertEquals("second", a.blmove("queue", "moved", ListDirection.LEFT, ListDirection.RIGHT, 1));
                assertEquals(0, eden.errors("mirror_error"));

                // a client in db 2 keeps working as writes move to the target
                a.select(2);
                a.incr("in-db-2:counter");
                route[0].move(Phase.CUT_OVER, new Strategy.Canary(1.0, new WriteMode.Cutover(1.0)), true);
                assertEquals(3L, a.incr("in-db-2:counter"), "the target had every earlier increment");
            }
            try (Jedis s = source.direct(); Jedis t = target.direct()) {
                assertEquals(List.of(), KeyspaceDiff.differences(s, t, 0, 2));
                t.select(2);
                assertEquals("3", t.get("in-db-2:counter"));
                assertTrue(s.exists("tx:list") && s.exists("moved"));
            }
        }
    }
}

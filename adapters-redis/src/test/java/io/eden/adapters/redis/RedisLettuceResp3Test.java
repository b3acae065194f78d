package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.support.EdenUnderTest;
import io.eden.adapters.redis.support.RealRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import io.lettuce.core.RedisFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lettuce speaks RESP3 (HELLO 3) through Eden: pipelining, transactions, pub/sub pushes. */
class RedisLettuceResp3Test {
    private static RealRedis redis;
    private static EdenUnderTest eden;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        redis = RealRedis.start();
        eden = EdenUnderTest.proxying(redis.endpoint());
        client = RedisClient.create("redis://127.0.0.1:" + eden.port());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (eden != null) {
            eden.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void async_pipelining_and_a_transaction() throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            List<RedisFuture<String>> sets = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                sets.add(async.set("lettuce:" + i, "v" + i));
            }
            for (RedisFuture<String> f : sets) {
                assertEquals("OK", f.get(5, TimeUnit.SECONDS));
            }
            assertEquals("v999", async.get("lettuce:999").get(5, TimeUnit.SECONDS));
            var sync = connection.sync();
            sync.multi();
            sync.incr("lettuce:tx");
            sync.incr("lettuce:tx");
            TransactionResult result = sync.exec();
            assertEquals(List.of(1L, 2L), List.of(result.get(0), result.get(1)));

            assertTrue(sync.clientInfo().contains("resp=3"), sync.clientInfo());
        }
    }

    @Test
    void pub_sub_messages_arrive_as_resp3_pushes() throws Exception {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> pub = client.connect()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + ":" + channel + "=" + message);
                }
            });
            sub.sync().subscribe("alerts");
            sub.sync().psubscribe("metrics.*");
            assertEquals("PONG", sub.sync().ping(), "RESP3 allows commands while subscribed");
            assertEquals(1L, pub.sync().publish("alerts", "fire"));
            assertEquals(1L, pub.sync().publish("metrics.cpu", "99"));
            assertEquals("alerts=fire", got.poll(5, TimeUnit.SECONDS));
            assertEquals("metrics.*:metrics.cpu=99", got.poll(5, TimeUnit.SECONDS));
        }
    }
}

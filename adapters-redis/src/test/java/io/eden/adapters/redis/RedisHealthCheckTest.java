package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.support.RealRedis;
import io.eden.adapters.redis.support.RecordingMetrics;
import io.eden.domain.model.Health;
import org.junit.jupiter.api.Test;

class RedisHealthCheckTest {

    @Test
    void a_running_server_is_healthy_and_a_stopped_one_is_not() {
        try (RedisProtocolAdapter adapter = new RedisProtocolAdapter(new RecordingMetrics(), ProxySettings.DEFAULTS)) {
            RealRedis redis = RealRedis.start();
            var endpoint = redis.endpoint();
            try {
                assertEquals(Health.HEALTHY, adapter.checkHealth(endpoint));
            } finally {
                redis.close();
            }
            assertEquals(Health.UNHEALTHY, adapter.checkHealth(endpoint));
        }
    }
}

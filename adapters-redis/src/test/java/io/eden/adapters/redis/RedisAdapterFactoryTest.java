package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.support.RecordingMetrics;
import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.ProtocolAdapterFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisAdapterFactoryTest {

    record Context(EdenMetrics metrics, Path dataDir, Map<String, String> options) implements AdapterContext {
    }

    @Test
    void the_service_loader_finds_the_redis_plugin() {
        List<ProtocolAdapterFactory> factories = ServiceLoader.load(ProtocolAdapterFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(f -> f.id().equals("redis")).toList();
        assertEquals(1, factories.size());
        ProtocolAdapterFactory redis = factories.getFirst();
        assertInstanceOf(RedisAdapterFactory.class, redis);
        assertEquals(Set.of("redis", "rediss"), redis.uriSchemes());
        assertEquals(6379, redis.defaultPort());
        assertEquals(ProtocolAdapterFactory.SPI_VERSION, redis.spiVersion());
    }

    @Test
    void create_reads_the_protocol_options() {
        Context context = new Context(new RecordingMetrics(), Path.of("data"),
                Map.of("max-bulk-length", "1mb", "lanes", "16"));
        try (ProtocolAdapter adapter = new RedisAdapterFactory().create(context)) {
            assertInstanceOf(RedisProtocolAdapter.class, adapter);
        }
        Context broken = new Context(new RecordingMetrics(), Path.of("data"), Map.of("max-nesting-depth", "deep"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new RedisAdapterFactory().create(broken));
        assertTrue(refused.getMessage().contains("max-nesting-depth must be a whole number, got 'deep'"),
                refused.getMessage());
    }
}

package io.eden.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.ProtocolAdapterFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtocolOptionsTest {
    private final List<AdapterContext> seen = new ArrayList<>();

    @Test
    void eachAdapterSeesOnlyItsOwnOptionsWithoutThePrefix() {
        List<ProtocolAdapterFactory> scoped = ProtocolOptions.scope(List.of(factory("redis"), factory("postgres")),
                Map.of("redis.max-bulk-length", "64mb", "postgres.pool-size", "20"), EdenMetrics.NONE, Path.of("d"));
        scoped.get(0).create(null);
        scoped.get(1).create(null);
        assertEquals(Map.of("max-bulk-length", "64mb"), seen.get(0).options());
        assertEquals(Map.of("pool-size", "20"), seen.get(1).options());
        assertEquals(Path.of("d"), seen.get(0).dataDir());
        assertEquals("redis", scoped.get(0).id());
        assertEquals(ProtocolAdapterFactory.SPI_VERSION, scoped.get(0).spiVersion());
    }

    @Test
    void anOptionForNoKnownProtocolIsAUsageError() {
        StartupException refused = assertThrows(StartupException.class, () -> ProtocolOptions.scope(
                List.of(factory("redis")), Map.of("lanes", "16"), EdenMetrics.NONE, Path.of("d")));
        assertEquals(StartupException.USAGE, refused.exitCode());
        assertTrue(refused.getMessage().contains("PROTOCOL.NAME=VALUE"), refused.getMessage());
    }

    private ProtocolAdapterFactory factory(String id) {
        return new ProtocolAdapterFactory() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Set<String> uriSchemes() {
                return Set.of(id);
            }

            @Override
            public int defaultPort() {
                return 1;
            }

            @Override
            public int spiVersion() {
                return SPI_VERSION;
            }

            @Override
            public ProtocolAdapter create(AdapterContext context) {
                seen.add(context);
                return null;
            }
        };
    }
}

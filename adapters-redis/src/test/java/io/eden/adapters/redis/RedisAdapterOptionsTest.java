package io.eden.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.proxy.UpstreamTls;
import io.eden.adapters.redis.resp.RespLimits;
import io.eden.adapters.redis.support.TestCerts;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisAdapterOptionsTest {

    @Test
    void without_options_the_limits_are_those_of_redis() {
        ProxySettings settings = RedisAdapterOptions.parse(Map.of());
        assertEquals(new RespLimits(512L * 1024 * 1024, 1024 * 1024, 128, 64 * 1024), settings.clientLimits());
        assertEquals(Duration.ofSeconds(2), settings.healthTimeout());
    }

    @Test
    void sizes_take_redis_suffixes_and_numbers_are_read_exactly() {
        ProxySettings settings = RedisAdapterOptions.parse(Map.of("max-bulk-length", "16mb",
                "max-aggregate-length", "5000", "max-nesting-depth", "32", "max-inline-length", "8kb",
                "upstream-connect-timeout-ms", "750", "health-timeout-ms", "1500"));
        assertEquals(new RespLimits(16L << 20, 5000, 32, 8192), settings.clientLimits());
        assertEquals(Duration.ofMillis(750), settings.upstreamConnectTimeout());
        assertEquals(Duration.ofMillis(1500), settings.healthTimeout());
        assertEquals(2_000_000, RedisAdapterOptions.parse(Map.of("max-bulk-length", "2m")).clientLimits().maxBulkLength());
        assertEquals(3072, RedisAdapterOptions.parse(Map.of("max-bulk-length", "3KB")).clientLimits().maxBulkLength());
    }

    @Test
    void invalid_values_are_refused_with_the_option_name() {
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> RedisAdapterOptions.parse(Map.of("max-bulk-length", "4gb")));
        assertTrue(tooBig.getMessage().contains("maxBulkLength"), tooBig.getMessage());
        IllegalArgumentException notASize = assertThrows(IllegalArgumentException.class,
                () -> RedisAdapterOptions.parse(Map.of("max-inline-length", "lots")));
        assertTrue(notASize.getMessage().contains("max-inline-length must be a size"), notASize.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RedisAdapterOptions.parse(Map.of("health-timeout-ms", "0")));
    }

    @Test
    void tls_files_go_together_and_a_file_that_cannot_be_read_is_named() {
        ProxySettings plain = RedisAdapterOptions.parse(Map.of());
        assertTrue(plain.clientTls().isEmpty());
        assertSame(UpstreamTls.JDK_DEFAULTS, plain.upstreamTls());
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> RedisAdapterOptions.parse(Map.of("tls-cert-file", "/etc/eden/cert.pem")));
        assertTrue(alone.getMessage().contains("tls-cert-file and tls-key-file go together"), alone.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> RedisAdapterOptions.parse(Map.of("tls-ca-file", "/nonexistent/ca.pem")));
        assertTrue(missing.getMessage().contains("tls-ca-file") && missing.getMessage().contains("/nonexistent/ca.pem"),
                missing.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RedisAdapterOptions.parse(Map.of("tls-handshake-timeout-ms", "0")));
    }

    @Test
    void tls_files_are_read_at_start() {
        assumeTrue(TestCerts.available(), "openssl is not installed");
        TestCerts certs = TestCerts.get();
        ProxySettings settings = RedisAdapterOptions.parse(Map.of("tls-cert-file", certs.serverCert().toString(),
                "tls-key-file", certs.serverKey().toString(), "tls-ca-file", certs.ca().toString()));
        assertTrue(settings.clientTls().isPresent());
        assertNotSame(UpstreamTls.JDK_DEFAULTS, settings.upstreamTls());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> RedisAdapterOptions.parse(Map.of("tls-cert-file", certs.serverCert().toString(),
                        "tls-key-file", certs.ecServerKeySec1().toString())));
        assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());
    }

    @Test
    void the_copy_yields_to_clients_as_configured_and_nonsense_is_refused() {
        assertEquals(8.0, RedisAdapterOptions.parseMovement(Map.of()).clientShare());
        assertEquals(0.5, RedisAdapterOptions.parseMovement(Map.of("copy-client-share", "0.5")).clientShare());
        assertEquals(0.0, RedisAdapterOptions.parseMovement(Map.of("copy-client-share", "0")).clientShare());
        for (String bad : new String[] {"-1", "101", "NaN", "often"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> RedisAdapterOptions.parseMovement(Map.of("copy-client-share", bad)));
            assertTrue(refused.getMessage().contains("copy-client-share"), refused.getMessage());
        }
    }
}

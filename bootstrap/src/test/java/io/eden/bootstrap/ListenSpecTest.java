package io.eden.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.domain.model.ListenAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListenSpecTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0:6379, , 0.0.0.0, 6379",
            "127.0.0.1:0, , 127.0.0.1, 0",
            ":6380, , 0.0.0.0, 6380",
            "redis://127.0.0.1:6379, redis, 127.0.0.1, 6379",
            "REDIS://localhost:1, redis, localhost, 1",
            "postgres://0.0.0.0:5432, postgres, 0.0.0.0, 5432",
            "postgresql://[::1]:5432, postgresql, ::1, 5432"})
    void readsTheFormsOfTheSeedAndTheExplicitOnes(String text, String scheme, String host, int port) {
        ListenSpec spec = ListenSpec.parse(text);
        assertEquals(Optional.ofNullable(scheme), spec.scheme());
        assertEquals(new ListenAddress(host, port), spec.address());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "6379", "host", "host:port", "host:70000", "redis://", "1x://h:1",
            "redis://user:Secret99@h:1", "redis://h:1/0", "postgres://h:1?sslmode=require"})
    void refusesAnythingElseWithoutRepeatingTheValue(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ListenSpec.parse(text));
        assertFalse(refused.getMessage().contains("Secret99"), refused.getMessage());
        assertTrue(refused.getMessage().matches(".*(HOST:PORT|e\\.g\\.|port|protocol).*"), refused.getMessage());
    }
}

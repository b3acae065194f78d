package io.eden.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.domain.error.InvalidValueException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The small value records and checks of the model. */
class ValuesTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0:6379, 0.0.0.0, 6379",
            ":6379, 0.0.0.0, 6379",
            "[::1]:6380, ::1, 6380",
            "localhost:0, localhost, 0",
            "' 127.0.0.1:65535 ', 127.0.0.1, 65535",
            "redis.local:1, redis.local, 1",
    })
    void listenAddressParses(String text, String host, int port) {
        ListenAddress address = ListenAddress.parse(text);
        assertEquals(host, address.host());
        assertEquals(port, address.port());
    }

    @Test
    void listenAddressToStringBracketsIpv6() {
        assertEquals("[::1]:6380", ListenAddress.parse("[::1]:6380").toString());
        assertEquals("0.0.0.0:6379", ListenAddress.parse(":6379").toString());
        assertEquals(ListenAddress.parse("[::1]:6380"), ListenAddress.parse(ListenAddress.parse("[::1]:6380").toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "localhost", "6379", "host:", "host:abc", "host:-1", "host:65536",
            "host:70000", "host: 1", "[::1]"})
    void listenAddressRefusesBadInput(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> ListenAddress.parse(text));
        assertEquals("listen", e.field());
    }

    @Test
    void listenAddressRefusesNull() {
        assertEquals("listen", assertThrows(InvalidValueException.class, () -> ListenAddress.parse(null)).field());
        assertThrows(InvalidValueException.class, () -> new ListenAddress(" ", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "A1", "redis_interlay", "my-db.v2", "0start",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void validIds(String id) {
        assertEquals(id, Check.id("id", id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "_x", "-x", ".x", "has space", "slash/no", "ünï",
            "a2345678901234567890123456789012345678901234567890123456789012345", "semi;colon"})
    void invalidIds(String id) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Check.id("endpoint", id));
        assertEquals("endpoint", e.field());
        assertTrue(e.getMessage().startsWith("endpoint "), e.getMessage());
    }

    @Test
    void nullIdIsRequired() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Check.id("id", null));
        assertEquals("id is required", e.getMessage());
        assertEquals("x", assertThrows(InvalidValueException.class, () -> Check.required("x", null)).field());
        assertEquals("v", Check.required("x", "v"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, -0.1, 1.0000001, -1e-300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2})
    void fractionRefusesOutOfRange(double value) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> Check.fraction("read_percentage", value));
        assertEquals("read_percentage", e.field());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1e-9, 0.5, 0.999999, 1.0})
    void fractionAcceptsTheUnitInterval(double value) {
        assertEquals(value, Check.fraction("f", value));
    }

    @Test
    void strategyAndWriteModeCheckTheirFractions() {
        assertEquals("read_percentage", assertThrows(InvalidValueException.class,
                () -> new Strategy.Canary(Double.NaN, new WriteMode.DualWrite(WritePolicy.BEST_EFFORT))).field());
        assertEquals("write_percentage", assertThrows(InvalidValueException.class,
                () -> new WriteMode.Cutover(1.0000001)).field());
        assertEquals("write_mode", assertThrows(InvalidValueException.class,
                () -> new Strategy.Canary(0.5, null)).field());
        assertTrue(new WriteMode.Cutover(1.0).isFull());
        assertTrue(!new WriteMode.Cutover(0.9999999).isFull());
    }

    @Test
    void retryThenAllBounds() {
        assertEquals(0, new FailureHandling.RetryThenAll(0).retryCount());
        assertEquals(100, new FailureHandling.RetryThenAll(FailureHandling.MAX_RETRIES).retryCount());
        for (int bad : new int[] {-1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            InvalidValueException e = assertThrows(InvalidValueException.class, () -> new FailureHandling.RetryThenAll(bad));
            assertEquals("retry_count", e.field());
        }
        assertEquals("retry_then_all", new FailureHandling.RetryThenAll(3).wireName());
        assertEquals("rollback_all", new FailureHandling.RollbackAll().wireName());
        assertEquals("allow_partial", new FailureHandling.AllowPartial().wireName());
    }

    @Test
    void failureHandlingWireNames() {
        assertEquals(new FailureHandling.RollbackAll(), FailureHandling.fromWireName("f", "rollback_all"));
        assertEquals(new FailureHandling.AllowPartial(), FailureHandling.fromWireName("f", "allow_partial"));
        assertEquals("f", assertThrows(InvalidValueException.class,
                () -> FailureHandling.fromWireName("f", "retry_then_all")).field());
        assertEquals("f", assertThrows(InvalidValueException.class,
                () -> FailureHandling.fromWireName("f", null)).field());
    }

    @Test
    void interlayAssignmentRefusesSameSourceAndTarget() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> new InterlayAssignment("cache", "db1", "db1"));
        assertEquals("endpoint", e.field());
        assertTrue(e.getMessage().contains("db1"), e.getMessage());
        InterlayAssignment ok = new InterlayAssignment("cache", "db1", "db2");
        assertEquals("db2", ok.targetEndpointId());
        assertEquals("interlay", assertThrows(InvalidValueException.class,
                () -> new InterlayAssignment("bad id", "a", "b")).field());
    }

    @Test
    void interlayBinding() {
        Interlay unbound = new Interlay("redis_interlay", ProtocolId.REDIS, ListenAddress.parse(":6379"), false,
                Optional.empty(), Map.of());
        assertTrue(!unbound.isBound());
        Interlay bound = unbound.boundTo("src");
        assertEquals(Optional.of("src"), bound.endpointId());
        assertTrue(bound.isBound());
        assertEquals("endpoint", assertThrows(InvalidValueException.class, () -> unbound.boundTo("no way")).field());
    }

    @Test
    void protocolIdForm() {
        assertEquals("redis", new ProtocolId("redis").value());
        for (String bad : new String[] {"Redis", "", "1redis", "re dis"}) {
            assertEquals("protocol", assertThrows(InvalidValueException.class, () -> new ProtocolId(bad)).field());
        }
        assertThrows(InvalidValueException.class, () -> new ProtocolId(null));
    }

    @Test
    void wireNamesOfEnums() {
        assertEquals(WritePolicy.NEW_AUTHORITATIVE, WritePolicy.fromWireName("p", "new_authoritative"));
        assertEquals("p", assertThrows(InvalidValueException.class, () -> WritePolicy.fromWireName("p", "x")).field());
        assertEquals(DataMode.Type.SNAPSHOT, DataMode.Type.fromWireName("t", "snapshot"));
        assertEquals(DataMode.Replace.MERGE, DataMode.Replace.fromWireName("r", "merge"));
        assertThrows(InvalidValueException.class, () -> DataMode.Replace.fromWireName("r", "MERGE"));
    }

    @Test
    void invalidValueUnderAParent() {
        InvalidValueException e = new InvalidValueException("write_mode.mode", "write_mode.mode is bad").under("strategy");
        assertEquals("strategy.write_mode.mode", e.field());
        assertEquals("strategy.write_mode.mode is bad", e.getMessage());
    }
}

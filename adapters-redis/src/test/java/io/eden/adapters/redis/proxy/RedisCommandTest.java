package io.eden.adapters.redis.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespValue.IntegerValue;
import io.eden.adapters.redis.resp.RespValue.MapValue;
import io.eden.adapters.redis.resp.RespValue.NullValue;
import io.eden.domain.model.EndpointUri;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisCommandTest {

    @Test
    void frames_redis_ignores_are_no_command() throws RespProtocolException {
        assertEquals(Optional.empty(), RedisCommand.from(NullValue.ARRAY));
        assertEquals(Optional.empty(), RedisCommand.from(ArrayValue.of()));
    }

    @Test
    void a_command_is_an_array_of_bulk_strings_only() {
        assertEquals("expected '$', got ':'", assertThrows(RespProtocolException.class,
                () -> RedisCommand.from(ArrayValue.of(BulkString.of("GET"), new IntegerValue(1)))).getMessage());
        assertEquals("expected '*', got '%'", assertThrows(RespProtocolException.class,
                () -> RedisCommand.from(new MapValue(List.of()))).getMessage());
    }

    @Test
    void command_names_match_ignoring_case() throws RespProtocolException {
        RedisCommand quit = RedisCommand.from(ArrayValue.of(BulkString.of("qUiT"))).orElseThrow();
        assertTrue(quit.is("QUIT"));
        assertFalse(quit.is("QUITX"));
    }

    @Test
    void an_upstream_address_never_carries_the_password() {
        UpstreamAddress address = UpstreamAddress.of(EndpointUri.parse("rediss://u:pw@cache.example:6380/0"));
        assertEquals(new UpstreamAddress("cache.example", 6380, true), address);
        assertEquals("cache.example:6380", address.toString());
        assertEquals(6379, UpstreamAddress.of(EndpointUri.parse("redis://h")).port());
    }
}

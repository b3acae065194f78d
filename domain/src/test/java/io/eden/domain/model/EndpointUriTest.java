package io.eden.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.domain.error.InvalidValueException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointUriTest {

    @Test
    void plainRedis() {
        EndpointUri uri = EndpointUri.parse("redis://host:6379");
        assertEquals(new EndpointUri("redis", Optional.empty(), Optional.empty(), "host", OptionalInt.of(6379), "",
                Map.of()), uri);
        assertEquals("redis://host:6379", uri.redacted());
        assertEquals("redis://host:6379", uri.toString());
        assertEquals(6379, uri.portOr(1));
        assertEquals("", uri.database());
    }

    @Test
    void noPortUsesTheDefault() {
        EndpointUri uri = EndpointUri.parse("redis://cache.internal/2");
        assertEquals(OptionalInt.empty(), uri.port());
        assertEquals(6380, uri.portOr(6380));
        assertEquals("2", uri.database());
        assertEquals("/2", uri.path());
    }

    @Test
    void schemeIsLowerCased() {
        assertEquals("rediss", EndpointUri.parse("REDISS://h:1").scheme());
    }

    @Test
    void redissWithUserAndPassword() {
        EndpointUri uri = EndpointUri.parse("rediss://default:s3cretpw@redis.example.com:6380");
        assertEquals("rediss", uri.scheme());
        assertEquals(Optional.of("default"), uri.user());
        assertEquals(Optional.of("s3cretpw"), uri.password());
        assertEquals("redis.example.com", uri.host());
        assertEquals(OptionalInt.of(6380), uri.port());
        assertEquals("rediss://default:***@redis.example.com:6380", uri.redacted());
        assertEquals(uri.redacted(), uri.toString());
        assertFalse(uri.toString().contains("s3cretpw"));
        assertEquals("rediss://default:s3cretpw@redis.example.com:6380", uri.unredacted());
    }

    @Test
    void passwordWithoutUser() {
        EndpointUri uri = EndpointUri.parse("redis://:topsecret@h:6379");
        assertEquals(Optional.empty(), uri.user());
        assertEquals(Optional.of("topsecret"), uri.password());
        assertEquals("redis://:***@h:6379", uri.redacted());
        assertEquals(uri, EndpointUri.parse(uri.unredacted()));
    }

    @Test
    void postgresWithDatabaseAndQuery() {
        EndpointUri uri = EndpointUri.parse("postgres://app:pw1234@db.example.com:5432/orders?sslmode=require&application_name=eden");
        assertEquals("postgres", uri.scheme());
        assertEquals(Optional.of("app"), uri.user());
        assertEquals(Optional.of("pw1234"), uri.password());
        assertEquals("db.example.com", uri.host());
        assertEquals(OptionalInt.of(5432), uri.port());
        assertEquals("/orders", uri.path());
        assertEquals("orders", uri.database());
        assertEquals(Map.of("sslmode", "require", "application_name", "eden"), uri.query());
        String shown = uri.redacted();
        assertFalse(shown.contains("pw1234"), shown);
        assertTrue(shown.startsWith("postgres://app:***@db.example.com:5432/orders?"), shown);
        assertTrue(shown.contains("sslmode=require"), shown);
        assertEquals(uri, EndpointUri.parse(uri.unredacted()));
    }

    @Test
    void percentEncodedPasswordIsDecoded() {
        EndpointUri uri = EndpointUri.parse("redis://user:p%40ss%3Aword@host:6379");
        assertEquals(Optional.of("user"), uri.user());
        assertEquals(Optional.of("p@ss:word"), uri.password());
        assertEquals("host", uri.host());
        assertFalse(uri.redacted().contains("p@ss"), uri.redacted());
        assertFalse(uri.redacted().contains("p%40ss"), uri.redacted());
        assertEquals(uri, EndpointUri.parse(uri.unredacted()));
    }

    @Test
    void percentEncodedDatabaseNameRoundTrips() {
        EndpointUri uri = EndpointUri.parse("postgres://u:pw@h:5432/my%20db%3Fx");
        assertEquals("my db?x", uri.database());
        assertEquals(uri, EndpointUri.parse(uri.unredacted()));
    }

    @Test
    void plusInAPasswordStaysAPlus() {
        EndpointUri uri = EndpointUri.parse("redis://u:a+b@host:1");
        assertEquals(Optional.of("a+b"), uri.password());
        assertEquals(uri, EndpointUri.parse(uri.unredacted()));
    }

    @Test
    void ipv6Host() {
        EndpointUri uri = EndpointUri.parse("redis://user:pw9876@[::1]:6380/0");
        assertEquals("::1", uri.host());
        assertEquals(OptionalInt.of(6380), uri.port());
        assertEquals("redis://user:***@[::1]:6380/0", uri.redacted());
        assertEquals("redis://user:pw9876@[::1]:6380/0", uri.unredacted());
        assertEquals(uri, EndpointUri.parse(uri.unredacted()));
        EndpointUri full = EndpointUri.parse("postgres://[2001:db8::7]/app");
        assertEquals("2001:db8::7", full.host());
        assertEquals("postgres://[2001:db8::7]/app", full.redacted());
    }

    @Test
    void secretQueryParametersAreMasked() {
        EndpointUri uri = EndpointUri.parse("postgres://db:5432/app?sslmode=require&password=qwerty77&sslpassword=zxcv55&auth_token=tok42");
        String shown = uri.redacted();
        assertFalse(shown.contains("qwerty77"), shown);
        assertFalse(shown.contains("zxcv55"), shown);
        assertFalse(shown.contains("tok42"), shown);
        assertTrue(shown.contains("password=***"), shown);
        assertTrue(shown.contains("sslmode=require"), shown);
        assertEquals(shown, uri.toString());
        assertEquals("qwerty77", uri.query().get("password"));
        assertEquals(uri, EndpointUri.parse(uri.unredacted()));
    }

    @Test
    void unredactedRoundTripsForRandomPasswords() {
        Random random = new Random(99L);
        String chars = "abcXYZ019 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~é中";
        for (int round = 0; round < 500; round++) {
            StringBuilder pw = new StringBuilder();
            int len = 1 + random.nextInt(16);
            for (int i = 0; i < len; i++) {
                pw.append(chars.charAt(random.nextInt(chars.length())));
            }
            EndpointUri uri = new EndpointUri("postgres", Optional.of("us er@x"), Optional.of(pw.toString()), "db.local",
                    OptionalInt.of(5432), "/app " + pw.reverse() + "/x", Map.of("sslmode", "verify-full", "options", "-c a=b&c"));
            EndpointUri again = EndpointUri.parse(uri.unredacted());
            assertEquals(uri, again, () -> "password " + pw);
            pw.reverse();
            assertEquals(Optional.of(pw.toString()), again.password());
            String shown = uri.redacted();
            assertFalse(shown.contains(":" + pw + "@"), () -> "leaked " + pw + " in " + shown);
            assertTrue(shown.startsWith("postgres://us er@x:***@db.local:5432/"), shown);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "host:6379",                      // no scheme: 'host' is read as a scheme, no host
            "//user:hunter2pw@host:6379",     // no scheme
            "redis://",                        // no host
            "redis://:6379",                   // no host
            "redis://user:hunter2pw@:6379",    // no host, with a password
            "redis:///0",                      // no host
            "redis://host:0",                  // port 0
            "redis://user:hunter2pw@host:0",
            "redis://host:70000",              // port out of range
            "redis://user:hunter2pw@host:70000",
            "redis://user:hunter2pw@host:99999999999",
            "not a uri at all",
            "redis://user:hunter2pw@ho st:6379",  // garbage
            "redis://user:hunter2pw word@host:6379",
            "redis://user:p@hunter2pw@host:6379",
            "redis://user:hunter2pw%zz@host:6379",  // malformed escape
            "%%%",
            "",
            "   ",
    })
    void badInputsAreRefusedWithoutShowingThePassword(String text) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> EndpointUri.parse(text));
        assertEquals("uri", e.field());
        assertFalse(e.getMessage().contains("hunter2pw"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void nullIsRefused() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> EndpointUri.parse(null));
        assertEquals("uri", e.field());
    }

    @Test
    void queryMapIsCopied() {
        java.util.HashMap<String, String> q = new java.util.HashMap<>(Map.of("a", "1"));
        EndpointUri uri = new EndpointUri("redis", Optional.empty(), Optional.empty(), "h", OptionalInt.empty(), "", q);
        q.put("b", "2");
        assertEquals(Map.of("a", "1"), uri.query());
    }
}

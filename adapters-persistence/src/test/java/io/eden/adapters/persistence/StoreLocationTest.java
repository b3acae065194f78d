package io.eden.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoreLocationTest {
    private static final Path DATA = Path.of("/var/lib/eden");

    @Test
    void nothingMeansAnH2FileInTheDataDirectory() {
        for (String blank : new String[] {null, "", "  "}) {
            StoreLocation location = StoreLocation.parse(blank, DATA);
            assertEquals(StoreLocation.Kind.H2, location.kind());
            assertEquals("jdbc:h2:file:/var/lib/eden/eden;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE", location.jdbcUrl());
            assertEquals(Optional.of(DATA), location.directory());
            assertEquals("h2:/var/lib/eden/eden", location.description());
        }
    }

    @Test
    void aRelativeDataDirectoryIsMadeAbsolute() {
        StoreLocation location = StoreLocation.parse(null, Path.of("data"));
        assertTrue(location.jdbcUrl().startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath() + "/eden;"),
                location.jdbcUrl());
    }

    @Test
    void aDataDirectoryWithASemicolonIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StoreLocation.parse(null, Path.of("/tmp/a;b")));
    }

    @Test
    void postgresqlUriBecomesAJdbcUrlWithoutThePassword() {
        StoreLocation location = StoreLocation.parse(
                "postgresql://eden%40corp:p%40ss%3Aw%2Frd+x@db.example.com:6432/eden%20meta?sslmode=require"
                        + "&connectTimeout=5", DATA);
        assertEquals(StoreLocation.Kind.POSTGRESQL, location.kind());
        assertEquals("jdbc:postgresql://db.example.com:6432/eden%20meta?sslmode=require&connectTimeout=5",
                location.jdbcUrl());
        assertEquals(Optional.of("eden@corp"), location.user());
        assertEquals(Optional.of("p@ss:w/rd+x"), location.password());
        assertEquals("postgresql://eden@corp@db.example.com:6432/eden meta", location.description());
        assertEquals(location.description(), location.toString());
        assertEquals(Optional.empty(), location.directory());
        assertEquals(Map.of("ApplicationName", "eden", "logServerErrorDetail", "false"),
                location.driverProperties());
    }

    @Test
    void postgresAliasHostsAndQueryCredentials() {
        StoreLocation location = StoreLocation.parse(
                "POSTGRES://h1:5432,[::1]:5433/db?user=u&password=s%26cret&ApplicationName=mine", DATA);
        assertEquals("jdbc:postgresql://h1:5432,[::1]:5433/db?ApplicationName=mine", location.jdbcUrl());
        assertEquals(Optional.of("u"), location.user());
        assertEquals(Optional.of("s&cret"), location.password());
        assertEquals(Map.of("logServerErrorDetail", "false"), location.driverProperties());
        assertFalse(location.toString().contains("cret"));
    }

    @Test
    void postgresqlUriWithoutUserOrHost() {
        StoreLocation location = StoreLocation.parse("postgresql:///eden", DATA);
        assertEquals("jdbc:postgresql://localhost/eden", location.jdbcUrl());
        assertEquals(Optional.empty(), location.user());
        assertEquals(Optional.empty(), location.password());
        assertEquals("postgresql://localhost/eden", location.description());
    }

    @Test
    void jdbcUrlsAreTakenAsGivenAndDescribedWithoutParameters() {
        StoreLocation pg = StoreLocation.parse("jdbc:postgresql://db/eden?user=u&password=topsecret", DATA);
        assertEquals(StoreLocation.Kind.POSTGRESQL, pg.kind());
        assertEquals("jdbc:postgresql://db/eden?user=u&password=topsecret", pg.jdbcUrl());
        assertEquals("jdbc:postgresql://db/eden", pg.description());

        StoreLocation h2 = StoreLocation.parse("jdbc:h2:mem:x;PASSWORD=topsecret", DATA);
        assertEquals(StoreLocation.Kind.H2, h2.kind());
        assertEquals("jdbc:h2:mem:x", h2.description());
        assertEquals(Optional.empty(), h2.directory());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://root:topsecret@db/eden", "jdbc:mysql://db/eden?password=topsecret",
        "root:topsecret@db", "redis://:topsecret@cache", "topsecret", "memory:"})
    void otherStoresAreRefusedWithoutRepeatingTheUri(String uri) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StoreLocation.parse(uri, DATA));
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
        assertTrue(e.getMessage().contains("postgresql://"), e.getMessage());
    }

    @Test
    void aBadEscapeInThePasswordIsReportedWithoutIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreLocation.parse("postgresql://u:top%zzsecret@db/eden", DATA));
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertTrue(e.getMessage().contains("password"), e.getMessage());
    }

    @Test
    void persistenceStoreOpenRefusesUnknownStores() {
        assertThrows(IllegalArgumentException.class, () -> PersistenceStore.open("sqlite:///x", DATA));
    }
}

package io.eden.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared store: a real PostgreSQL, started once for the class. Each test gets its own
 * schema (selected with {@code currentSchema}, as a store sharing a database would be) in a
 * database owned by a role that must log in with a password (SCRAM), so a password that did
 * not reach the server fails the test.
 */
class PostgresStoreTest extends StoreContract {
    static final String ROLE = "eden";
    static final String ROLE_PASSWORD = "Store-Pa55:/@%+ wörd";
    static final String DATABASE = "eden";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectoryCustomizer(dir -> {
                    try {
                        // the superuser keeps trust (the test's own admin connection); everyone else needs a password
                        Files.writeString(dir.toPath().resolve("pg_hba.conf"), """
                                local all postgres trust
                                host  all postgres 127.0.0.1/32 trust
                                host  all postgres ::1/128 trust
                                local all all scram-sha-256
                                host  all all 127.0.0.1/32 scram-sha-256
                                host  all all ::1/128 scram-sha-256
                                """);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .start();
        admin("postgres", "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + ROLE_PASSWORD.replace("'", "''") + "'");
        admin("postgres", "CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    static void admin(String database, String sql) throws Exception {
        try (Connection c = postgres.getDatabase("postgres", database).getConnection();
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static String uri(String schema, String password) {
        return "postgresql://" + ROLE + ":" + URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20")
                + "@localhost:" + postgres.getPort() + "/" + DATABASE + "?sslmode=disable&currentSchema=" + schema;
    }

    @Override
    protected String freshStoreUri() throws Exception {
        String schema = "test_" + SCHEMAS.incrementAndGet();
        admin(DATABASE, "CREATE SCHEMA " + schema + " AUTHORIZATION " + ROLE);
        return uri(schema, ROLE_PASSWORD);
    }

    @Override
    protected Optional<String> storePassword() {
        return Optional.of(ROLE_PASSWORD);
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() {
        String wrong = "Wrong-Pa55-7731";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PersistenceStore.open(uri("public", wrong), dataDir));
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        assertTrue(e.getMessage().contains("postgresql://eden@localhost:" + postgres.getPort() + "/" + DATABASE),
                e.getMessage());
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
    }

    @Test
    void theDescriptionNamesTheServerButNotThePassword() {
        assertEquals("postgresql://eden@localhost:" + postgres.getPort() + "/" + DATABASE, store.description());
        assertFalse(store.description().contains(ROLE_PASSWORD));
    }

    @Test
    void postgresSchemeAliasAndJdbcUrlReachTheSameStore() throws Exception {
        store.endpoints().insert(endpoint("x", "redis://x"));
        store.close();
        store = PersistenceStore.open(storeUri.replaceFirst("^postgresql:", "postgres:"), dataDir);
        assertEquals(1, store.endpoints().findAll().size());
        store.close();
        String schema = storeUri.substring(storeUri.indexOf("currentSchema=") + "currentSchema=".length());
        store = PersistenceStore.open("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE
                + "?currentSchema=" + schema + "&user=" + ROLE + "&password="
                + URLEncoder.encode(ROLE_PASSWORD, StandardCharsets.UTF_8), dataDir);
        assertEquals(1, store.endpoints().findAll().size());
        assertFalse(store.description().contains(ROLE_PASSWORD), store.description());
        try (Connection c = postgres.getDatabase("postgres", DATABASE).getConnection();
             Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT application_name FROM pg_stat_activity WHERE usename = 'eden'")) {
            assertTrue(rs.next());
            assertEquals("eden", rs.getString(1));
        }
    }
}

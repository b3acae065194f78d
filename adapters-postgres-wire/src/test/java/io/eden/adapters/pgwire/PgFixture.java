package io.eden.adapters.pgwire;

import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.EdenMetrics;
import io.eden.application.spi.InterlayListener;
import io.eden.application.spi.ProtocolAdapter;
import io.eden.application.spi.RouteSnapshot;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.ProtocolId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/** One real PostgreSQL for all tests of the JVM, with SCRAM and MD5 users, and Eden listeners in front of it. */
final class PgFixture {
    static final String SCRAM_USER = "scram_user";
    static final String SCRAM_PASSWORD = "scram-secret";
    static final String MD5_USER = "md5_user";
    static final String MD5_PASSWORD = "md5-secret";
    static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static EmbeddedPostgres postgres;

    private PgFixture() {
    }

    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("password_encryption", "scram-sha-256")
                        // TLS on offer for the tests of TLS upstreams; the others connect with sslmode=disable
                        .setServerConfig("ssl", "on")
                        .setServerConfig("ssl_cert_file", TestCertificate.cert().toString())
                        .setServerConfig("ssl_key_file", TestCertificate.key().toString())
                        .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath()))
                        .start();
                try (Connection c = superuser(); Statement s = c.createStatement()) {
                    s.execute("CREATE ROLE " + SCRAM_USER + " LOGIN PASSWORD '" + SCRAM_PASSWORD + "'");
                    s.execute("SET password_encryption = 'md5'");
                    s.execute("CREATE ROLE " + MD5_USER + " LOGIN PASSWORD '" + MD5_PASSWORD + "'");
                    s.execute("GRANT ALL ON SCHEMA public TO " + SCRAM_USER + ", " + MD5_USER);
                }
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("cannot start PostgreSQL", e);
            }
        }
        return postgres;
    }

    private static void writeHba(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host all md5_user 127.0.0.1/32 md5
                    host all md5_user ::1/128 md5
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int port() {
        return postgres().getPort();
    }

    static Connection superuser() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "");
    }

    static Connection connect(int port, String user, String password, Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslmode", "disable");
        p.putAll(extra);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    static Connection connect(int port, String user, String password) throws SQLException {
        return connect(port, user, password, new Properties());
    }

    static AdapterContext context(Map<String, String> options) {
        return new AdapterContext() {
            @Override
            public EdenMetrics metrics() {
                return EdenMetrics.NONE;
            }

            @Override
            public Path dataDir() {
                return Path.of("target");
            }

            @Override
            public Map<String, String> options() {
                return options;
            }
        };
    }

    /** Eden in front of the test PostgreSQL; close the adapter to stop it. */
    record Eden(ProtocolAdapter adapter, InterlayListener listener) implements AutoCloseable {
        int port() {
            return listener.boundAddress().getPort();
        }

        @Override
        public void close() {
            listener.close();
            adapter.close();
        }
    }

    static Eden eden(Map<String, String> settings) throws IOException {
        return eden(settings, Map.of(), false, EdenMetrics.NONE);
    }

    static Eden eden(Map<String, String> settings, Map<String, String> options, boolean tls, EdenMetrics metrics)
            throws IOException {
        return eden(settings, options, tls, metrics, "disable");
    }

    /** {@code upstreamSslMode}: the endpoint URI's {@code sslmode}, how Eden connects to the test PostgreSQL. */
    static Eden eden(Map<String, String> settings, Map<String, String> options, boolean tls, EdenMetrics metrics,
                     String upstreamSslMode) throws IOException {
        ProtocolAdapter adapter = new PostgresAdapterFactory().create(new AdapterContext() {
            @Override
            public EdenMetrics metrics() {
                return metrics;
            }

            @Override
            public Path dataDir() {
                return Path.of("target");
            }

            @Override
            public Map<String, String> options() {
                return options;
            }
        });
        Interlay interlay = new Interlay("postgres_interlay", ProtocolId.POSTGRES, new ListenAddress("127.0.0.1", 0),
                tls, Optional.of("pg"), settings);
        Endpoint endpoint = new Endpoint("pg", EndpointUri.parse("postgres://postgres@127.0.0.1:" + port()
                + "/postgres?sslmode=" + upstreamSslMode), ProtocolId.POSTGRES);
        return new Eden(adapter, adapter.listen(interlay, route(interlay, endpoint)));
    }

    static RouteView route(Interlay interlay, Endpoint endpoint) {
        RouteSnapshot snapshot = new RouteSnapshot(interlay, Optional.of(endpoint), Optional.empty(), Optional.empty(),
                Optional.empty(), 1);
        return new RouteView() {
            @Override
            public RouteSnapshot current() {
                return snapshot;
            }

            @Override
            public AutoCloseable subscribe(Consumer<RouteSnapshot> listener) {
                return () -> {
                };
            }
        };
    }
}

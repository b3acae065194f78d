package io.eden.adapters.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.eden.application.port.out.CheckpointRepository;
import io.eden.application.port.out.EndpointRepository;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.port.out.MigrationRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eden's metadata store over JDBC: an embedded H2 file (the default) or a shared PostgreSQL
 * database, with the same schema on both. Opening it brings the schema up to date; closing it
 * closes the connection pool (and with it the H2 file).
 *
 * <pre>{@code
 * try (PersistenceStore store = PersistenceStore.open(options.store(), Path.of("data"))) {
 *     new CreateEndpoint(store.endpoints(), ...);
 * }
 * }</pre>
 *
 * Passwords stay out of everything this class logs or throws: the store URI is shown as
 * {@link #description()}, and SQL errors do not render bound values (an endpoint's URI holds
 * its password).
 */
public final class PersistenceStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistenceStore.class);
    private static final int H2_POOL_SIZE = 4;
    private static final int POSTGRES_POOL_SIZE = 8;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String description;
    private final int schemaVersion;
    private final EndpointRepository endpoints;
    private final InterlayRepository interlays;
    private final MigrationRepository migrations;
    private final CheckpointRepository checkpoints;

    private PersistenceStore(HikariDataSource dataSource, Jdbi jdbi, String description, int schemaVersion) {
        this.dataSource = dataSource;
        this.jdbi = jdbi;
        this.description = description;
        this.schemaVersion = schemaVersion;
        this.endpoints = new JdbiEndpointRepository(jdbi);
        this.interlays = new JdbiInterlayRepository(jdbi);
        this.migrations = new JdbiMigrationRepository(jdbi);
        this.checkpoints = new JdbiCheckpointRepository(jdbi);
    }

    /**
     * Opens the store named by {@code --store}, creating or upgrading its schema.
     *
     * @param storeUri null or blank: an H2 file {@code eden} in {@code dataDir} (the directory is
     *                 created); {@code postgresql://user:password@host:port/database?sslmode=...}
     *                 (or {@code postgres://}): PostgreSQL; a {@code jdbc:h2:} or
     *                 {@code jdbc:postgresql:} URL: used as given
     * @param dataDir  where the H2 file lives; not used by other stores
     * @throws IllegalArgumentException     the store URI is not one of those forms
     * @throws IncompatibleSchemaException  the store was written by a newer Eden
     * @throws IllegalStateException        the store cannot be reached or opened (e.g. the H2 file
     *                                      is in use by another process, PostgreSQL refuses the login)
     */
    public static PersistenceStore open(String storeUri, Path dataDir) {
        return open(StoreLocation.parse(storeUri, dataDir), SchemaMigrator.SCRIPTS);
    }

    static PersistenceStore open(StoreLocation location, List<SchemaMigrator.Script> scripts) {
        Objects.requireNonNull(location, "location is null");
        location.directory().ifPresent(PersistenceStore::createPrivateDirectory);
        HikariDataSource dataSource = connect(location);
        try {
            Jdbi jdbi = Jdbi.create(dataSource);
            // the default message lists bound values, and an endpoint's URI holds its password
            jdbi.getConfig(StatementExceptions.class)
                    .setMessageRendering(StatementExceptions.MessageRendering.NONE);
            int version = new SchemaMigrator(jdbi, scripts, location.description()).migrate();
            LOG.info("Store {} open, schema version {}", location.description(), version);
            return new PersistenceStore(dataSource, jdbi, location.description(), version);
        } catch (IllegalStateException | IllegalArgumentException e) {
            dataSource.close();
            throw e;
        } catch (RuntimeException e) {
            // e.g. a JdbiException while reading the schema version: say which store, keep the cause
            dataSource.close();
            throw new IllegalStateException("cannot open the store " + location.description() + ": "
                    + rootMessage(e), e);
        }
    }

    private static HikariDataSource connect(StoreLocation location) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("eden-store");
        config.setJdbcUrl(location.jdbcUrl());
        location.user().ifPresent(config::setUsername);
        location.password().ifPresent(config::setPassword);
        location.driverProperties().forEach(config::addDataSourceProperty);
        config.setMaximumPoolSize(location.kind() == StoreLocation.Kind.H2 ? H2_POOL_SIZE : POSTGRES_POOL_SIZE);
        config.setMinimumIdle(1);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // Hikari's message carries the driver's, which names host, user or file, never the password
            String message = rootMessage(e);
            if (location.kind() == StoreLocation.Kind.H2 && message.contains("locked")) {
                message += " (is another Eden using this data directory?)";
            }
            throw new IllegalStateException("cannot open the store " + location.description() + ": " + message, e);
        }
    }

    /** The H2 file holds endpoint passwords: a directory Eden creates is readable by its owner only. */
    private static void createPrivateDirectory(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return;
            }
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                if (dir.getParent() != null) {
                    Files.createDirectories(dir.getParent());
                }
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    public EndpointRepository endpoints() {
        return endpoints;
    }

    public InterlayRepository interlays() {
        return interlays;
    }

    public MigrationRepository migrations() {
        return migrations;
    }

    public CheckpointRepository checkpoints() {
        return checkpoints;
    }

    /** Where the store is, safe to log: no password. */
    public String description() {
        return description;
    }

    /** The schema version the store is at (the newest this code knows). */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** For tests of this package. */
    Jdbi jdbi() {
        return jdbi;
    }

    /** Closes the connection pool; with the last connection H2 closes its file. */
    @Override
    public void close() {
        dataSource.close();
        LOG.info("Store {} closed", description);
    }

    @Override
    public String toString() {
        return "PersistenceStore[" + description + "]";
    }
}

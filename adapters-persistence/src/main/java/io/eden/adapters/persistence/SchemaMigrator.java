package io.eden.adapters.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the store's schema to the version this code knows. Each version is one SQL script
 * on the class path, applied once, in order, inside a transaction together with its row in
 * {@code eden_schema_version}. A store at a newer version than the code knows is refused.
 *
 * <p>On PostgreSQL a session advisory lock serialises instances that start together, and DDL
 * is transactional, so a failed script leaves nothing behind. H2 commits each DDL statement
 * on its own: a script that fails half-way there needs a hand to clean up (H2 stores are
 * single-process, so only a broken script can get there).
 *
 * <p>Scripts are split on {@code ;} after dropping {@code --} comments: they must not hold
 * either inside string literals.
 */
final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    /** Any constant; only Eden's migrator takes this advisory lock. */
    private static final long LOCK_KEY = 0x4564656e_5363686dL; // "EdenSchm"

    /** One schema version: the script that makes it. */
    record Script(int version, String resource) {
        Script {
            if (version < 1) {
                throw new IllegalArgumentException("schema versions start at 1");
            }
            Objects.requireNonNull(resource, "resource is null");
        }
    }

    /** Every version this code knows, oldest first. Append only; never edit a released script. */
    static final List<Script> SCRIPTS = List.of(
            new Script(1, "db/V1__init.sql"));

    private final Jdbi jdbi;
    private final List<Script> scripts;
    private final String storeName;

    SchemaMigrator(Jdbi jdbi, List<Script> scripts, String storeName) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi is null");
        this.scripts = List.copyOf(scripts);
        this.storeName = Objects.requireNonNull(storeName, "storeName is null");
        for (int i = 0; i < this.scripts.size(); i++) {
            if (this.scripts.get(i).version() != i + 1) {
                throw new IllegalArgumentException("schema scripts must be versions 1, 2, 3, ... in order");
            }
        }
    }

    /** The version this code knows: the last script's. */
    int knownVersion() {
        return scripts.size();
    }

    /** Applies what is missing; returns the store's version afterwards. */
    int migrate() {
        return jdbi.withHandle(handle -> {
            boolean postgres = isPostgres(handle);
            if (postgres) {
                handle.createQuery("SELECT pg_advisory_lock(:key)").bind("key", LOCK_KEY).mapTo(String.class).list();
            }
            try {
                execute(handle.getConnection(), "CREATE TABLE IF NOT EXISTS eden_schema_version ("
                        + "version INTEGER NOT NULL PRIMARY KEY, "
                        + "script VARCHAR NOT NULL, "
                        + "applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                int current = currentVersion(handle);
                if (current > knownVersion()) {
                    throw new IncompatibleSchemaException(storeName, current, knownVersion());
                }
                for (Script script : scripts) {
                    if (script.version() > current) {
                        apply(handle, script);
                        current = script.version();
                    }
                }
                return current;
            } finally {
                if (postgres) {
                    handle.createQuery("SELECT pg_advisory_unlock(:key)").bind("key", LOCK_KEY)
                            .mapTo(Boolean.class).list();
                }
            }
        });
    }

    static int currentVersion(Handle handle) {
        return handle.createQuery("SELECT COALESCE(MAX(version), 0) FROM eden_schema_version")
                .mapTo(Integer.class).one();
    }

    private void apply(Handle handle, Script script) {
        List<String> statements = statements(read(script.resource()));
        LOG.info("Store {}: applying schema version {} ({}, {} statements)", storeName, script.version(),
                script.resource(), statements.size());
        handle.useTransaction(tx -> {
            for (String sql : statements) {
                execute(tx.getConnection(), sql);
            }
            tx.createUpdate("INSERT INTO eden_schema_version (version, script, applied_at) "
                            + "VALUES (:version, :script, CURRENT_TIMESTAMP)")
                    .bind("version", script.version())
                    .bind("script", script.resource())
                    .execute();
        });
    }

    private static boolean isPostgres(Handle handle) {
        try {
            return handle.getConnection().getMetaData().getDatabaseProductName()
                    .toLowerCase(Locale.ROOT).contains("postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which database the store is: " + e.getMessage(), e);
        }
    }

    /** Runs script text as written: not through Jdbi, which would read {@code :name} and {@code ?} as parameters. */
    private static void execute(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("schema statement failed: " + e.getMessage() + " -- in: " + sql, e);
        }
    }

    private static String read(String resource) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema script " + resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema script " + resource, e);
        }
    }

    /** Splits a script into statements: {@code --} comments dropped, then split on {@code ;}. */
    static List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        for (String line : script.split("\\R")) {
            int comment = line.indexOf("--");
            text.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String part : text.toString().split(";")) {
            if (!part.isBlank()) {
                statements.add(part.strip());
            }
        }
        return statements;
    }
}

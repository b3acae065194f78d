package io.eden.bootstrap;

import io.eden.adapters.persistence.PersistenceStore;
import io.eden.application.port.out.CheckpointRepository;
import io.eden.application.port.out.EndpointRepository;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.port.out.MigrationRepository;
import io.eden.application.store.InMemoryStore;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The store named by {@code --store}: the embedded H2 file (default), a shared PostgreSQL
 * database, or {@code memory:} for a throw-away run. {@link #description()} never holds a password.
 */
record MetadataStore(EndpointRepository endpoints, InterlayRepository interlays, MigrationRepository migrations,
                     CheckpointRepository checkpoints, String description, AutoCloseable resource)
        implements AutoCloseable {
    static final String MEMORY = "memory:";

    MetadataStore {
        Objects.requireNonNull(endpoints, "endpoints is null");
        Objects.requireNonNull(interlays, "interlays is null");
        Objects.requireNonNull(migrations, "migrations is null");
        Objects.requireNonNull(checkpoints, "checkpoints is null");
        Objects.requireNonNull(description, "description is null");
        Objects.requireNonNull(resource, "resource is null");
    }

    static MetadataStore open(Optional<String> storeUri, Path dataDir) {
        if (storeUri.isPresent() && storeUri.get().strip().equals(MEMORY)) {
            InMemoryStore memory = new InMemoryStore();
            return new MetadataStore(memory.endpoints(), memory.interlays(), memory.migrations(),
                    memory.checkpoints(), "memory (lost at exit)", () -> { });
        }
        try {
            PersistenceStore store = PersistenceStore.open(storeUri.orElse(null), dataDir);
            return new MetadataStore(store.endpoints(), store.interlays(), store.migrations(), store.checkpoints(),
                    store.description(), store);
        } catch (IllegalArgumentException e) {
            // the persistence adapter's messages never repeat the URI, which may hold a password
            throw StartupException.usage("--store: " + e.getMessage() + ", or " + MEMORY);
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            // unreachable database, H2 file in use, schema of a newer Eden: all explained by the message
            throw StartupException.failure(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws Exception {
        resource.close();
    }
}

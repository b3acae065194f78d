package io.eden.application.store;

import io.eden.application.port.out.CheckpointRepository;
import io.eden.application.port.out.ConcurrentUpdateException;
import io.eden.application.port.out.EndpointRepository;
import io.eden.application.port.out.InterlayRepository;
import io.eden.application.port.out.MigrationRepository;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.Migration;
import io.eden.domain.model.PhaseChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store that lives as long as the process: for {@code --store memory:} (throw-away runs)
 * and for tests of the layers above persistence. One lock guards everything, so it keeps
 * the all-or-nothing behaviour of the database stores.
 */
public final class InMemoryStore {
    private final Object lock = new Object();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, Interlay> interlays = new LinkedHashMap<>();
    private final Map<String, Migration> migrations = new LinkedHashMap<>();
    private final Map<String, List<PhaseChange>> history = new LinkedHashMap<>();
    private final Map<String, String> checkpoints = new LinkedHashMap<>();

    private final EndpointRepository endpointRepository = new EndpointRepository() {
        @Override
        public boolean insert(Endpoint endpoint) {
            synchronized (lock) {
                return endpoints.putIfAbsent(endpoint.id(), endpoint) == null;
            }
        }

        @Override
        public Optional<Endpoint> find(String id) {
            synchronized (lock) {
                return Optional.ofNullable(endpoints.get(id));
            }
        }

        @Override
        public List<Endpoint> findAll() {
            synchronized (lock) {
                return List.copyOf(endpoints.values());
            }
        }

        @Override
        public boolean delete(String id) {
            synchronized (lock) {
                return endpoints.remove(id) != null;
            }
        }
    };

    private final InterlayRepository interlayRepository = new InterlayRepository() {
        @Override
        public boolean insert(Interlay interlay) {
            synchronized (lock) {
                return interlays.putIfAbsent(interlay.id(), interlay) == null;
            }
        }

        @Override
        public void update(Interlay interlay) {
            synchronized (lock) {
                if (interlays.replace(interlay.id(), interlay) == null) {
                    throw new IllegalStateException("interlay " + interlay.id() + " is not stored");
                }
            }
        }

        @Override
        public Optional<Interlay> find(String id) {
            synchronized (lock) {
                return Optional.ofNullable(interlays.get(id));
            }
        }

        @Override
        public List<Interlay> findAll() {
            synchronized (lock) {
                return List.copyOf(interlays.values());
            }
        }
    };

    private final MigrationRepository migrationRepository = new MigrationRepository() {
        @Override
        public boolean insert(Migration migration) {
            synchronized (lock) {
                if (migrations.putIfAbsent(migration.id(), migration) != null) {
                    return false;
                }
                history.put(migration.id(), new ArrayList<>());
                return true;
            }
        }

        @Override
        public void update(Migration migration, Instant expectedUpdatedAt, List<PhaseChange> changes) {
            synchronized (lock) {
                Migration stored = migrations.get(migration.id());
                if (stored == null) {
                    throw new IllegalStateException("migration " + migration.id() + " is not stored");
                }
                if (!stored.updatedAt().equals(expectedUpdatedAt)) {
                    throw new ConcurrentUpdateException("migration " + migration.id());
                }
                migrations.put(migration.id(), migration);
                history.get(migration.id()).addAll(changes);
            }
        }

        @Override
        public Optional<Migration> find(String id) {
            synchronized (lock) {
                return Optional.ofNullable(migrations.get(id));
            }
        }

        @Override
        public List<Migration> findAll() {
            synchronized (lock) {
                return List.copyOf(migrations.values());
            }
        }

        @Override
        public List<PhaseChange> history(String migrationId) {
            synchronized (lock) {
                return List.copyOf(history.getOrDefault(migrationId, List.of()));
            }
        }
    };

    private final CheckpointRepository checkpointRepository = new CheckpointRepository() {
        @Override
        public Optional<String> load(String migrationId, String interlayId, String key) {
            synchronized (lock) {
                return Optional.ofNullable(checkpoints.get(migrationId + "/" + interlayId + "/" + key));
            }
        }

        @Override
        public void save(String migrationId, String interlayId, String key, String value) {
            synchronized (lock) {
                checkpoints.put(migrationId + "/" + interlayId + "/" + key, value);
            }
        }

        @Override
        public void clear(String migrationId) {
            synchronized (lock) {
                checkpoints.keySet().removeIf(k -> k.startsWith(migrationId + "/"));
            }
        }
    };

    public EndpointRepository endpoints() {
        return endpointRepository;
    }

    public InterlayRepository interlays() {
        return interlayRepository;
    }

    public MigrationRepository migrations() {
        return migrationRepository;
    }

    public CheckpointRepository checkpoints() {
        return checkpointRepository;
    }
}

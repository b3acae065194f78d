package io.eden.application.service;

import io.eden.application.error.ConflictException;
import io.eden.application.port.out.ConcurrentUpdateException;
import io.eden.application.port.out.MigrationRepository;
import io.eden.domain.model.Migration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The one way a stored migration changes: under a per-migration lock, read it, compute the
 * change with the domain, store it with its phase changes (optimistically, against other
 * Eden instances), then republish the routes of its interlays. Routes change only after
 * the store has the new state, so a crash never leaves traffic ahead of what is recorded.
 */
public final class MigrationChanges {
    private final Lookup lookup;
    private final MigrationRepository migrations;
    private final InterlayRoutes routes;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public MigrationChanges(Lookup lookup, MigrationRepository migrations, InterlayRoutes routes) {
        this.lookup = lookup;
        this.migrations = migrations;
        this.routes = routes;
    }

    public Migration apply(String migrationId, Function<Migration, Migration.Change> step) {
        ReentrantLock lock = locks.computeIfAbsent(migrationId, id -> new ReentrantLock());
        lock.lock();
        try {
            Migration before = lookup.migration(migrationId);
            Migration.Change change = step.apply(before);
            try {
                migrations.update(change.migration(), before.updatedAt(), change.phaseChanges());
            } catch (ConcurrentUpdateException e) {
                throw new ConflictException("concurrent_update", e.getMessage());
            }
            routes.refreshAll(new ArrayList<>(change.migration().interlays().keySet()));
            return change.migration();
        } finally {
            lock.unlock();
        }
    }
}

package io.eden.application.usecase;

import io.eden.application.service.Lookup;
import io.eden.application.service.MigrationChanges;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.MigrationView;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import java.time.Clock;

/**
 * Starts data movement for every interlay of a migration, then moves it to {@code replicating}.
 * If any interlay's movement cannot start, the ones already started are stopped and the
 * migration stays where it was.
 */
public final class StartMigration {
    private final Lookup lookup;
    private final MovementStarter movements;
    private final MigrationChanges changes;
    private final ViewAssembler views;
    private final Clock clock;

    public StartMigration(Lookup lookup, MovementStarter movements, MigrationChanges changes, ViewAssembler views,
                   Clock clock) {
        this.lookup = lookup;
        this.movements = movements;
        this.changes = changes;
        this.views = views;
        this.clock = clock;
    }

    public synchronized MigrationView execute(String migrationId) {
        Migration migration = lookup.migration(migrationId);
        // Ask the phase machine first, so an illegal start is a 409 before anything is touched.
        migration.moveTo(Phase.REPLICATING, "", clock.instant());
        MovementStarter.Started started = movements.startAfresh(migration);
        changes.apply(migrationId, m -> m.moveTo(Phase.REPLICATING, "data movement started", clock.instant()));
        started.release();
        return views.migration(lookup.migration(migrationId));
    }
}

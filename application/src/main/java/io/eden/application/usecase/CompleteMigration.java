package io.eden.application.usecase;

import io.eden.application.port.out.InterlayRepository;
import io.eden.application.service.Lookup;
import io.eden.application.service.MigrationChanges;
import io.eden.application.service.MigrationRuntime;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.MigrationView;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import java.time.Clock;

/**
 * Ends a cut-over migration: the mirror to the source stops and each interlay's endpoint
 * becomes its target, so the route no longer depends on the migration at all.
 */
public final class CompleteMigration {
    private final Lookup lookup;
    private final MigrationChanges changes;
    private final InterlayRepository interlays;
    private final MigrationRuntime runtime;
    private final ViewAssembler views;
    private final Clock clock;

    public CompleteMigration(Lookup lookup, MigrationChanges changes, InterlayRepository interlays,
                             MigrationRuntime runtime, ViewAssembler views, Clock clock) {
        this.lookup = lookup;
        this.changes = changes;
        this.interlays = interlays;
        this.runtime = runtime;
        this.views = views;
        this.clock = clock;
    }

    public MigrationView execute(String migrationId) {
        // Rebinding happens inside the migration's change, under its lock: a rollback racing with
        // this completion either runs before (and the completion is refused) or after (and is).
        // While the migration still holds its interlays their route comes from it, so no request
        // sees the old endpoint between the rebind and the phase change.
        Migration completed = changes.apply(migrationId, m -> {
            Migration.Change change = m.moveTo(Phase.COMPLETED, "completed on request", clock.instant());
            for (InterlayAssignment assignment : m.interlays().values()) {
                interlays.update(lookup.interlay(assignment.interlayId()).boundTo(assignment.targetEndpointId()));
            }
            return change;
        });
        runtime.stop(migrationId);
        return views.migration(completed);
    }
}

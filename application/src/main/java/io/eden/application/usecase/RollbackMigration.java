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
 * Sends every interlay of a migration back to its source. Routing moves first (rolling_back),
 * then data movement stops, then the migration is rolled_back; the reason is kept.
 */
public final class RollbackMigration {
    private final Lookup lookup;
    private final MigrationChanges changes;
    private final InterlayRepository interlays;
    private final MigrationRuntime runtime;
    private final ViewAssembler views;
    private final Clock clock;

    public RollbackMigration(Lookup lookup, MigrationChanges changes, InterlayRepository interlays,
                             MigrationRuntime runtime, ViewAssembler views, Clock clock) {
        this.lookup = lookup;
        this.changes = changes;
        this.interlays = interlays;
        this.runtime = runtime;
        this.views = views;
        this.clock = clock;
    }

    public MigrationView execute(String migrationId, String reason) {
        changes.apply(migrationId, m -> {
            Migration.Change change = m.moveTo(Phase.ROLLING_BACK, reason, clock.instant());
            // Whatever happened before (a completion that failed half way), once the migration
            // lets go of its interlays they must route to their source again.
            for (InterlayAssignment assignment : m.interlays().values()) {
                var interlay = lookup.interlay(assignment.interlayId());
                if (!interlay.endpointId().orElse("").equals(assignment.sourceEndpointId())) {
                    interlays.update(interlay.boundTo(assignment.sourceEndpointId()));
                }
            }
            return change;
        });
        runtime.stop(migrationId);
        return views.migration(changes.apply(migrationId, m -> m.moveTo(Phase.ROLLED_BACK, reason, clock.instant())));
    }
}

package io.eden.application.usecase;

import io.eden.application.service.MigrationChanges;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.MigrationView;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Strategy;
import java.time.Clock;

/** Changes read percentage and write mode live; a cutover write mode moves the phase (see {@link Migration#withStrategy}). */
public final class UpdateMigrationStrategy {
    private final MigrationChanges changes;
    private final ViewAssembler views;
    private final Clock clock;

    public UpdateMigrationStrategy(MigrationChanges changes, ViewAssembler views, Clock clock) {
        this.changes = changes;
        this.views = views;
        this.clock = clock;
    }

    public MigrationView execute(String migrationId, Strategy strategy) {
        return views.migration(changes.apply(migrationId, m -> m.withStrategy(strategy, clock.instant())));
    }
}

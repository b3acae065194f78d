package io.eden.application.usecase;

import io.eden.application.error.ConflictException;
import io.eden.application.port.out.MigrationRepository;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.MigrationView;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Strategy;
import java.time.Clock;

/** Defines a migration; it is {@code pending} until an interlay is attached. */
public final class CreateMigration {
    public record Command(String id, String description, Strategy strategy, DataMode data,
                          FailureHandling failureHandling) {
    }

    private final MigrationRepository migrations;
    private final ViewAssembler views;
    private final Clock clock;

    public CreateMigration(MigrationRepository migrations, ViewAssembler views, Clock clock) {
        this.migrations = migrations;
        this.views = views;
        this.clock = clock;
    }

    public MigrationView execute(Command command) {
        Migration migration = Migration.create(command.id(), command.description(), command.strategy(),
                command.data() == null ? DataMode.DEFAULT : command.data(),
                command.failureHandling() == null ? new FailureHandling.RollbackAll() : command.failureHandling(),
                clock.instant());
        if (!migrations.insert(migration)) {
            throw new ConflictException("already_exists", "migration '" + migration.id() + "' already exists");
        }
        return views.migration(migration);
    }
}

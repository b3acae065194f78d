package io.eden.application.usecase;

import io.eden.application.port.out.MigrationRepository;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.MigrationView;
import java.util.List;

/** All migrations, oldest first, each with its full state. */
public final class ListMigrations {
    private final MigrationRepository migrations;
    private final ViewAssembler views;

    public ListMigrations(MigrationRepository migrations, ViewAssembler views) {
        this.migrations = migrations;
        this.views = views;
    }

    public List<MigrationView> execute() {
        return migrations.findAll().stream().map(views::migration).toList();
    }
}

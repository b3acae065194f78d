package io.eden.application.usecase;

import io.eden.application.service.Lookup;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.MigrationStatus;

/** The seed's status object of one migration. */
public final class GetMigrationStatus {
    private final Lookup lookup;
    private final ViewAssembler views;

    public GetMigrationStatus(Lookup lookup, ViewAssembler views) {
        this.lookup = lookup;
        this.views = views;
    }

    public MigrationStatus execute(String id) {
        return views.status(lookup.migration(id));
    }
}

package io.eden.application.usecase;

import io.eden.application.service.Lookup;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.MigrationView;

/** One migration's full state: strategy, phase, progress, per-interlay routing, history. */
public final class GetMigration {
    private final Lookup lookup;
    private final ViewAssembler views;

    public GetMigration(Lookup lookup, ViewAssembler views) {
        this.lookup = lookup;
        this.views = views;
    }

    public MigrationView execute(String id) {
        return views.migration(lookup.migration(id));
    }
}

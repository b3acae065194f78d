package io.eden.application.usecase;

import io.eden.application.service.Lookup;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.InterlayView;

/** One interlay with where it routes and how many clients it has. */
public final class GetInterlay {
    private final Lookup lookup;
    private final ViewAssembler views;

    public GetInterlay(Lookup lookup, ViewAssembler views) {
        this.lookup = lookup;
        this.views = views;
    }

    public InterlayView execute(String id) {
        return views.interlay(lookup.interlay(id));
    }
}

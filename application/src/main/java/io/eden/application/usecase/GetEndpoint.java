package io.eden.application.usecase;

import io.eden.application.service.Lookup;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.EndpointView;

/** One endpoint with its health. */
public final class GetEndpoint {
    private final Lookup lookup;
    private final ViewAssembler views;

    public GetEndpoint(Lookup lookup, ViewAssembler views) {
        this.lookup = lookup;
        this.views = views;
    }

    public EndpointView execute(String id) {
        return views.endpoint(lookup.endpoint(id));
    }
}

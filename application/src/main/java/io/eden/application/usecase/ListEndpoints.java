package io.eden.application.usecase;

import io.eden.application.port.out.EndpointRepository;
import io.eden.application.service.ViewAssembler;
import io.eden.application.view.EndpointView;
import java.util.List;

/** All endpoints, oldest first, with their health. */
public final class ListEndpoints {
    private final EndpointRepository endpoints;
    private final ViewAssembler views;

    public ListEndpoints(EndpointRepository endpoints, ViewAssembler views) {
        this.endpoints = endpoints;
        this.views = views;
    }

    public List<EndpointView> execute() {
        return endpoints.findAll().stream().map(views::endpoint).toList();
    }
}

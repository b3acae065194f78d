package io.eden.adapters.http;

import io.eden.adapters.http.json.Documents.EndpointList;
import io.eden.adapters.http.json.Representations;
import io.eden.adapters.http.json.ResourceBodies;
import io.eden.application.UseCases;
import io.eden.application.view.EndpointView;

/** {@code /endpoints}: the databases Eden can reach. */
final class EndpointResource {
    private final UseCases useCases;
    private final Replies replies;

    EndpointResource(UseCases useCases, Replies replies) {
        this.useCases = useCases;
        this.replies = replies;
    }

    void register(Router router, String base) {
        router.add("POST", base + "/endpoints", this::create)
                .add("GET", base + "/endpoints", request -> replies.ok(new EndpointList(
                        useCases.listEndpoints().execute().stream().map(Representations::endpoint).toList())))
                .add("GET", base + "/endpoints/{id}", request -> replies.ok(
                        Representations.endpoint(useCases.getEndpoint().execute(request.param("id")))))
                .add("DELETE", base + "/endpoints/{id}", request -> {
                    useCases.deleteEndpoint().execute(request.param("id"));
                    return Response.noContent();
                });
    }

    private Response create(Request request) {
        EndpointView view = useCases.createEndpoint().execute(ResourceBodies.endpoint(request.json()));
        return replies.created(HttpApiServer.BASE_PATH + "/endpoints/" + view.id(), Representations.endpoint(view));
    }
}

package io.eden.adapters.http;

import io.eden.adapters.http.json.Documents.InterlayList;
import io.eden.adapters.http.json.Representations;
import io.eden.adapters.http.json.ResourceBodies;
import io.eden.application.UseCases;
import io.eden.application.view.InterlayView;

/** {@code /interlays}: the listeners whose clients Eden routes. */
final class InterlayResource {
    private final UseCases useCases;
    private final Replies replies;

    InterlayResource(UseCases useCases, Replies replies) {
        this.useCases = useCases;
        this.replies = replies;
    }

    void register(Router router, String base) {
        router.add("POST", base + "/interlays", this::create)
                .add("GET", base + "/interlays", request -> replies.ok(new InterlayList(
                        useCases.listInterlays().execute().stream().map(Representations::interlay).toList())))
                .add("GET", base + "/interlays/{id}", request -> replies.ok(
                        Representations.interlay(useCases.getInterlay().execute(request.param("id")))));
    }

    private Response create(Request request) {
        InterlayView view = useCases.createInterlay().execute(ResourceBodies.interlay(request.json()));
        return replies.created(HttpApiServer.BASE_PATH + "/interlays/" + view.id(), Representations.interlay(view));
    }
}

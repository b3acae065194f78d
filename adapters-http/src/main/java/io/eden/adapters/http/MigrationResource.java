package io.eden.adapters.http;

import io.eden.adapters.http.json.Documents.MigrationList;
import io.eden.adapters.http.json.MigrationBodies;
import io.eden.adapters.http.json.Representations;
import io.eden.application.UseCases;
import io.eden.application.view.MigrationView;

/** {@code /migrations}: create, read, status and the strategy PATCH. The verbs live in {@link MigrationActions}. */
final class MigrationResource {
    private final UseCases useCases;
    private final Replies replies;

    MigrationResource(UseCases useCases, Replies replies) {
        this.useCases = useCases;
        this.replies = replies;
    }

    void register(Router router, String base) {
        router.add("POST", base + "/migrations", this::create)
                .add("GET", base + "/migrations", request -> replies.ok(new MigrationList(
                        useCases.listMigrations().execute().stream().map(Representations::migration).toList())))
                .add("GET", base + "/migrations/{id}", request -> replies.ok(
                        Representations.migration(useCases.getMigration().execute(request.param("id")))))
                .add("PATCH", base + "/migrations/{id}", request -> replies.ok(Representations.migration(
                        useCases.updateMigrationStrategy().execute(request.param("id"),
                                MigrationBodies.patch(request.json())))))
                .add("GET", base + "/migrations/{id}/status", request -> replies.ok(
                        Representations.status(useCases.getMigrationStatus().execute(request.param("id")))));
    }

    private Response create(Request request) {
        MigrationView view = useCases.createMigration().execute(MigrationBodies.create(request.json()));
        return replies.created(HttpApiServer.BASE_PATH + "/migrations/" + view.migration().id(),
                Representations.migration(view));
    }
}

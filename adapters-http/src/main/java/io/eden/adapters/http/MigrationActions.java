package io.eden.adapters.http;

import io.eden.adapters.http.json.Representations;
import io.eden.adapters.http.json.ResourceBodies;
import io.eden.application.UseCases;

/** The verbs of a migration: attach an interlay, migrate, validate, rollback, complete. */
final class MigrationActions {
    private final UseCases useCases;
    private final Replies replies;

    MigrationActions(UseCases useCases, Replies replies) {
        this.useCases = useCases;
        this.replies = replies;
    }

    void register(Router router, String base) {
        String migration = base + "/migrations/{id}";
        router.add("POST", migration + "/interlay/{interlay_id}", request -> replies.ok(Representations.migration(
                        useCases.attachInterlay().execute(request.param("id"), request.param("interlay_id"),
                                ResourceBodies.attachTarget(request.json())))))
                .add("POST", migration + "/migrate", request -> {
                    ResourceBodies.none(request.jsonOrNull());
                    return replies.ok(Representations.migration(useCases.startMigration().execute(request.param("id"))));
                })
                .add("POST", migration + "/validate", request -> {
                    ResourceBodies.none(request.jsonOrNull());
                    return replies.ok(Representations.status(useCases.validateMigration().execute(request.param("id"))));
                })
                .add("POST", migration + "/rollback", request -> {
                    String reason = ResourceBodies.rollbackReason(request.jsonOrNull());
                    return replies.ok(Representations.migration(
                            useCases.rollbackMigration().execute(request.param("id"), reason)));
                })
                .add("POST", migration + "/complete", request -> {
                    ResourceBodies.none(request.jsonOrNull());
                    return replies.ok(Representations.migration(useCases.completeMigration().execute(request.param("id"))));
                });
    }
}

package io.eden.bootstrap.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.eden.bootstrap.support.ApiClient;
import io.eden.bootstrap.support.ApiClient.Reply;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The REST calls of a Redis migration, as the seed makes them, with the waits a test needs. Every
 * failed expectation names the call and shows the body Eden answered.
 */
final class MigrationApi {
    static final String SOURCE = "ec2_redis";
    static final String TARGET = "azure_redis";
    static final String INTERLAY = "redis_interlay";
    static final String MIGRATION = "ec2_to_azure";

    private final ApiClient api;
    private final String base = "/api/v1/migrations/" + MIGRATION;

    MigrationApi(ApiClient api) {
        this.api = api;
    }

    ApiClient client() {
        return api;
    }

    /** The seed's two endpoints; the {@code --listen} interlay binds to the first. */
    void createEndpoints(int sourcePort, int targetPort) {
        expect(201, api.post("/api/v1/endpoints",
                "{\"id\": \"" + SOURCE + "\", \"uri\": \"redis://127.0.0.1:" + sourcePort + "\"}"), "create source");
        expect(201, api.post("/api/v1/endpoints",
                "{\"id\": \"" + TARGET + "\", \"uri\": \"redis://127.0.0.1:" + targetPort + "\"}"), "create target");
        assertEquals(Optional.of(SOURCE), interlayEndpoint(), "the interlay routes to the source first");
    }

    /** The seed's canary migration (dual_write, old_authoritative, 5 % reads), attached to the interlay. */
    void createMigration(String failureHandling) {
        String body = """
                {
                  "id": "%s",
                  "description": "Migrate from EC2 Redis to Azure Cache",
                  "strategy": %s,
                  "data": {
                    "type": "scan",
                    "replace": "replace"
                  },
                  "failure_handling": "%s"
                }""".formatted(MIGRATION, dualWrite(0.05), failureHandling);
        Reply created = expect(201, api.post("/api/v1/migrations", body), "create migration");
        assertEquals(Optional.of("pending"), created.text("phase"), created.body());
        Reply attached = api.post(base + "/interlay/" + INTERLAY, "{\n  \"endpoint\": \"" + TARGET + "\"\n}");
        assertTrue(attached.status() == 200 || attached.status() == 201, "attach: " + attached.body());
        assertEquals(Optional.of("ready"), attached.text("phase"), attached.body());
    }

    static String dualWrite(double read) {
        return """
                {
                    "type": "canary",
                    "read_percentage": %s,
                    "write_mode": {"mode": "dual_write", "policy": "old_authoritative"}
                  }""".formatted(read);
    }

    static String cutover(double read, double write) {
        return """
                {
                    "type": "canary",
                    "read_percentage": %s,
                    "write_mode": {"mode": "cutover", "write_percentage": %s}
                  }""".formatted(read, write);
    }

    /** POST /migrate: data starts moving, the phase is replicating. */
    Reply migrate() {
        Reply started = expect(200, api.post(base + "/migrate", null), "POST /migrate");
        assertEquals(Optional.of("replicating"), started.text("phase"), "after /migrate: " + started.body());
        return started;
    }

    Reply patch(String strategyJson) {
        return expect(200, api.send("PATCH", base, "{\"strategy\": " + strategyJson + "}"), "PATCH " + strategyJson);
    }

    Reply validate() {
        return validate(200);
    }

    Reply validate(int status) {
        return expect(status, api.post(base + "/validate", null), "POST /validate");
    }

    Reply rollback() {
        return expect(200, api.post(base + "/rollback", null), "POST /rollback");
    }

    Reply complete() {
        return expect(200, api.post(base + "/complete", null), "POST /complete");
    }

    Reply migration() {
        return expect(200, api.get(base), "GET migration");
    }

    Reply status() {
        return expect(200, api.get(base + "/status"), "GET status");
    }

    Optional<String> interlayEndpoint() {
        return expect(200, api.get("/api/v1/interlays/" + INTERLAY), "GET interlay").text("endpoint");
    }

    /** Polls the status until the copy is complete; a rolled back or failed migration ends the wait at once. */
    Reply awaitCopyComplete(Duration timeout) {
        return awaitStatus("copy_complete true", timeout, status -> {
            failIfGivenUp(status, "the copy to complete");
            return status.scalar("copy_complete").map(Boolean::parseBoolean).orElse(false);
        });
    }

    Reply awaitPhase(String phase, Duration timeout) {
        return awaitStatus("phase " + phase, timeout, status -> status.text("phase").orElse("").equals(phase));
    }

    /** Polls the status every 100 ms until {@code done}; fails with the last body on timeout. */
    Reply awaitStatus(String what, Duration timeout, Predicate<Reply> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            last = status();
            if (done.test(last)) {
                return last;
            }
            sleep(Duration.ofMillis(100));
        }
        return fail("no " + what + " within " + timeout + "; last status: " + (last == null ? "-" : last.body()));
    }

    /** A wait for progress ends at once when the migration rolled back or failed instead. */
    static void failIfGivenUp(Reply status, String waitingFor) {
        String phase = status.text("phase").orElse("");
        if (phase.equals("rolled_back") || phase.equals("failed") || phase.equals("rolling_back")) {
            fail("waiting for " + waitingFor + ", the migration went " + phase + ": " + status.body());
        }
    }

    static long number(Reply reply, String field) {
        return Math.round(Double.parseDouble(reply.scalar(field)
                .orElseThrow(() -> new AssertionError("no " + field + " in " + reply.body()))));
    }

    static Reply expect(int status, Reply reply, String what) {
        assertEquals(status, reply.status(), what + " answered " + reply.status() + ": " + reply.body());
        return reply;
    }

    static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.eden.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.http.ApiFixture.Reply;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 404, 405, 409 and 413, each with its error code in the body. */
class ErrorMappingTest {
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void unknown_ids_are_404_not_found() {
        for (String path : new String[] {"/api/v1/migrations/nope", "/api/v1/migrations/nope/status",
                "/api/v1/endpoints/nope", "/api/v1/interlays/nope"}) {
            Reply reply = api.get(path);
            assertEquals(404, reply.status(), path + " " + reply.body());
            assertEquals("not_found", reply.text("error.code"));
            assertTrue(reply.text("error.message").contains("'nope' does not exist"), reply.body());
        }
        Reply delete = api.delete("/api/v1/endpoints/nope");
        assertEquals(404, delete.status());
        Reply rollback = api.post("/api/v1/migrations/nope/rollback", "{}");
        assertEquals(404, rollback.status(), rollback.body());
        assertEquals("not_found", rollback.text("error.code"));
    }

    @Test
    void an_unknown_path_is_404() {
        Reply reply = api.get("/api/v1/nothing");

        assertEquals(404, reply.status(), reply.body());
        assertEquals("not_found", reply.text("error.code"));
        assertEquals(404, api.get("/api/v2/endpoints").status());
        assertEquals(404, api.get("/api/v1/endpoints/a/b").status());
    }

    @Test
    void a_wrong_method_is_405_with_allow() {
        Reply reply = api.send("PUT", "/api/v1/endpoints", "{}", ApiFixture.TOKEN);

        assertEquals(405, reply.status(), reply.body());
        assertEquals("method_not_allowed", reply.text("error.code"));
        assertEquals("GET, POST", reply.header("Allow"));
        assertEquals("DELETE, GET", api.send("PATCH", "/api/v1/endpoints/x", "{}", ApiFixture.TOKEN).header("Allow"));
        assertEquals("POST", api.get("/api/v1/migrations/x/migrate").header("Allow"));
    }

    @Test
    void a_trailing_slash_is_the_same_path() {
        assertEquals(200, api.get("/api/v1/endpoints/").status());
    }

    @Test
    void a_duplicate_id_is_409_already_exists() {
        String body = "{\"id\": \"dup\", \"uri\": \"" + api.sourceUri() + "\"}";
        assertEquals(201, api.post("/api/v1/endpoints", body).status());

        Reply again = api.post("/api/v1/endpoints", body);

        assertEquals(409, again.status(), again.body());
        assertEquals("already_exists", again.text("error.code"));
    }

    @Test
    void an_endpoint_in_use_cannot_be_deleted_and_a_free_one_can() {
        api.post("/api/v1/endpoints", "{\"id\": \"used\", \"uri\": \"" + api.sourceUri() + "\"}");
        api.post("/api/v1/endpoints", "{\"id\": \"free\", \"uri\": \"" + api.targetUri() + "\"}");
        assertEquals(201, api.post("/api/v1/interlays",
                "{\"id\": \"i1\", \"endpoint\": \"used\", \"listen\": \"127.0.0.1:0\"}").status());

        Reply refused = api.delete("/api/v1/endpoints/used");
        assertEquals(409, refused.status(), refused.body());
        assertEquals("in_use", refused.text("error.code"));
        assertEquals(200, api.get("/api/v1/endpoints/used").status());

        Reply deleted = api.delete("/api/v1/endpoints/free");
        assertEquals(204, deleted.status(), deleted.body());
        assertEquals("", deleted.body());
        assertEquals(404, api.get("/api/v1/endpoints/free").status());
    }

    @Test
    void a_body_over_one_mebibyte_is_413() {
        String huge = "{\"id\": \"big\", \"uri\": \"redis://127.0.0.1:1\", \"pad\": \"" + "x".repeat(1_500_000) + "\"}";

        Reply reply = api.post("/api/v1/endpoints", huge);

        assertEquals(413, reply.status(), reply.body());
        assertEquals("payload_too_large", reply.text("error.code"));
        assertEquals(404, api.get("/api/v1/endpoints/big").status(), "the server still serves after a 413");
    }

    @Test
    void a_chunked_body_over_one_mebibyte_is_413_too() {
        // ofInputStream has no known length, so the client sends chunked transfer encoding.
        Reply reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/endpoints"))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[20 * 64 * 1024])))
                .build());

        assertEquals(413, reply.status(), reply.body());
        assertEquals("payload_too_large", reply.text("error.code"));
    }

    @Test
    void an_oversize_body_announced_with_expect_continue_is_refused_before_it_is_sent() {
        Reply reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/endpoints"))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN)
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[HttpApiServer.MAX_BODY_BYTES + 1]))
                .build());

        assertEquals(413, reply.status(), reply.body());
        assertEquals("payload_too_large", reply.text("error.code"));
    }

    @Test
    void an_unexpected_failure_is_a_generic_500() {
        api.post("/api/v1/endpoints", "{\"id\": \"src\", \"uri\": \"" + api.sourceUri() + "\"}");

        Reply reply = api.post("/api/v1/interlays", "{\"id\": \"i1\", \"endpoint\": \"src\", "
                + "\"listen\": \"127.0.0.1:0\", \"settings\": {\"crash\": true}}");

        assertEquals(500, reply.status(), reply.body());
        assertEquals(java.util.Map.of("error", java.util.Map.of("code", "internal",
                "message", "internal error; the server log has the details")), reply.json());
        assertEquals(200, api.get("/api/v1/endpoints").status(), "the server keeps serving");
    }

    @Test
    void a_body_just_under_the_limit_is_read() {
        String body = "{\"id\": \"edge\", \"uri\": \"" + api.sourceUri() + "\"}";
        String padded = body + " ".repeat(HttpApiServer.MAX_BODY_BYTES - body.length());

        Reply reply = api.post("/api/v1/endpoints", padded);

        assertEquals(201, reply.status(), reply.body());
    }
}

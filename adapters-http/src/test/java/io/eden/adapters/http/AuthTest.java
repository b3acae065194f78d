package io.eden.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eden.adapters.http.ApiFixture.Reply;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthTest {
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String endpointBody() {
        return "{\"id\": \"sneaky\", \"uri\": \"" + api.sourceUri() + "\"}";
    }

    @Test
    void a_request_without_a_token_gets_401_and_creates_nothing() {
        Reply reply = api.send("POST", "/api/v1/endpoints", endpointBody(), null);

        assertUnauthorized(reply);
        assertEquals(List.of(), api.get("/api/v1/endpoints").at("endpoints"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrong-token", "test-token-012345678", "test-token-01234567890", "x"})
    void a_wrong_token_gets_401_and_creates_nothing(String token) {
        Reply reply = api.send("POST", "/api/v1/endpoints", endpointBody(), token);

        assertUnauthorized(reply);
        assertEquals(404, api.get("/api/v1/endpoints/sneaky").status());
    }

    @Test
    void another_scheme_or_an_empty_bearer_is_refused() {
        for (String header : List.of("Basic " + ApiFixture.TOKEN, "Bearer", "Bearer ", ApiFixture.TOKEN)) {
            Reply reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/endpoints"))
                    .header("Authorization", header).GET().build());
            assertUnauthorized(reply);
        }
    }

    @Test
    void the_scheme_name_is_case_insensitive() {
        Reply reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/endpoints"))
                .header("Authorization", "bearer " + ApiFixture.TOKEN).GET().build());

        assertEquals(200, reply.status(), reply.body());
    }

    @Test
    void unknown_paths_need_the_token_too_so_they_reveal_nothing() {
        assertUnauthorized(api.send("GET", "/api/v1/nothing-here", null, null));
        assertUnauthorized(api.send("POST", "/api/v1/migrations/x/migrate", null, "nope"));
    }

    @Test
    void healthz_and_metrics_need_no_token() {
        assertEquals(200, api.send("GET", "/healthz", null, null).status());
        assertEquals(200, api.send("GET", "/api/v1/healthz", null, null).status());
        assertEquals(200, api.send("GET", "/metrics", null, null).status());
        assertEquals(200, api.send("GET", "/api/v1/metrics", null, null).status());
    }

    private static void assertUnauthorized(Reply reply) {
        assertEquals(401, reply.status(), reply.body());
        assertEquals("unauthorized", reply.text("error.code"));
        assertEquals("Bearer", reply.header("WWW-Authenticate"));
    }
}

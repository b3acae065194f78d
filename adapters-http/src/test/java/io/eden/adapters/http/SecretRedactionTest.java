package io.eden.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eden.adapters.http.ApiFixture.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A password in an endpoint URI is stored but never shown. {@link ApiFixture} fails any request whose
 * answer contains it; this test makes the answers that could.
 */
class SecretRedactionTest {
    private static final String URI = "redis://:" + ApiFixture.SECRET + "@127.0.0.1:1";

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
    void the_password_never_comes_back() {
        Reply created = api.post("/api/v1/endpoints", "{\"id\": \"locked\", \"uri\": \"" + URI + "\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals("redis://:***@127.0.0.1:1", created.text("uri"));
        assertEquals("unhealthy", created.text("health"), "nothing listens on port 1");

        assertEquals("redis://:***@127.0.0.1:1", api.get("/api/v1/endpoints/locked").text("uri"));
        assertEquals("redis://:***@127.0.0.1:1", api.get("/api/v1/endpoints").text("endpoints[0].uri"));

        // Error paths that see the URI: a duplicate, a malformed URI, a bad body around it.
        assertEquals(409, api.post("/api/v1/endpoints", "{\"id\": \"locked\", \"uri\": \"" + URI + "\"}").status());
        assertEquals(400, api.post("/api/v1/endpoints", "{\"id\": \"b\", \"uri\": \"redis://:" + ApiFixture.SECRET
                + "@bad host:1\"}").status());
        assertEquals(400, api.post("/api/v1/endpoints", "{\"id\": \"c\", \"uri\": \"" + URI + "\", \"x\": }").status());
        assertEquals(400, api.post("/api/v1/endpoints", "{\"id\": \"c\", \"uri\": \"" + URI + "\" \"x\"").status());
        assertEquals(400, api.post("/api/v1/endpoints", "{\"id\": \"c\", \"uri\": \"ftp://:" + ApiFixture.SECRET
                + "@127.0.0.1:1\"}").status());
        assertEquals(200, api.send("GET", "/metrics", null, null).status());
    }
}

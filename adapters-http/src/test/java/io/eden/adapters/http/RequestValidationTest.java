package io.eden.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.http.ApiFixture.Reply;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strict bodies: every refusal is a 400 that names the field, and nothing is stored. */
class RequestValidationTest {
    private static final String STRATEGY = "{\"type\": \"canary\", \"read_percentage\": 0.05, "
            + "\"write_mode\": {\"mode\": \"dual_write\", \"policy\": \"old_authoritative\"}}";

    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String migration(String strategy) {
        return "{\"id\": \"m1\", \"strategy\": " + strategy + "}";
    }

    @Test
    void malformed_json_is_invalid_json_and_says_where() {
        Reply reply = api.post("/api/v1/endpoints", "{\"id\": \"a\", \"uri\": ");

        assertEquals(400, reply.status(), reply.body());
        assertEquals("invalid_json", reply.text("error.code"));
        assertFalse(reply.body().contains("Exception"), reply.body());
        assertFalse(reply.body().contains("\tat "), reply.body());

        Reply unquoted = api.post("/api/v1/endpoints", "{id: 1}");
        assertEquals("invalid_json", unquoted.text("error.code"));
        assertTrue(unquoted.text("error.message").contains("position"), unquoted.body());
    }

    @Test
    void an_empty_body_or_trailing_garbage_is_invalid_json() {
        assertEquals("invalid_json", api.post("/api/v1/endpoints", "").text("error.code"));
        assertEquals("invalid_json", api.post("/api/v1/endpoints",
                "{\"id\": \"a\", \"uri\": \"redis://127.0.0.1:1\"} trailing").text("error.code"));
        assertEquals(404, api.get("/api/v1/endpoints/a").status());
    }

    @Test
    void deep_nesting_is_refused_without_overflowing_the_stack() {
        Reply reply = api.post("/api/v1/endpoints", "[".repeat(100_000));

        assertEquals(400, reply.status(), reply.body());
        assertEquals("invalid_json", reply.text("error.code"));
    }

    @Test
    void a_body_that_is_not_an_object_is_refused() {
        Reply reply = api.post("/api/v1/endpoints", "[1, 2]");

        assertEquals(400, reply.status(), reply.body());
        assertEquals("invalid_request", reply.text("error.code"));
    }

    @Test
    void an_unknown_top_level_field_is_named() {
        Reply reply = api.post("/api/v1/endpoints", "{\"id\": \"a\", \"uri\": \"redis://127.0.0.1:1\", \"urI\": 1}");

        assertInvalid(reply, "urI");
        assertEquals(404, api.get("/api/v1/endpoints/a").status());
    }

    @Test
    void an_unknown_nested_field_is_named_by_its_full_path() {
        Reply reply = api.post("/api/v1/migrations", migration("{\"type\": \"canary\", \"read_percentage\": 0.05, "
                + "\"write_mode\": {\"mode\": \"dual_write\", \"policy\": \"old_authoritative\", \"foo\": true}}"));

        assertInvalid(reply, "strategy.write_mode.foo");
        assertTrue(reply.text("error.message").startsWith("strategy.write_mode.foo is not a known field"));
        assertEquals(404, api.get("/api/v1/migrations/m1").status());
    }

    @Test
    void a_duplicated_field_is_refused() {
        Reply reply = api.post("/api/v1/endpoints", "{\"id\": \"a\", \"id\": \"b\", \"uri\": \"redis://127.0.0.1:1\"}");

        assertInvalid(reply, "id");
        assertTrue(reply.text("error.message").contains("more than once"), reply.body());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"id\": \"a\", \"uri\": 6379}|uri|uri must be a string",
            "{\"id\": 7, \"uri\": \"redis://127.0.0.1:1\"}|id|id must be a string",
            "{\"id\": \"a\"}|uri|uri is required",
            "{\"uri\": \"redis://127.0.0.1:1\"}|id|id is required",
            "{\"id\": \"a\", \"uri\": null}|uri|uri is required"})
    void wrong_types_and_missing_fields_are_named(String body, String field, String message) {
        Reply reply = api.post("/api/v1/endpoints", body);

        assertInvalid(reply, field);
        assertEquals(message, reply.text("error.message"));
    }

    @Test
    void a_percentage_given_as_a_string_is_a_wrong_type() {
        Reply reply = api.post("/api/v1/migrations", migration(STRATEGY.replace("0.05", "\"0.05\"")));

        assertInvalid(reply, "strategy.read_percentage");
        assertEquals("strategy.read_percentage must be a number", reply.text("error.message"));
    }

    @Test
    void a_read_percentage_above_one_gets_the_documented_error() {
        Reply reply = api.post("/api/v1/migrations", migration(STRATEGY.replace("0.05", "1.5")));

        assertEquals(400, reply.status());
        assertEquals(Map.of("error", Map.of("code", "invalid_request",
                "message", "strategy.read_percentage must be between 0 and 1",
                "field", "strategy.read_percentage")), reply.json());
    }

    @Test
    void a_write_percentage_out_of_range_is_named_by_its_full_path() {
        createMigration();
        Reply reply = api.patch("/api/v1/migrations/m1", "{\"strategy\": {\"type\": \"canary\", \"read_percentage\": 1, "
                + "\"write_mode\": {\"mode\": \"cutover\", \"write_percentage\": -0.1}}}");

        assertInvalid(reply, "strategy.write_mode.write_percentage");
        assertEquals("strategy.write_mode.write_percentage must be between 0 and 1", reply.text("error.message"));
    }

    @Test
    void an_unknown_mode_is_named() {
        Reply reply = api.post("/api/v1/migrations", migration(STRATEGY.replace("dual_write", "triple_write")));

        assertInvalid(reply, "strategy.write_mode.mode");
    }

    @Test
    void an_unknown_policy_is_named() {
        Reply reply = api.post("/api/v1/migrations", migration(STRATEGY.replace("old_authoritative", "loudest")));

        assertInvalid(reply, "strategy.write_mode.policy");
    }

    @ParameterizedTest
    @CsvSource({"big_bang", "blue_green", "shadow_traffic"})
    void planned_strategies_are_not_supported_yet(String type) {
        Reply reply = api.post("/api/v1/migrations", migration("{\"type\": \"" + type + "\"}"));

        assertInvalid(reply, "strategy.type");
        assertTrue(reply.text("error.message").contains("not supported yet"), reply.body());
    }

    @Test
    void a_migration_may_not_start_with_a_cutover() {
        Reply reply = api.post("/api/v1/migrations", migration("{\"type\": \"canary\", \"read_percentage\": 0, "
                + "\"write_mode\": {\"mode\": \"cutover\", \"write_percentage\": 0.5}}"));

        assertInvalid(reply, "strategy.write_mode.mode");
    }

    @Test
    void failure_handling_takes_a_name_or_the_retry_object() {
        Reply retry = api.post("/api/v1/migrations", "{\"id\": \"r1\", \"strategy\": " + STRATEGY
                + ", \"failure_handling\": {\"type\": \"retry_then_all\", \"retry_count\": 3}}");
        assertEquals(201, retry.status(), retry.body());
        assertEquals(Map.of("type", "retry_then_all", "retry_count", 3L), retry.at("failure_handling"));
        assertEquals(Map.of("type", "scan", "replace", "replace"), retry.at("data"), "the default data mode");

        Reply partial = api.post("/api/v1/migrations", "{\"id\": \"r2\", \"strategy\": " + STRATEGY
                + ", \"failure_handling\": \"allow_partial\", \"data\": {\"type\": \"none\", \"replace\": \"merge\"}}");
        assertEquals(201, partial.status(), partial.body());
        assertEquals("allow_partial", partial.text("failure_handling"));
        assertEquals("none", partial.text("data.type"));
        assertEquals("", partial.text("description"));

        assertInvalid(api.post("/api/v1/migrations", "{\"id\": \"r3\", \"strategy\": " + STRATEGY
                + ", \"failure_handling\": {\"type\": \"retry_then_all\", \"retry_count\": 101}}"),
                "failure_handling.retry_count");
        assertInvalid(api.post("/api/v1/migrations", "{\"id\": \"r3\", \"strategy\": " + STRATEGY
                + ", \"failure_handling\": {\"type\": \"retry_then_all\", \"retry_count\": 1.5}}"),
                "failure_handling.retry_count");
        assertInvalid(api.post("/api/v1/migrations", "{\"id\": \"r3\", \"strategy\": " + STRATEGY
                + ", \"failure_handling\": \"retry_then_all\"}"), "failure_handling");
        assertInvalid(api.post("/api/v1/migrations", "{\"id\": \"r3\", \"strategy\": " + STRATEGY
                + ", \"failure_handling\": 3}"), "failure_handling");
        assertInvalid(api.post("/api/v1/migrations", "{\"id\": \"r3\", \"strategy\": " + STRATEGY
                + ", \"data\": {\"type\": \"rsync\", \"replace\": \"none\"}}"), "data.type");
    }

    @Test
    void an_invalid_id_or_uri_is_named() {
        assertInvalid(api.post("/api/v1/endpoints", "{\"id\": \"no spaces\", \"uri\": \"redis://127.0.0.1:1\"}"), "id");
        assertInvalid(api.post("/api/v1/endpoints", "{\"id\": \"a\", \"uri\": \"mysql://127.0.0.1:1\"}"), "uri");
    }

    @Test
    void a_body_is_read_whatever_its_content_type() {
        Reply reply = api.send(HttpRequest.newBuilder(api.uri("/api/v1/endpoints"))
                .header("Authorization", "Bearer " + ApiFixture.TOKEN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"form\", \"uri\": \"" + api.sourceUri() + "\"}"))
                .build());

        assertEquals(201, reply.status(), reply.body());
    }

    @Test
    void action_endpoints_refuse_fields_they_do_not_take() {
        createReadyMigration();
        assertInvalid(api.post("/api/v1/migrations/m1/migrate", "{\"force\": true}"), "force");
        Reply rollback = api.post("/api/v1/migrations/m1/rollback", "{\"reason\": \"testing\"}");
        assertEquals(200, rollback.status(), rollback.body());
        assertEquals("testing", rollback.text("phase_reason"));
    }

    @Test
    void interlays_take_optional_tls_and_scalar_settings() {
        api.post("/api/v1/endpoints", "{\"id\": \"src\", \"uri\": \"" + api.sourceUri() + "\"}");
        Reply created = api.post("/api/v1/interlays", "{\"id\": \"i1\", \"endpoint\": \"src\", \"listen\": \"127.0.0.1:0\", "
                + "\"settings\": {\"pool_mode\": \"transaction\", \"pool_size\": 10, \"flag\": true}}");

        assertEquals(201, created.status(), created.body());
        assertEquals("/api/v1/interlays/i1", created.header("Location"));
        assertEquals(false, created.at("tls"));
        assertEquals(Map.of("flag", "true", "pool_mode", "transaction", "pool_size", "10"), created.at("settings"));
        assertEquals("src", created.text("endpoint"));
        assertEquals(null, created.at("migration"));
        assertEquals(0L, created.at("connections"));
        assertFalse(created.text("bound_address").endsWith(":0"), created.body());
        assertEquals("i1", api.get("/api/v1/interlays").text("interlays[0].id"));

        assertInvalid(api.post("/api/v1/interlays", "{\"id\": \"i2\", \"endpoint\": \"src\", \"listen\": \"127.0.0.1:0\", "
                + "\"settings\": {\"nested\": {}}}"), "settings.nested");
        assertInvalid(api.post("/api/v1/interlays", "{\"id\": \"i2\", \"endpoint\": \"src\", \"listen\": \"127.0.0.1:0\", "
                + "\"tls\": \"yes\"}"), "tls");
        assertInvalid(api.post("/api/v1/interlays", "{\"id\": \"i2\", \"endpoint\": \"src\", \"listen\": \"nowhere\"}"),
                "listen");
        Reply missing = api.post("/api/v1/interlays", "{\"id\": \"i2\", \"endpoint\": \"ghost\", \"listen\": \"127.0.0.1:0\"}");
        assertEquals(404, missing.status(), missing.body());
        assertEquals("endpoint", missing.text("error.field"));
    }

    private void createMigration() {
        assertEquals(201, api.post("/api/v1/migrations", migration(STRATEGY)).status());
    }

    /** m1 with interlay i1 moving from src to dst: phase ready. */
    private void createReadyMigration() {
        assertEquals(201, api.post("/api/v1/endpoints", "{\"id\": \"src\", \"uri\": \"" + api.sourceUri() + "\"}").status());
        assertEquals(201, api.post("/api/v1/endpoints", "{\"id\": \"dst\", \"uri\": \"" + api.targetUri() + "\"}").status());
        assertEquals(201, api.post("/api/v1/interlays",
                "{\"id\": \"i1\", \"endpoint\": \"src\", \"listen\": \"127.0.0.1:0\"}").status());
        createMigration();
        assertEquals("ready", api.post("/api/v1/migrations/m1/interlay/i1", "{\"endpoint\": \"dst\"}").text("phase"));
    }

    private static void assertInvalid(Reply reply, String field) {
        assertEquals(400, reply.status(), reply.body());
        assertEquals("invalid_request", reply.text("error.code"), reply.body());
        assertEquals(field, reply.text("error.field"), reply.body());
    }
}

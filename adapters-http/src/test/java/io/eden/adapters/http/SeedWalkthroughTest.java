package io.eden.adapters.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.adapters.http.ApiFixture.Reply;
import io.eden.application.usecase.DeclareInterlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.ProtocolId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's curl requests, bodies verbatim and in the seed's order; only the database addresses are
 * local ports instead of 10.x hosts. The fake protocol moves no data, so the walk ends in a rollback
 * where the seed would cut over.
 */
class SeedWalkthroughTest {
    private static final String MIGRATION = """
            {
            "id": "ec2_to_azure",
            "description": "Migrate from EC2 Redis to Azure Cache",
            "strategy": {
            "type": "canary",
            "read_percentage": 0.05,
            "write_mode": {
            "mode": "dual_write",
            "policy": "old_authoritative"
            }
            },
            "data": {
            "type": "scan",
            "replace": "replace"
            },
            "failure_handling": "rollback_all"
            }""";
    private static final String ATTACH = """
            {
            "endpoint": "azure_redis"
            }""";
    private static final String PATCH_25 = """
            {
            "strategy": {
            "type": "canary",
            "read_percentage": 0.25,
            "write_mode": {"mode": "dual_write", "policy": "old_authoritative"}
            }
            }""";
    private static final String PATCH_75 = PATCH_25.replace("0.25", "0.75");
    private static final String CUTOVER = """
            {
            "strategy": {
            "type": "canary",
            "read_percentage": 1.0,
            "write_mode": {"mode": "cutover", "write_percentage": 1.0}
            }
            }""";

    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
        // eden-server --listen 0.0.0.0:6379, on a free local port here
        api.core.useCases().declareInterlay().execute(new DeclareInterlay.Command("redis_interlay", ProtocolId.REDIS,
                new ListenAddress("127.0.0.1", 0)));
        assertEquals(List.of(), api.core.useCases().startInterlayListeners().execute());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void the_seed_walkthrough_works_verbatim() {
        Reply source = api.post("/api/v1/endpoints", """
                {
                "id": "ec2_redis",
                "uri": "%s"
                }""".formatted(api.sourceUri()));
        assertEquals(201, source.status(), source.body());
        assertEquals("/api/v1/endpoints/ec2_redis", source.header("Location"));
        assertEquals("ec2_redis", source.text("id"));
        assertEquals("redis", source.text("protocol"));
        assertEquals(api.sourceUri(), source.text("uri"));
        assertEquals("healthy", source.text("health"));

        Reply target = api.post("/api/v1/endpoints", """
                {
                "id": "azure_redis",
                "uri": "%s"
                }""".formatted(api.targetUri()));
        assertEquals(201, target.status(), target.body());

        // The declared interlay bound itself to the first redis endpoint.
        Reply interlay = api.get("/api/v1/interlays/redis_interlay");
        assertEquals(200, interlay.status(), interlay.body());
        assertEquals("ec2_redis", interlay.text("endpoint"));
        assertTrue(interlay.text("bound_address").startsWith("127.0.0.1:"), interlay.body());
        assertTrue(!interlay.text("bound_address").endsWith(":0"), interlay.body());

        Reply created = api.post("/api/v1/migrations", MIGRATION);
        assertEquals(201, created.status(), created.body());
        assertEquals("/api/v1/migrations/ec2_to_azure", created.header("Location"));
        assertEquals("pending", created.text("phase"));
        assertEquals("Migrate from EC2 Redis to Azure Cache", created.text("description"));
        assertEquals(Map.of("type", "canary", "read_percentage", new java.math.BigDecimal("0.05"),
                "write_mode", Map.of("mode", "dual_write", "policy", "old_authoritative")), created.at("strategy"));
        assertEquals(Map.of("type", "scan", "replace", "replace"), created.at("data"));
        assertEquals("rollback_all", created.text("failure_handling"));
        assertNull(created.at("phase_reason"));
        assertEquals(List.of(), created.at("interlays"));

        Reply attached = api.post("/api/v1/migrations/ec2_to_azure/interlay/redis_interlay", ATTACH);
        assertEquals(200, attached.status(), attached.body());
        assertEquals("ready", attached.text("phase"));
        assertEquals("redis_interlay", attached.text("interlays[0].interlay"));
        assertEquals("ec2_redis", attached.text("interlays[0].source"));
        assertEquals("azure_redis", attached.text("interlays[0].target"));
        assertEquals(0.0, attached.number("interlays[0].read_slots_on_target"));
        assertEquals("pending", attached.text("history[0].from"));
        assertEquals("ready", attached.text("history[0].to"));
        assertEquals("ec2_to_azure", api.get("/api/v1/interlays/redis_interlay").text("migration"));

        // Start migration: the fake plugin cannot move data (the SPI default), which is a 501.
        Reply migrate = api.send("POST", "/api/v1/migrations/ec2_to_azure/migrate", null, ApiFixture.TOKEN);
        assertEquals(501, migrate.status(), migrate.body());
        assertEquals("not_implemented", migrate.text("error.code"));
        assertTrue(migrate.text("error.message").contains("data movement"), migrate.body());

        Reply monitor = api.get("/api/v1/migrations/ec2_to_azure");
        assertEquals(200, monitor.status(), monitor.body());
        assertEquals("ready", monitor.text("phase"));
        assertEquals(false, monitor.at("progress.copy_complete"));
        assertNull(monitor.at("progress.eta_seconds"));

        Reply status = api.get("/api/v1/migrations/ec2_to_azure/status");
        assertEquals(200, status.status(), status.body());
        assertEquals("ready", status.text("phase"));
        assertEquals(0.0, status.number("replication_lag_ms"));
        assertEquals("healthy", status.text("source"));
        assertEquals("healthy", status.text("target"));
        assertEquals(false, status.at("ready_for_cutover"));
        assertEquals(0.0, status.number("progress.keys_copied"));
        assertNull(status.at("last_validation"));

        Reply quarter = api.patch("/api/v1/migrations/ec2_to_azure", PATCH_25);
        assertEquals(200, quarter.status(), quarter.body());
        assertEquals(0.25, quarter.number("strategy.read_percentage"));
        Reply threeQuarters = api.patch("/api/v1/migrations/ec2_to_azure", PATCH_75);
        assertEquals(200, threeQuarters.status(), threeQuarters.body());
        assertEquals(0.75, threeQuarters.number("strategy.read_percentage"));
        assertEquals("dual_write", threeQuarters.text("strategy.write_mode.mode"));

        // Full cutover needs the data moved first.
        Reply cutover = api.patch("/api/v1/migrations/ec2_to_azure", CUTOVER);
        assertEquals(409, cutover.status(), cutover.body());
        assertEquals("illegal_phase_change", cutover.text("error.code"));
        assertEquals("ready", cutover.text("error.current_phase"));

        Reply verify = api.get("/api/v1/migrations/ec2_to_azure");
        assertEquals("ready", verify.text("phase"));
        assertEquals(0.75, verify.number("strategy.read_percentage"), "a refused PATCH changes nothing");

        Reply validate = api.send("POST", "/api/v1/migrations/ec2_to_azure/validate", null, ApiFixture.TOKEN);
        assertEquals(409, validate.status(), validate.body());
        assertEquals("not_moving_data", validate.text("error.code"));

        Reply rollback = api.send("POST", "/api/v1/migrations/ec2_to_azure/rollback", null, ApiFixture.TOKEN);
        assertEquals(200, rollback.status(), rollback.body());
        assertEquals("rolled_back", rollback.text("phase"));
        assertEquals(List.of("pending>ready", "ready>rolling_back", "rolling_back>rolled_back"),
                ((List<?>) rollback.at("history")).stream()
                        .map(h -> ((Map<?, ?>) h).get("from") + ">" + ((Map<?, ?>) h).get("to")).toList());
        assertTrue(rollback.text("history[2].at").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), rollback.body());
        assertTrue(rollback.text("created_at").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), rollback.body());

        Reply complete = api.send("POST", "/api/v1/migrations/ec2_to_azure/complete", null, ApiFixture.TOKEN);
        assertEquals(409, complete.status(), complete.body());
        assertEquals("rolled_back", complete.text("error.current_phase"));

        Reply list = api.get("/api/v1/migrations");
        assertEquals(200, list.status());
        assertEquals("ec2_to_azure", list.text("migrations[0].id"));
        assertEquals("rolled_back", list.text("migrations[0].phase"));
    }
}

package io.eden.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.bootstrap.support.ApiClient;
import io.eden.bootstrap.support.ApiClient.Reply;
import io.eden.bootstrap.support.CapturedOutput;
import io.eden.bootstrap.support.RealRedis;
import io.eden.domain.model.ListenAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The seed's walkthrough against the whole server, in-process, with two real redis-servers and a
 * real client: {@code eden-server --listen} declares {@code redis_interlay}, the endpoints and the
 * canary migration are created with the seed's own bodies, traffic flows, and everything survives
 * a restart. No password and no API token may show in any response or any log line.
 */
class SeedWalkthroughTest {
    private static final String PASSWORD = "TopSecret123";
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

    private static RealRedis ec2;
    private static RealRedis azure;
    private static RealRedis secured;

    @TempDir
    Path temp;

    private final StringBuilder responses = new StringBuilder();

    @BeforeAll
    static void startRedis() {
        ec2 = RealRedis.start();
        azure = RealRedis.start();
        secured = RealRedis.start(PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        for (RealRedis redis : new RealRedis[] {ec2, azure, secured}) {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void theSeedWalkthroughWorksSurvivesARestartAndLeaksNoSecret() throws Exception {
        Path data = temp.resolve("data");
        String token;
        try (CapturedOutput output = CapturedOutput.start()) {
            try (EdenServer eden = start(data)) {
                token = Files.readString(data.resolve("api-token")).strip();
                ApiClient api = new ApiClient(eden.apiPort(), Optional.of(token), responses);
                assertEquals(200, api.withToken(Optional.empty()).get("/healthz").status());
                refusesWithoutTheToken(api);
                createsTheSeedsEndpoints(api);
                proxiesToTheSource(redisInterlay(eden));
                createsAndAttachesTheSeedsMigration(api);
                keepsPasswordsToItself(api);
            }
            try (EdenServer eden = start(data)) {
                assertEquals(token, eden.apiToken().value(), "the generated token is kept and reused");
                stillKnowsEverything(new ApiClient(eden.apiPort(), Optional.of(token), responses));
                stillProxies(redisInterlay(eden));
            }
            String log = output.text();
            assertTrue(log.contains("Eden is up"), "the log was captured");
            assertFalse(log.contains(PASSWORD), "the endpoint password is in the log");
            assertFalse(log.contains(token), "the API token is in the log");
        }
        assertFalse(responses.toString().contains(PASSWORD), "the endpoint password is in an API response");
        assertFalse(responses.toString().contains(token), "the API token is in an API response");
    }

    private void refusesWithoutTheToken(ApiClient api) {
        assertEquals(401, api.withToken(Optional.empty()).get("/api/v1/endpoints").status());
        assertEquals(401, api.withToken(Optional.of("not-the-token")).get("/api/v1/endpoints").status());
        Reply sneaky = api.withToken(Optional.empty())
                .post("/api/v1/endpoints", "{\"id\": \"sneaky\", \"uri\": \"redis://127.0.0.1:1\"}");
        assertEquals(401, sneaky.status());
        assertEquals(404, api.get("/api/v1/endpoints/sneaky").status(), "a refused request changes nothing");
    }

    private void createsTheSeedsEndpoints(ApiClient api) {
        Reply source = api.post("/api/v1/endpoints",
                "{\"id\": \"ec2_redis\", \"uri\": \"redis://127.0.0.1:" + ec2.port() + "\"}");
        assertEquals(201, source.status(), source.body());
        Reply target = api.post("/api/v1/endpoints",
                "{\"id\": \"azure_redis\", \"uri\": \"redis://127.0.0.1:" + azure.port() + "\"}");
        assertEquals(201, target.status(), target.body());
        Reply interlay = api.get("/api/v1/interlays/redis_interlay");
        assertEquals(Optional.of("ec2_redis"), interlay.text("endpoint"),
                "the --listen interlay binds to the first Redis endpoint: " + interlay.body());
    }

    private static void proxiesToTheSource(InetSocketAddress eden) {
        try (Jedis client = new Jedis(eden.getHostString(), eden.getPort());
             Jedis source = ec2.direct(); Jedis target = azure.direct()) {
            assertEquals("PONG", client.ping());
            assertEquals("OK", client.set("walkthrough:greeting", "hello from the app"));
            assertEquals("hello from the app", source.get("walkthrough:greeting"));
            assertNull(target.get("walkthrough:greeting"), "nothing reaches the target before a migration");
            assertEquals("hello from the app", client.get("walkthrough:greeting"));
        }
    }

    private void createsAndAttachesTheSeedsMigration(ApiClient api) {
        Reply created = api.post("/api/v1/migrations", MIGRATION);
        assertEquals(201, created.status(), created.body());
        assertEquals(Optional.of("pending"), created.text("phase"));

        Reply attached = api.post("/api/v1/migrations/ec2_to_azure/interlay/redis_interlay",
                "{\n  \"endpoint\": \"azure_redis\"\n}");
        assertTrue(attached.status() == 200 || attached.status() == 201, attached.body());
        assertEquals(Optional.of("ready"), attached.text("phase"), attached.body());

        Reply migration = api.get("/api/v1/migrations/ec2_to_azure");
        assertEquals(200, migration.status(), migration.body());
        assertEquals(Optional.of("canary"), migration.text("type"));
        assertEquals(Optional.of("0.05"), migration.scalar("read_percentage"));

        Reply status = api.get("/api/v1/migrations/ec2_to_azure/status");
        assertEquals(200, status.status(), status.body());
        assertEquals(Optional.of("ready"), status.text("phase"), status.body());
        assertEquals(Optional.of("healthy"), status.text("source"), status.body());
        assertEquals(Optional.of("healthy"), status.text("target"), status.body());
        assertTrue(status.scalar("replication_lag_ms").isPresent(), status.body());
        assertTrue(status.scalar("ready_for_cutover").isPresent(), status.body());
    }

    private void keepsPasswordsToItself(ApiClient api) {
        Reply created = api.post("/api/v1/endpoints",
                "{\"id\": \"secured_redis\", \"uri\": \"redis://:" + PASSWORD + "@127.0.0.1:" + secured.port() + "\"}");
        assertEquals(201, created.status(), created.body());
        assertTrue(created.text("uri").orElseThrow().contains("***"), created.body());
        assertEquals(200, api.get("/api/v1/endpoints").status());
        assertEquals(200, api.get("/api/v1/endpoints/secured_redis").status());
        Reply duplicate = api.post("/api/v1/endpoints",
                "{\"id\": \"secured_redis\", \"uri\": \"redis://:" + PASSWORD + "@127.0.0.1:" + secured.port() + "\"}");
        assertEquals(409, duplicate.status(), duplicate.body());
        Reply broken = api.post("/api/v1/endpoints",
                "{\"id\": \"broken\", \"uri\": \"redis://:" + PASSWORD + "@127.0.0.1:notaport\"}");
        assertEquals(400, broken.status(), broken.body());
    }

    private void stillKnowsEverything(ApiClient api) {
        Reply migration = api.get("/api/v1/migrations/ec2_to_azure");
        assertEquals(200, migration.status(), migration.body());
        assertEquals(Optional.of("ready"), migration.text("phase"), migration.body());
        assertEquals(Optional.of("canary"), migration.text("type"), migration.body());
        assertEquals(Optional.of("dual_write"), migration.text("mode"), migration.body());
        assertEquals(Optional.of("old_authoritative"), migration.text("policy"), migration.body());
        assertTrue(migration.body().contains("azure_redis"), "routing to the target: " + migration.body());

        Reply endpoints = api.get("/api/v1/endpoints");
        for (String id : List.of("ec2_redis", "azure_redis", "secured_redis")) {
            assertTrue(endpoints.body().contains("\"" + id + "\""), id + " in " + endpoints.body());
        }
        Reply interlay = api.get("/api/v1/interlays/redis_interlay");
        assertEquals(200, interlay.status(), interlay.body());
        assertEquals(Optional.of("ec2_redis"), interlay.text("endpoint"), interlay.body());
        assertEquals(Optional.of("ec2_to_azure"), interlay.text("migration"), interlay.body());

        Reply status = api.get("/api/v1/migrations/ec2_to_azure/status");
        assertEquals(Optional.of("ready"), status.text("phase"), status.body());
    }

    private static void stillProxies(InetSocketAddress eden) {
        try (Jedis client = new Jedis(eden.getHostString(), eden.getPort()); Jedis source = ec2.direct()) {
            assertEquals("PONG", client.ping());
            assertEquals("hello from the app", client.get("walkthrough:greeting"));
            assertEquals("OK", client.set("walkthrough:after-restart", "still here"));
            assertEquals("still here", source.get("walkthrough:after-restart"));
        }
    }

    private EdenServer start(Path data) {
        ServerConfig config = ServerConfig.defaults(data)
                .withListens(List.of(ListenSpec.parse("127.0.0.1:0")))
                .withApi(new ListenAddress("127.0.0.1", 0))
                .withPluginsDir(temp.resolve("plugins"));
        return new EdenServer(config).start();
    }

    private static InetSocketAddress redisInterlay(EdenServer eden) {
        return eden.interlayAddress("redis_interlay").orElseThrow();
    }
}

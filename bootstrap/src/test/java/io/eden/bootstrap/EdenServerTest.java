package io.eden.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.bootstrap.support.ApiClient;
import io.eden.bootstrap.support.CapturedOutput;
import io.eden.bootstrap.support.RealRedis;
import io.eden.domain.model.ListenAddress;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a start goes when an address is taken: fatal for the command line's listeners, not for stored ones. */
class EdenServerTest {
    private static final String TOKEN = "eden-server-test-token-0123456789";

    @TempDir
    Path temp;

    @Test
    void aListenerTheCommandLineAsksForMustStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            StartupException refused = assertThrows(StartupException.class,
                    () -> new EdenServer(config(temp.resolve("data"), listen)).start());
            assertEquals(StartupException.FAILURE, refused.exitCode());
            assertTrue(refused.getMessage().startsWith("--listen " + listen + ": "), refused.getMessage());
        }
    }

    @Test
    void aStoredInterlayWhoseAddressIsTakenIsLoggedAndTheRestRuns() throws Exception {
        Path data = temp.resolve("data");
        int extraPort = RealRedis.freePort();
        try (EdenServer eden = new EdenServer(config(data, "127.0.0.1:0")).start()) {
            ApiClient api = new ApiClient(eden.apiPort(), Optional.of(TOKEN), new StringBuilder());
            assertEquals(201, api.post("/api/v1/endpoints", "{\"id\": \"cache\", \"uri\": \"redis://127.0.0.1:1\"}")
                    .status());
            assertEquals(201, api.post("/api/v1/interlays", "{\"id\": \"extra\", \"endpoint\": \"cache\", "
                    + "\"listen\": \"127.0.0.1:" + extraPort + "\", \"tls\": false, \"settings\": {}}").status());
        }
        try (ServerSocket taken = new ServerSocket(extraPort, 1, InetAddress.getLoopbackAddress());
             CapturedOutput output = CapturedOutput.start();
             EdenServer eden = new EdenServer(config(data, "127.0.0.1:0")).start()) {
            assertTrue(eden.interlayAddress("redis_interlay").isPresent());
            assertEquals(Optional.empty(), eden.interlayAddress("extra"));
            assertTrue(output.text().contains("Interlay extra (redis on 127.0.0.1:" + extraPort + ") is not listening"),
                    output.text());
            ApiClient anonymous = new ApiClient(eden.apiPort(), Optional.empty(), new StringBuilder());
            assertEquals(200, anonymous.get("/healthz").status());
        }
    }

    @Test
    void aPostgresListenDeclaresPostgresInterlayThatBindsToTheFirstPostgresEndpoint() throws Exception {
        ServerConfig config = config(temp.resolve("data"), "postgres://127.0.0.1:0").withStore(Optional.of("memory:"));
        try (EdenServer eden = new EdenServer(config).start()) {
            assertTrue(eden.interlayAddress("postgres_interlay").isPresent(), "the PostgreSQL listener is up");
            ApiClient api = new ApiClient(eden.apiPort(), Optional.of(TOKEN), new StringBuilder());
            assertEquals(201, api.post("/api/v1/endpoints",
                    "{\"id\": \"pg\", \"uri\": \"postgres://127.0.0.1:1/app\"}").status());
            String interlay = api.get("/api/v1/interlays/postgres_interlay").body();
            assertTrue(interlay.contains("\"endpoint\":\"pg\""), interlay);
        }
    }

    @Test
    void aThrowAwayStoreForgetsEverythingAtTheEnd() throws Exception {
        ServerConfig config = config(temp.resolve("data"), "127.0.0.1:0").withStore(Optional.of("memory:"));
        try (EdenServer eden = new EdenServer(config).start()) {
            ApiClient api = new ApiClient(eden.apiPort(), Optional.of(TOKEN), new StringBuilder());
            assertEquals(201, api.post("/api/v1/endpoints", "{\"id\": \"cache\", \"uri\": \"redis://127.0.0.1:1\"}")
                    .status());
        }
        try (EdenServer eden = new EdenServer(config).start()) {
            ApiClient api = new ApiClient(eden.apiPort(), Optional.of(TOKEN), new StringBuilder());
            assertEquals(404, api.get("/api/v1/endpoints/cache").status());
        }
    }

    private ServerConfig config(Path data, String listen) {
        return ServerConfig.defaults(data)
                .withListens(List.of(ListenSpec.parse(listen)))
                .withApi(new ListenAddress("127.0.0.1", 0))
                .withApiToken(Optional.of(TOKEN))
                .withPluginsDir(temp.resolve("plugins"));
    }
}

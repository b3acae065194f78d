package io.eden.bootstrap.migration;

import io.eden.bootstrap.EdenServer;
import io.eden.bootstrap.ListenSpec;
import io.eden.bootstrap.ServerConfig;
import io.eden.bootstrap.support.ApiClient;
import io.eden.domain.model.ListenAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole server in this JVM, as {@code eden-server --listen 127.0.0.1:0 --api 127.0.0.1:0
 * --option ...} would start it, with the embedded store in a temporary data directory.
 */
final class InProcessEden implements AutoCloseable {
    static final String TOKEN = "migration-test-token-0123456789abcdef";

    private final EdenServer server;
    private final MigrationApi api;

    private InProcessEden(EdenServer server) {
        this.server = server;
        this.api = new MigrationApi(new ApiClient(server.apiPort(), Optional.of(TOKEN), new StringBuilder()));
    }

    /** {@code options} are the {@code --option} values, e.g. {@code redis.copy-rate-limit -> 2000}. */
    static InProcessEden start(Path temp, Map<String, String> options) {
        ServerConfig config = new ServerConfig(List.of(ListenSpec.parse("127.0.0.1:0")),
                new ListenAddress("127.0.0.1", 0), temp.resolve("data"), Optional.empty(), Optional.of(TOKEN),
                temp.resolve("plugins"), options);
        return new InProcessEden(new EdenServer(config).start());
    }

    MigrationApi api() {
        return api;
    }

    /** Where applications connect: the {@code redis_interlay} listener. */
    InetSocketAddress redis() {
        return server.interlayAddress(MigrationApi.INTERLAY).orElseThrow();
    }

    @Override
    public void close() {
        server.close();
    }
}

package io.eden.bootstrap;

import io.eden.domain.model.ListenAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the command line decided. {@code apiToken} is the token from {@code --api-token}
 * or {@code EDEN_API_TOKEN}; {@link #toString()} hides it and the store URI, which may hold a password.
 */
public record ServerConfig(List<ListenSpec> listens, ListenAddress api, Path dataDir, Optional<String> store,
                           Optional<String> apiToken, Path pluginsDir, Map<String, String> adapterOptions) {
    public static final ListenAddress DEFAULT_API = new ListenAddress("0.0.0.0", 8000);

    public ServerConfig {
        listens = List.copyOf(listens);
        Objects.requireNonNull(api, "api is null");
        Objects.requireNonNull(dataDir, "dataDir is null");
        Objects.requireNonNull(store, "store is null");
        Objects.requireNonNull(apiToken, "apiToken is null");
        Objects.requireNonNull(pluginsDir, "pluginsDir is null");
        adapterOptions = Map.copyOf(adapterOptions);
    }

    /** The defaults of the command line, for tests and embedding: no listener, API on 0.0.0.0:8000. */
    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(List.of(), DEFAULT_API, dataDir, Optional.empty(), Optional.empty(),
                Path.of("plugins"), Map.of());
    }

    public ServerConfig withListens(List<ListenSpec> value) {
        return new ServerConfig(value, api, dataDir, store, apiToken, pluginsDir, adapterOptions);
    }

    public ServerConfig withApi(ListenAddress value) {
        return new ServerConfig(listens, value, dataDir, store, apiToken, pluginsDir, adapterOptions);
    }

    public ServerConfig withStore(Optional<String> value) {
        return new ServerConfig(listens, api, dataDir, value, apiToken, pluginsDir, adapterOptions);
    }

    public ServerConfig withApiToken(Optional<String> value) {
        return new ServerConfig(listens, api, dataDir, store, value, pluginsDir, adapterOptions);
    }

    public ServerConfig withPluginsDir(Path value) {
        return new ServerConfig(listens, api, dataDir, store, apiToken, value, adapterOptions);
    }

    @Override
    public String toString() {
        return "ServerConfig[listens=" + listens + ", api=" + api + ", dataDir=" + dataDir
                + ", store=" + store.map(s -> "(given)").orElse("(embedded)")
                + ", apiToken=" + apiToken.map(t -> "(given)").orElse("(file)") + ", pluginsDir=" + pluginsDir + "]";
    }
}

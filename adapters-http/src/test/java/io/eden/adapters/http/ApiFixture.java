package io.eden.adapters.http;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.eden.adapters.http.json.JsonCodec;
import io.eden.application.EdenCore;
import io.eden.application.service.ProtocolRegistry;
import io.eden.application.spi.AdapterContext;
import io.eden.application.spi.EdenMetrics;
import io.eden.application.store.InMemoryStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running API over an in-memory store and {@link FakeRedisProtocol}, with an HTTP client. Every
 * answer is checked for the test password: it must never come back, whatever the request.
 */
final class ApiFixture implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789";
    static final String SECRET = "s3cret";

    final DropwizardEdenMetrics metrics = new DropwizardEdenMetrics();
    final AtomicBoolean ready = new AtomicBoolean(true);
    final EdenCore core;
    final HttpApiServer server;
    /** Two local "databases" that accept TCP connections, so both endpoints are healthy. */
    final FakeRedisProtocol.ClosingListener sourceDb;
    final FakeRedisProtocol.ClosingListener targetDb;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonCodec json = new JsonCodec();

    ApiFixture() throws IOException {
        InMemoryStore store = new InMemoryStore();
        AdapterContext context = new AdapterContext() {
            @Override
            public EdenMetrics metrics() {
                return metrics;
            }

            @Override
            public Path dataDir() {
                return Path.of(System.getProperty("java.io.tmpdir"));
            }

            @Override
            public Map<String, String> options() {
                return Map.of();
            }
        };
        ProtocolRegistry registry = new ProtocolRegistry(List.of(new FakeRedisProtocol()), context);
        core = new EdenCore(store.endpoints(), store.interlays(), store.migrations(), store.checkpoints(), registry,
                Clock.systemUTC());
        sourceDb = new FakeRedisProtocol.ClosingListener("127.0.0.1", 0);
        targetDb = new FakeRedisProtocol.ClosingListener("127.0.0.1", 0);
        server = new HttpApiServer(core.useCases(), TOKEN, metrics, ready::get, "127.0.0.1", 0).start();
    }

    String sourceUri() {
        return "redis://127.0.0.1:" + sourceDb.boundAddress().getPort();
    }

    String targetUri() {
        return "redis://127.0.0.1:" + targetDb.boundAddress().getPort();
    }

    Reply get(String path) {
        return send("GET", path, null, TOKEN);
    }

    Reply post(String path, String body) {
        return send("POST", path, body, TOKEN);
    }

    Reply patch(String path, String body) {
        return send("PATCH", path, body, TOKEN);
    }

    Reply delete(String path) {
        return send("DELETE", path, null, TOKEN);
    }

    /** As the seed's curl does: JSON content type, bearer token unless {@code token} is null. */
    Reply send(String method, String path, String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertFalse(response.body().contains(SECRET), () -> "the password came back: " + response.body());
            assertFalse(response.body().contains(TOKEN), () -> "the token came back: " + response.body());
            return new Reply(response.statusCode(), response, parse(response));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private Object parse(HttpResponse<String> response) {
        boolean isJson = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
        return isJson && !response.body().isEmpty() ? json.parse(response.body().getBytes(StandardCharsets.UTF_8)) : null;
    }

    @Override
    public void close() {
        server.close();
        core.close();
        sourceDb.close();
        targetDb.close();
    }

    /** An answer with its JSON tree; {@link #at} walks it by a dotted path with {@code [i]} indexes. */
    record Reply(int status, HttpResponse<String> response, Object json) {
        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        Object at(String path) {
            Object node = json;
            for (String part : path.split("\\.")) {
                String key = part;
                Integer index = null;
                int bracket = part.indexOf('[');
                if (bracket >= 0) {
                    key = part.substring(0, bracket);
                    index = Integer.parseInt(part.substring(bracket + 1, part.length() - 1));
                }
                if (!key.isEmpty()) {
                    if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                        throw new AssertionError("no " + path + " in " + body());
                    }
                    node = map.get(key);
                }
                if (index != null) {
                    node = ((List<?>) node).get(index);
                }
            }
            return node;
        }

        String text(String path) {
            return (String) at(path);
        }

        double number(String path) {
            return ((Number) at(path)).doubleValue();
        }
    }
}

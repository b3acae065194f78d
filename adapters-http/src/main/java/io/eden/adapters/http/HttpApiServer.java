package io.eden.adapters.http;

import io.eden.adapters.http.json.JsonCodec;
import io.eden.application.UseCases;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.HttpContinueReadHandler;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The REST API ({@code /api/v1}, see API.md) on Undertow. Handlers run on virtual threads; Undertow's
 * own threads only accept and parse. Every route but {@code GET /healthz} and {@code GET /metrics}
 * needs the bearer token. Bodies are limited to 1 MiB.
 *
 * <pre>{@code
 * HttpApiServer api = new HttpApiServer(core.useCases(), token, metrics, () -> true, "0.0.0.0", 8000).start();
 * int port = api.port();
 * api.close();
 * }</pre>
 */
public final class HttpApiServer implements AutoCloseable {
    public static final String BASE_PATH = "/api/v1";
    public static final int MAX_BODY_BYTES = RequestBodies.LIMIT;

    private final String host;
    private final int requestedPort;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ApiDispatcher dispatcher;
    private Undertow undertow;
    private InetSocketAddress address;

    /**
     * @param apiToken the bearer token clients must send; must not be blank
     * @param ready    answers {@code /healthz}: 200 while true, 503 while false
     * @param port     0 picks a free port; {@link #port()} tells which
     */
    public HttpApiServer(UseCases useCases, String apiToken, DropwizardEdenMetrics metrics, BooleanSupplier ready,
                         String host, int port) {
        Objects.requireNonNull(useCases, "useCases is null");
        Objects.requireNonNull(metrics, "metrics is null");
        Objects.requireNonNull(ready, "ready is null");
        this.host = Objects.requireNonNull(host, "host is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        this.requestedPort = port;
        JsonCodec json = new JsonCodec();
        Replies replies = new Replies(json);
        Router router = new Router();
        new EndpointResource(useCases, replies).register(router, BASE_PATH);
        new InterlayResource(useCases, replies).register(router, BASE_PATH);
        new MigrationResource(useCases, replies).register(router, BASE_PATH);
        new MigrationActions(useCases, replies).register(router, BASE_PATH);
        new OpsResource(json, metrics, ready).register(router, BASE_PATH);
        this.dispatcher = new ApiDispatcher(executor, router, new BearerAuth(apiToken), json, new ApiMetrics(metrics));
    }

    /** Binds the address and starts serving; returns this, so that construction and start chain. */
    public synchronized HttpApiServer start() {
        if (undertow != null) {
            throw new IllegalStateException("the API server is already started");
        }
        Undertow server = Undertow.builder()
                .addHttpListener(requestedPort, host)
                // Few IO threads are enough: they only parse and hand requests to virtual threads.
                .setIoThreads(2)
                .setWorkerThreads(2)
                // A client that opens a connection and then dawdles must not hold it forever.
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 30_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, 120_000)
                .setHandler(new HttpContinueReadHandler(dispatcher))
                .build();
        server.start();
        this.undertow = server;
        this.address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return this;
    }

    /** The port actually bound; the real one when 0 was asked for. */
    public synchronized int port() {
        return address().getPort();
    }

    public synchronized InetSocketAddress address() {
        if (address == null) {
            throw new IllegalStateException("the API server is not started");
        }
        return address;
    }

    /** Stops accepting, then gives running requests a few seconds to finish. */
    @Override
    public synchronized void close() {
        if (undertow != null) {
            undertow.stop();
            undertow = null;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

package io.eden.adapters.http;

import io.eden.adapters.http.json.JsonCodec;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Runs every request on its own virtual thread, off Undertow's IO threads, so that handlers may
 * block (read the body, wait for the store, check an endpoint's health). Order of checks: open
 * routes, then the token (so an unauthenticated caller learns nothing about paths), then routing.
 */
final class ApiDispatcher implements HttpHandler {
    private final ExecutorService executor;
    private final Router router;
    private final BearerAuth auth;
    private final JsonCodec json;
    private final ErrorResponses errors;
    private final ApiMetrics metrics;

    ApiDispatcher(ExecutorService executor, Router router, BearerAuth auth, JsonCodec json, ApiMetrics metrics) {
        this.executor = executor;
        this.router = router;
        this.auth = auth;
        this.json = json;
        this.errors = new ErrorResponses(json);
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(executor, this);
            return;
        }
        long started = System.nanoTime();
        exchange.startBlocking();
        String method = exchange.getRequestMethod().toString();
        String route = "(no route)";
        Response response;
        try {
            Router.Resolution resolution = router.resolve(method, exchange.getRequestPath());
            if (resolution instanceof Router.Found found) {
                route = found.route().pattern();
            }
            response = answer(exchange, resolution);
        } catch (Exception e) {
            response = errors.of(e, method, route);
        }
        send(exchange, response);
        metrics.record(response.status(), System.nanoTime() - started);
    }

    private Response answer(HttpServerExchange exchange, Router.Resolution resolution) throws Exception {
        boolean open = resolution instanceof Router.Found found && found.route().open();
        if (!open && !auth.permits(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
            return errors.plain(401, "unauthorized", "a valid 'Authorization: Bearer <token>' header is required")
                    .withHeader("WWW-Authenticate", "Bearer");
        }
        return switch (resolution) {
            case Router.Found found -> found.route().handler().handle(new Request(exchange, found.params(), json));
            case Router.MethodNotAllowed refused -> errors.plain(405, "method_not_allowed",
                    exchange.getRequestMethod() + " is not allowed here; allowed: " + refused.allow())
                    .withHeader("Allow", refused.allow());
            case Router.NotFound missing -> errors.plain(404, "not_found", "no such path: " + exchange.getRequestPath());
        };
    }

    private static void send(HttpServerExchange exchange, Response response) {
        exchange.setStatusCode(response.status());
        var headers = exchange.getResponseHeaders();
        if (response.contentType() != null) {
            headers.put(Headers.CONTENT_TYPE, response.contentType());
        }
        // Answers describe live state and may name infrastructure: no cache should keep them.
        headers.put(Headers.CACHE_CONTROL, "no-store");
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            headers.put(HttpString.tryFromString(header.getKey()), header.getValue());
        }
        headers.put(Headers.CONTENT_LENGTH, response.body().length);
        exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
    }
}

package io.eden.adapters.http;

import io.eden.adapters.http.json.JsonCodec;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/** One API request as handlers see it: path parameters and the body, read only when a handler asks. */
final class Request {
    private final HttpServerExchange exchange;
    private final Map<String, String> params;
    private final JsonCodec json;

    Request(HttpServerExchange exchange, Map<String, String> params, JsonCodec json) {
        this.exchange = exchange;
        this.params = params;
        this.json = json;
    }

    String param(String name) {
        String value = params.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return value;
    }

    /** The body as a JSON value tree; any content type is accepted (curl -d sends a form type). */
    Object json() {
        return json.parse(RequestBodies.read(exchange));
    }

    /** Like {@link #json()}, but an empty body gives {@code null}: action endpoints take no body. */
    Object jsonOrNull() {
        byte[] body = RequestBodies.read(exchange);
        return RequestBodies.isBlank(body) ? null : json.parse(body);
    }
}

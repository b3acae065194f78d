package io.eden.adapters.http;

import java.util.Map;

/** What a handler answers: status, body bytes of a content type, and extra headers (Location, Allow). */
record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";

    Response {
        headers = Map.copyOf(headers);
    }

    static Response json(int status, byte[] body) {
        return new Response(status, JSON, body, Map.of());
    }

    static Response noContent() {
        return new Response(204, null, new byte[0], Map.of());
    }

    Response withHeader(String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new Response(status, contentType, body, more);
    }
}

package io.eden.adapters.http;

import io.eden.adapters.http.json.JsonCodec;

/** The successful answers: a document with 200, or 201 with the new resource's Location. */
final class Replies {
    private final JsonCodec json;

    Replies(JsonCodec json) {
        this.json = json;
    }

    Response ok(Record document) {
        return Response.json(200, json.write(document));
    }

    Response created(String location, Record document) {
        return Response.json(201, json.write(document)).withHeader("Location", location);
    }
}

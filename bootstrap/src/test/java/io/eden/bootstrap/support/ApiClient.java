package io.eden.bootstrap.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The seed's curl calls, as a test makes them; every response body is kept for the secret checks. */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Optional<String> token;
    private final StringBuilder everyBody;

    public record Reply(int status, String body) {
        /** The first string value of {@code "name"} in the body (a tiny reader: the tests need a few fields). */
        public Optional<String> text(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                    .matcher(body);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }

        /** The first number (or boolean) value of {@code "name"} in the body. */
        public Optional<String> scalar(String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*([-0-9.eE+]+|true|false)")
                    .matcher(body);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
    }

    public ApiClient(int port, Optional<String> token, StringBuilder everyBody) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
        this.everyBody = everyBody;
    }

    public ApiClient withToken(Optional<String> other) {
        return new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), other, everyBody);
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, String json) {
        return send("POST", path, json);
    }

    public Reply send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            synchronized (everyBody) {
                everyBody.append(response.body()).append('\n');
            }
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

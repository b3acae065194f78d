package io.eden.adapters.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Matches a method and path against the routes: exact segments or {@code {name}} parameters. It tells
 * a path no route has (404) from a path that exists for other methods (405 with those methods).
 */
final class Router {
    @FunctionalInterface
    interface Handler {
        Response handle(Request request) throws Exception;
    }

    /** {@code open} routes are served without a token (liveness and metrics). */
    record Route(String method, String pattern, List<String> segments, boolean open, Handler handler) {
    }

    sealed interface Resolution permits Found, MethodNotAllowed, NotFound {
    }

    record Found(Route route, Map<String, String> params) implements Resolution {
    }

    record MethodNotAllowed(String allow) implements Resolution {
    }

    record NotFound() implements Resolution {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, pattern, segments(pattern), false, handler));
        return this;
    }

    Router addOpen(String method, String pattern, Handler handler) {
        routes.add(new Route(method, pattern, segments(pattern), true, handler));
        return this;
    }

    Resolution resolve(String method, String path) {
        List<String> actual = segments(path);
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = match(route.segments(), actual);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Found(route, params);
            }
            allowed.add(route.method());
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(String.join(", ", allowed));
    }

    private static Map<String, String> match(List<String> pattern, List<String> actual) {
        if (pattern.size() != actual.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String expected = pattern.get(i);
            String segment = actual.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (segment.isEmpty()) {
                    return null;
                }
                params.put(expected.substring(1, expected.length() - 1), segment);
            } else if (!expected.equals(segment)) {
                return null;
            }
        }
        return params;
    }

    /** {@code /a/b/} and {@code /a/b} are the same path; an empty inner segment ({@code //}) matches nothing. */
    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }
}

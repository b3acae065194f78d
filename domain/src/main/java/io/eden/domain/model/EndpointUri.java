package io.eden.domain.model;

import io.eden.domain.error.InvalidValueException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a database lives, as the user wrote it. The password is kept for connecting
 * but every textual form of this record is redacted, so it cannot leak through a log
 * line, an error message or an API response by accident.
 */
public record EndpointUri(String scheme, Optional<String> user, Optional<String> password, String host,
                          OptionalInt port, String path, Map<String, String> query) {
    private static final String FIELD = "uri";
    private static final String MASK = "***";

    public EndpointUri {
        Objects.requireNonNull(scheme, "scheme is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(password, "password is null");
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(port, "port is null");
        Objects.requireNonNull(path, "path is null");
        query = Map.copyOf(query);
    }

    public static EndpointUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidValueException(FIELD, "uri is required");
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            // the raw text may carry a password: never echo it back
            throw new InvalidValueException(FIELD, "uri is not a valid URI (" + e.getReason() + ")");
        }
        if (uri.getScheme() == null) {
            throw new InvalidValueException(FIELD, "uri needs a scheme such as redis:// or postgres://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidValueException(FIELD, "uri needs a host name");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new InvalidValueException(FIELD, "uri port must be between 1 and 65535");
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (!rawUser.isEmpty()) {
                user = Optional.of(decode(rawUser));
            }
            if (colon >= 0) {
                password = Optional.of(decode(userInfo.substring(colon + 1)));
            }
        }
        // java.net.URI keeps an IPv6 literal in its brackets; the record holds the bare address
        // (textual forms add the brackets back), so that it round-trips and can be connected to.
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new EndpointUri(uri.getScheme().toLowerCase(Locale.ROOT), user, password, host,
                uri.getPort() < 0 ? OptionalInt.empty() : OptionalInt.of(uri.getPort()),
                uri.getRawPath() == null ? "" : decode(uri.getRawPath()), parseQuery(uri.getRawQuery()));
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            query.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return query;
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public int portOr(int defaultPort) {
        return port.orElse(defaultPort);
    }

    /** The path without its leading slash: the Redis database index or the PostgreSQL database name. */
    public String database() {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** The form shown to people: the password, if any, replaced by {@code ***}. */
    public String redacted() {
        StringBuilder text = new StringBuilder(scheme).append("://");
        if (user.isPresent() || password.isPresent()) {
            text.append(user.orElse(""));
            if (password.isPresent()) {
                text.append(':').append(MASK);
            }
            text.append('@');
        }
        text.append(host.contains(":") ? "[" + host + "]" : host);
        port.ifPresent(p -> text.append(':').append(p));
        text.append(path);
        if (!query.isEmpty()) {
            text.append('?');
            query.forEach((k, v) -> text.append(k).append('=')
                    .append(isSecretParameter(k) ? MASK : v).append('&'));
            text.setLength(text.length() - 1);
        }
        return text.toString();
    }

    /** The full form with the password, for storing; never for showing. */
    public String unredacted() {
        StringBuilder text = new StringBuilder(scheme).append("://");
        if (user.isPresent() || password.isPresent()) {
            text.append(encode(user.orElse("")));
            password.ifPresent(p -> text.append(':').append(encode(p)));
            text.append('@');
        }
        text.append(host.contains(":") ? "[" + host + "]" : host);
        port.ifPresent(p -> text.append(':').append(p));
        // the path was decoded when parsed: encode it again, segment by segment
        for (String segment : path.split("/", -1)) {
            text.append(encode(segment)).append('/');
        }
        text.setLength(text.length() - 1);
        if (!query.isEmpty()) {
            text.append('?');
            query.forEach((k, v) -> text.append(encode(k)).append('=').append(encode(v)).append('&'));
            text.setLength(text.length() - 1);
        }
        return text.toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean isSecretParameter(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.equals("sslkey") || k.contains("token");
    }

    @Override
    public String toString() {
        return redacted();
    }
}

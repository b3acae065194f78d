package io.eden.adapters.persistence;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the store lives, worked out from the {@code --store} value: a JDBC URL plus the
 * credentials kept apart from it, so that the URL (which drivers and pools like to log)
 * never holds a password. {@link #toString()} and {@link #description()} are safe to show.
 */
final class StoreLocation {
    enum Kind { H2, POSTGRESQL }

    /** H2 flags: PostgreSQL-like SQL, and the file closes when Eden closes the pool, not in a JVM hook. */
    static final String H2_FLAGS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE";
    static final String H2_FILE_NAME = "eden";
    /**
     * pgjdbc properties Eden sets unless the URI does: a name in pg_stat_activity, and no
     * server DETAIL in exception messages (for a constraint violation it lists the failing
     * row, which may hold an endpoint's password).
     */
    private static final Map<String, String> POSTGRES_DEFAULTS = Map.of(
            "ApplicationName", "eden",
            "logServerErrorDetail", "false");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]{0,31}");
    private static final String FORMS = "the store must be empty (an H2 file under the data directory), "
            + "postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or a jdbc:h2: or jdbc:postgresql: URL";

    private final Kind kind;
    private final String jdbcUrl;
    private final Optional<String> user;
    private final Optional<String> password;
    private final Map<String, String> driverProperties;
    private final String description;
    private final Optional<Path> directory;

    private StoreLocation(Kind kind, String jdbcUrl, Optional<String> user, Optional<String> password,
                          Map<String, String> driverProperties, String description, Optional<Path> directory) {
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.driverProperties = Map.copyOf(driverProperties);
        this.description = description;
        this.directory = directory;
    }

    /**
     * Reads a {@code --store} value. {@code null} or blank: an H2 file in {@code dataDir};
     * {@code postgresql://} or {@code postgres://} (libpq URI form): PostgreSQL;
     * {@code jdbc:h2:} or {@code jdbc:postgresql:}: used as given.
     *
     * @throws IllegalArgumentException for anything else; the message never repeats the value
     */
    static StoreLocation parse(String storeUri, Path dataDir) {
        if (storeUri == null || storeUri.isBlank()) {
            return h2File(dataDir);
        }
        String text = storeUri.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            return new StoreLocation(Kind.H2, text, Optional.empty(), Optional.empty(), Map.of(),
                    cut(text, ";?"), Optional.empty());
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return new StoreLocation(Kind.POSTGRESQL, text, Optional.empty(), Optional.empty(),
                    POSTGRES_DEFAULTS, cut(text, "?"), Optional.empty());
        }
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return postgres(text.substring(text.indexOf("://") + 3));
        }
        if (lower.startsWith("jdbc:")) {
            throw new IllegalArgumentException(FORMS + "; other JDBC databases are not supported");
        }
        int sep = text.indexOf("://");
        if (sep > 0 && SCHEME.matcher(text.substring(0, sep)).matches()) {
            throw new IllegalArgumentException(FORMS + "; got a '" + text.substring(0, sep) + "://' URI");
        }
        throw new IllegalArgumentException(FORMS);
    }

    private static StoreLocation h2File(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir is null");
        Path dir = dataDir.toAbsolutePath().normalize();
        if (dir.toString().contains(";")) {
            throw new IllegalArgumentException("the data directory must not contain ';': " + dir);
        }
        String url = "jdbc:h2:file:" + dir.resolve(H2_FILE_NAME) + H2_FLAGS;
        return new StoreLocation(Kind.H2, url, Optional.of("sa"), Optional.of(""), Map.of(),
                "h2:" + dir.resolve(H2_FILE_NAME), Optional.of(dir));
    }

    /** {@code [user[:password]@]host[:port][,host[:port]...][/database][?param=value&...]}, as libpq reads it. */
    private static StoreLocation postgres(String rest) {
        int q = rest.indexOf('?');
        String head = q < 0 ? rest : rest.substring(0, q);
        String rawQuery = q < 0 ? "" : rest.substring(q + 1);
        int at = head.lastIndexOf('@');
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (at >= 0) {
            String userInfo = head.substring(0, at);
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (!rawUser.isEmpty()) {
                user = Optional.of(decode(rawUser, "user name"));
            }
            if (colon >= 0) {
                password = Optional.of(decode(userInfo.substring(colon + 1), "password"));
            }
        }
        String hostAndPath = head.substring(at + 1);
        int slash = hostAndPath.indexOf('/');
        String hosts = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
        String database = slash < 0 ? "" : decode(hostAndPath.substring(slash + 1), "database name");
        if (hosts.isEmpty()) {
            hosts = "localhost";
        }
        if (!hosts.matches("[A-Za-z0-9.\\-_:\\[\\],%]+")) {
            throw new IllegalArgumentException("the PostgreSQL store's host part is not valid; " + FORMS);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), "parameter name");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "parameter " + key);
            switch (key) {
                case "user" -> user = Optional.of(value);
                case "password" -> password = Optional.of(value);
                default -> params.put(key, value);
            }
        }
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(encode(database));
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        Map<String, String> driverProperties = new LinkedHashMap<>(POSTGRES_DEFAULTS);
        driverProperties.keySet().removeIf(params::containsKey);
        String description = "postgresql://" + user.map(u -> u + "@").orElse("") + hosts + "/" + database;
        return new StoreLocation(Kind.POSTGRESQL, url.toString(), user, password, driverProperties, description,
                Optional.empty());
    }

    private static String cut(String text, String stops) {
        int end = text.length();
        for (char c : stops.toCharArray()) {
            int i = text.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return text.substring(0, end);
    }

    private static String decode(String raw, String what) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // never echo the raw text: it may be the password
            throw new IllegalArgumentException("the store URI's " + what + " has a bad %-escape", null);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Kind kind() {
        return kind;
    }

    /** Holds no password when the store was given as postgresql://; a jdbc: URL is used as the user wrote it. */
    String jdbcUrl() {
        return jdbcUrl;
    }

    Optional<String> user() {
        return user;
    }

    Optional<String> password() {
        return password;
    }

    /** Extra JDBC driver properties (e.g. the application name PostgreSQL shows). */
    Map<String, String> driverProperties() {
        return driverProperties;
    }

    /** The directory to create for an embedded H2 file; empty for other stores. */
    Optional<Path> directory() {
        return directory;
    }

    /** Where the store is, for logs and messages: no password, no query parameters. */
    String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}

package io.eden.adapters.redis;

import io.eden.adapters.redis.proxy.ClientTls;
import io.eden.adapters.redis.migration.MovementSettings;
import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.proxy.UpstreamTls;
import io.eden.adapters.redis.resp.RespLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the {@code --option redis.NAME=VALUE} settings of this protocol. Sizes take Redis's
 * suffixes ({@code 512mb}, {@code 64kb}, {@code 1gb}): frame limits, timeouts, {@code lanes},
 * {@code max-clients}, {@code client-output-limit}, {@code inflight-request-budget}, and the TLS files (read
 * here, at start, so a wrong path stops Eden rather than its first client). Options it does not know are
 * left to later features and ignored here.
 */
final class RedisAdapterOptions {
    static final String MAX_BULK_LENGTH = "max-bulk-length";
    static final String MAX_AGGREGATE_LENGTH = "max-aggregate-length";
    static final String MAX_NESTING_DEPTH = "max-nesting-depth";
    static final String MAX_INLINE_LENGTH = "max-inline-length";
    static final String CONNECT_TIMEOUT_MS = "upstream-connect-timeout-ms";
    static final String HEALTH_TIMEOUT_MS = "health-timeout-ms";
    static final String LANES = "lanes";
    static final String UPSTREAM_CONNECTIONS = "upstream-connections";
    static final String MAX_CLIENTS = "max-clients";
    static final String CLIENT_OUTPUT_LIMIT = "client-output-limit";
    static final String INFLIGHT_REQUEST_BUDGET = "inflight-request-budget";
    static final String TLS_CERT_FILE = "tls-cert-file";
    static final String TLS_KEY_FILE = "tls-key-file";
    static final String TLS_CA_FILE = "tls-ca-file";
    static final String TLS_HANDSHAKE_TIMEOUT_MS = "tls-handshake-timeout-ms";
    static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    static final String COPY_BATCH_KEYS = "copy-batch-keys";
    static final String COPY_RATE_LIMIT = "copy-rate-limit";
    static final String VALIDATE_TTL_TOLERANCE_MS = "validate-ttl-tolerance-ms";
    static final String REPAIR_ATTEMPTS = "repair-attempts";
    static final String COPY_BIG_KEY_BYTES = "copy-big-key-bytes";
    static final String COPY_CLIENT_SHARE = "copy-client-share";

    private RedisAdapterOptions() {
    }

    static MovementSettings parseMovement(Map<String, String> options) {
        MovementSettings defaults = MovementSettings.DEFAULTS;
        try {
            return new MovementSettings(
                    Math.toIntExact(number(options, COPY_BATCH_KEYS, defaults.batchKeys())),
                    number(options, COPY_RATE_LIMIT, defaults.rateLimit()),
                    number(options, VALIDATE_TTL_TOLERANCE_MS, defaults.ttlToleranceMillis()),
                    Math.toIntExact(number(options, REPAIR_ATTEMPTS, defaults.repairAttempts())),
                    size(options, COPY_BIG_KEY_BYTES, defaults.bigKeyBytes()),
                    decimal(options, COPY_CLIENT_SHARE, defaults.clientShare()));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a redis option is out of range: " + options, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid redis option: " + e.getMessage(), e);
        }
    }

    static ProxySettings parse(Map<String, String> options) {
        ProxySettings defaults = ProxySettings.DEFAULTS;
        RespLimits limits = defaults.clientLimits();
        try {
            limits = new RespLimits(
                    size(options, MAX_BULK_LENGTH, limits.maxBulkLength()),
                    Math.toIntExact(number(options, MAX_AGGREGATE_LENGTH, limits.maxAggregateLength())),
                    Math.toIntExact(number(options, MAX_NESTING_DEPTH, limits.maxDepth())),
                    Math.toIntExact(size(options, MAX_INLINE_LENGTH, limits.maxLineLength())));
            return new ProxySettings(limits,
                    Duration.ofMillis(number(options, CONNECT_TIMEOUT_MS, defaults.upstreamConnectTimeout().toMillis())),
                    Duration.ofMillis(number(options, HEALTH_TIMEOUT_MS, defaults.healthTimeout().toMillis())),
                    Math.toIntExact(number(options, LANES, defaults.lanes())),
                    Math.toIntExact(number(options, MAX_CLIENTS, defaults.maxClients())),
                    size(options, CLIENT_OUTPUT_LIMIT, defaults.clientOutputLimit()),
                    size(options, INFLIGHT_REQUEST_BUDGET, defaults.inflightRequestBudget()),
                    clientTls(options), upstreamTls(options),
                    Math.toIntExact(number(options, UPSTREAM_CONNECTIONS, defaults.upstreamConnections())));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a redis option is out of range: " + options, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid redis option: " + e.getMessage(), e);
        }
    }

    private static Optional<ClientTls> clientTls(Map<String, String> options) {
        String cert = options.get(TLS_CERT_FILE);
        String key = options.get(TLS_KEY_FILE);
        Duration timeout = Duration.ofMillis(number(options, TLS_HANDSHAKE_TIMEOUT_MS,
                DEFAULT_TLS_HANDSHAKE_TIMEOUT.toMillis()));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(TLS_HANDSHAKE_TIMEOUT_MS + " must be positive");
        }
        if (cert == null && key == null) {
            return Optional.empty();
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException(TLS_CERT_FILE + " and " + TLS_KEY_FILE + " go together: the PEM"
                    + " certificate chain and its PEM private key");
        }
        try {
            return Optional.of(ClientTls.fromPem(Path.of(cert.strip()), Path.of(key.strip()), timeout));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TLS_CERT_FILE + "/" + TLS_KEY_FILE + ": " + e.getMessage(), e);
        }
    }

    private static UpstreamTls upstreamTls(Map<String, String> options) {
        String ca = options.get(TLS_CA_FILE);
        if (ca == null) {
            return UpstreamTls.JDK_DEFAULTS;
        }
        try {
            return UpstreamTls.trusting(Path.of(ca.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TLS_CA_FILE + ": " + e.getMessage(), e);
        }
    }

    private static long number(Map<String, String> options, String name, long fallback) {
        return parsed(options, name, fallback, Long::parseLong, "a whole number");
    }

    private static double decimal(Map<String, String> options, String name, double fallback) {
        return parsed(options, name, fallback, Double::parseDouble, "a number");
    }

    private static <T> T parsed(Map<String, String> options, String name, T fallback,
                                Function<String, T> parse, String kind) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return parse.apply(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be " + kind + ", got '" + value + "'");
        }
    }

    private static long size(Map<String, String> options, String name, long fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        String text = value.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        for (Map.Entry<String, Long> suffix : Map.of("gb", 1L << 30, "mb", 1L << 20, "kb", 1L << 10,
                "g", 1_000_000_000L, "m", 1_000_000L, "k", 1_000L).entrySet()) {
            if (text.endsWith(suffix.getKey()) && text.length() > suffix.getKey().length()
                    && Character.isDigit(text.charAt(text.length() - suffix.getKey().length() - 1))) {
                unit = suffix.getValue();
                text = text.substring(0, text.length() - suffix.getKey().length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(text), unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a size such as 536870912, 512mb or 64kb, got '"
                    + value + "'");
        }
    }
}

package io.eden.adapters.redis;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.adapters.redis.resp.RespLimits;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@code --option redis.NAME=VALUE} settings of this protocol. Sizes take Redis's
 * suffixes ({@code 512mb}, {@code 64kb}, {@code 1gb}): frame limits, timeouts, {@code lanes},
 * {@code max-clients}, {@code client-output-limit}, {@code inflight-request-budget}. Options it does not know are
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
    static final String MAX_CLIENTS = "max-clients";
    static final String CLIENT_OUTPUT_LIMIT = "client-output-limit";
    static final String INFLIGHT_REQUEST_BUDGET = "inflight-request-budget";

    private RedisAdapterOptions() {
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
                    size(options, INFLIGHT_REQUEST_BUDGET, defaults.inflightRequestBudget()));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a redis option is out of range: " + options, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid redis option: " + e.getMessage(), e);
        }
    }

    private static long number(Map<String, String> options, String name, long fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
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

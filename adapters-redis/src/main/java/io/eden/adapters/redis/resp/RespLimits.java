package io.eden.adapters.redis.resp;

/**
 * What a parser accepts from a peer before it calls the input malformed. The defaults are
 * Redis's own ({@code proto-max-bulk-len} 512 MB, 1M elements per multi-bulk, 64 KB inline
 * requests), so a client that works against Redis works through Eden.
 *
 * @param maxBulkLength     the largest bulk string, bulk error or verbatim string, in bytes
 * @param maxAggregateLength the most elements of an array, set or push, or pairs of a map
 * @param maxDepth          how deeply aggregates may nest (an attribute counts as a level)
 * @param maxLineLength     the longest line without its CRLF: inline commands, headers, simple strings
 */
public record RespLimits(long maxBulkLength, int maxAggregateLength, int maxDepth, int maxLineLength) {
    public static final long DEFAULT_MAX_BULK_LENGTH = 512L * 1024 * 1024;
    public static final int DEFAULT_MAX_AGGREGATE_LENGTH = 1024 * 1024;
    public static final int DEFAULT_MAX_DEPTH = 128;
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
    public static final RespLimits DEFAULTS = new RespLimits(DEFAULT_MAX_BULK_LENGTH,
            DEFAULT_MAX_AGGREGATE_LENGTH, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LINE_LENGTH);

    public RespLimits {
        // a byte[] holds at most Integer.MAX_VALUE - 8 bytes on common JVMs
        if (maxBulkLength < 0 || maxBulkLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBulkLength must be between 0 and " + (Integer.MAX_VALUE - 8));
        }
        // a map of n pairs holds 2n values, an attribute 2n + 1: keep that inside an int
        if (maxAggregateLength < 0 || maxAggregateLength > Integer.MAX_VALUE / 2 - 1) {
            throw new IllegalArgumentException("maxAggregateLength must be between 0 and " + (Integer.MAX_VALUE / 2 - 1));
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1");
        }
        if (maxLineLength < 16) {
            throw new IllegalArgumentException("maxLineLength must be at least 16");
        }
    }

    public RespLimits withMaxBulkLength(long value) {
        return new RespLimits(value, maxAggregateLength, maxDepth, maxLineLength);
    }

    public RespLimits withMaxAggregateLength(int value) {
        return new RespLimits(maxBulkLength, value, maxDepth, maxLineLength);
    }

    public RespLimits withMaxDepth(int value) {
        return new RespLimits(maxBulkLength, maxAggregateLength, value, maxLineLength);
    }

    public RespLimits withMaxLineLength(int value) {
        return new RespLimits(maxBulkLength, maxAggregateLength, maxDepth, value);
    }
}

package io.eden.adapters.redis.command;

import java.util.List;
import java.util.Map;

/**
 * What the proxy needs to know of one command, as the server describes it in {@code COMMAND}:
 * its flags and where its keys are ({@link KeySpec}s, or the legacy first/last/step triple).
 *
 * @param name        lower-case name; {@code container|sub} for subcommands
 * @param subcommands by lower-case subcommand name, for container commands such as {@code OBJECT}
 * @param keysUnknown the server cannot say where all keys are (an {@code unknown} or incomplete key spec):
 *                    the proxy orders such a command against every lane
 */
public record CommandSpec(String name, int arity, int flags, int firstKey, int lastKey, int step,
                          List<KeySpec> keySpecs, boolean keysUnknown, Map<String, CommandSpec> subcommands) {
    public static final int WRITE = 1;
    public static final int READONLY = 1 << 1;
    public static final int BLOCKING = 1 << 2;
    public static final int PUBSUB = 1 << 3;
    public static final int ADMIN = 1 << 4;
    public static final int NOSCRIPT = 1 << 5;
    public static final int MOVABLEKEYS = 1 << 6;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean keyless() {
        return keySpecs.isEmpty() && firstKey == 0 && !keysUnknown;
    }

    static int flag(String name) {
        return switch (name) {
            case "write" -> WRITE;
            case "readonly" -> READONLY;
            case "blocking" -> BLOCKING;
            case "pubsub" -> PUBSUB;
            case "admin" -> ADMIN;
            case "noscript" -> NOSCRIPT;
            case "movablekeys" -> MOVABLEKEYS;
            default -> 0;
        };
    }

    /**
     * One key specification of Redis 7: where the search begins (an argument index, or after a
     * keyword), then which arguments from there are keys (a range, or a count given by an argument).
     */
    public record KeySpec(boolean beginAtKeyword, int index, String keyword, int startFrom,
                          boolean keynum, int lastKey, int keyStep, int limit, int keynumIdx, int firstKey) {
    }
}
